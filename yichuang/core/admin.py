"""The back office's view of the outbox and the webhook subscriptions. Rows change only through
the outbound services (the same the page /staff/outbound/ calls), so the admin lists them and
offers those services as actions; a subscription is created on the page, which shows its
secret once."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import DomainError
from .outbound import dead_letters, webhooks
from .outbound.models import OutboundMessage, WebhookSubscription


class ServicesOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _each(request, queryset, step, done_message) -> None:
    done = 0
    for row in queryset:
        try:
            step(row, by=request.user)
        except DomainError as exc:
            messages.error(request, f"{row}: {exc.message}")
        else:
            done += 1
    if done:
        messages.success(request, done_message % {"n": done})


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ServicesOnlyAdmin):
    list_display = ["name", "url", "kinds", "is_active", "created_by", "created_at"]
    list_filter = ["is_active"]
    fields = ["name", "url", "kinds", "is_active", "created_by", "created_at"]
    actions = ["stop", "resume"]

    @admin.action(description=gettext_lazy("停用所选订阅"))
    def stop(self, request, queryset):
        def step(row, *, by):
            webhooks.set_subscription_active(row, active=False, by=by)

        _each(request, queryset, step, _("已停用 %(n)d 个订阅"))

    @admin.action(description=gettext_lazy("启用所选订阅"))
    def resume(self, request, queryset):
        def step(row, *, by):
            webhooks.set_subscription_active(row, active=True, by=by)

        _each(request, queryset, step, _("已启用 %(n)d 个订阅"))


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ServicesOnlyAdmin):
    list_display = ["record_key", "destination_kind", "topic", "status", "attempts", "updated_at"]
    list_filter = ["status", "destination_kind", "topic"]
    search_fields = ["record_key", "reference"]
    exclude = ["claim"]
    actions = ["resend"]

    @admin.action(description=gettext_lazy("重新发送所选的发送失败记录"))
    def resend(self, request, queryset):
        _each(request, queryset, dead_letters.resend, _("已重新发送 %(n)d 条"))
