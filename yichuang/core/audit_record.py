"""The audit record's page and export, for the audit administrator only (三员分立: the one
who reviews the record is neither the one who configures the system nor the one who grants
rights). Reading and exporting the record are recorded too."""

from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .excel import append
from .models import AuditEvent

AUDIT_ROLE = "audit_administrator"
PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def can_review_audit(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_role(AUDIT_ROLE))


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filtered_events(params) -> tuple[QuerySet[AuditEvent], dict]:
    """The record narrowed by the page's filters: action prefix, actor, outcome, dates."""
    qs = AuditEvent.objects.all()
    action = (params.get("action") or "").strip()[:60]
    actor = (params.get("actor") or "").strip()[:150]
    outcome = (params.get("outcome") or "").strip()[:20]
    first, last = _day(params.get("from") or ""), _day(params.get("to") or "")
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(Q(actor_name__icontains=actor) | Q(summary__icontains=actor))
    if outcome:
        qs = qs.filter(outcome=outcome)
    zone = timezone.get_current_timezone()
    if first:
        qs = qs.filter(at__gte=datetime.combine(first, time.min, zone))
    if last:
        qs = qs.filter(at__lt=datetime.combine(last + timedelta(days=1), time.min, zone))
    filters = {"action": action, "actor": actor, "outcome": outcome, "from": first, "to": last}
    return qs, filters


def _require_auditor(request) -> None:
    if not can_review_audit(request.user):
        raise PermissionDenied(_("只有审计管理员可以查阅审计记录"))


def audit_list(request):
    _require_auditor(request)
    qs, filters = filtered_events(request.GET)
    page = Paginator(qs.only("at", "actor_name", "action", "summary", "outcome", "data"), PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("page"))
    audit.record(
        "audit.viewed",
        actor=request.user,
        summary=request.get_full_path()[:300],
        data={k: str(v) for k, v in filters.items() if v},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_record.html",
        {"page": page_obj, "filters": filters, "query": query.urlencode(), "nav": "audit"},
    )


def audit_export(request):
    _require_auditor(request)
    from openpyxl import Workbook

    qs, filters = filtered_events(request.GET)
    rows = list(
        qs.values_list(
            "at", "actor_name", "action", "summary", "outcome", "target_type", "target_id"
        )[:EXPORT_LIMIT]
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("审计记录"))
    append(ws, [_("时间"), _("操作人"), _("事件"), _("摘要"), _("结果"), _("对象类型"), _("对象")])
    for at, actor, action, summary, outcome, target_type, target_id in rows:
        values = [timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S"), actor, action, summary]
        values += [outcome, target_type, target_id]
        append(ws, values)
    buffer = BytesIO()
    wb.save(buffer)
    audit.record(
        "audit.exported",
        actor=request.user,
        summary=_("导出 %(n)d 条审计记录") % {"n": len(rows)},
        data={k: str(v) for k, v in filters.items() if v},
    )
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response
