"""The hall office's page of outbound deliveries (外发记录): the provincial 好差评 outbox and
the webhooks, by status, with the last error and a 重新发送 for the dead ones; and the webhook
subscriptions. The hall office and the administrator only (delivery.can_manage_outbound);
every change goes through the service functions, which check that again."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..errors import DomainError
from ..pages import report_error
from . import dead_letters, delivery, webhooks
from .models import DestinationKind, MessageStatus, OutboundMessage, WebhookSubscription

PAGE_SIZE = 50


def _require_office(request) -> None:
    if not delivery.can_manage_outbound(request.user):
        raise PermissionDenied(_("只有大厅管理办公室可以查看外发记录"))


def _context(request, **extra) -> dict:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    qs = OutboundMessage.objects.select_related("subscription").only(
        "created_at",
        "destination_kind",
        "destination",
        "subscription__name",
        "topic",
        "reference",
        "record_key",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "last_status_code",
        "delivered_at",
    )
    if status in MessageStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    if kind in DestinationKind.values:
        qs = qs.filter(destination_kind=kind)
    else:
        kind = ""
    counts = dict(OutboundMessage.objects.values_list("status").annotate(n=Count("id")).order_by())
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "nav": "outbound",
        "page": page,
        "status": status,
        "kind": kind,
        "statuses": MessageStatus.choices,
        "kinds": DestinationKind.choices,
        "counts": [(value, label, counts.get(value, 0)) for value, label in MessageStatus.choices],
        "query": query.urlencode(),
        "provincial_url": bool(getattr(settings, "PROVINCIAL_RATING_URL", "")),
        "subscriptions": _subscriptions(),
        "webhook_kinds": list(webhooks.KINDS.items()),
        **extra,
    }


def _subscriptions() -> list[WebhookSubscription]:
    subscriptions = list(WebhookSubscription.objects.all())
    for s in subscriptions:
        # What each chosen kind is called, for the table (the codes are what is stored).
        s.kind_labels = [str(webhooks.KIND_NAMES.get(k, k)) for k in s.kinds]  # type: ignore[attr-defined]
    return subscriptions


@login_required
def outbound_list(request):
    _require_office(request)
    return render(request, "core/outbound.html", _context(request))


@login_required
@require_POST
def outbound_resend(request, pk):
    _require_office(request)
    message = get_object_or_404(OutboundMessage, pk=pk)
    try:
        dead_letters.resend(message, by=request.user)
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(request, _("已重新发送：%(key)s") % {"key": message.record_key})
    return redirect(f"{reverse('core:outbound')}?status=dead")


@login_required
@require_POST
def webhook_create(request):
    _require_office(request)
    try:
        subscription, secret = webhooks.create_subscription(
            name=request.POST.get("name", ""),
            url=request.POST.get("url", ""),
            kinds=request.POST.getlist("kinds"),
            by=request.user,
        )
    except DomainError as exc:
        report_error(request, exc)
        return render(
            request, "core/outbound.html", _context(request, form=request.POST), status=400
        )
    # Shown on this answer only: the secret is kept encrypted and never displayed again.
    return render(
        request, "core/outbound.html", _context(request, created=subscription, secret=secret)
    )


@login_required
@require_POST
def webhook_active(request, pk):
    _require_office(request)
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        webhooks.set_subscription_active(subscription, active=active, by=request.user)
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(
            request,
            (_("已启用订阅：%(name)s") if active else _("已停用订阅：%(name)s"))
            % {"name": subscription.name},
        )
    return redirect("core:outbound")
