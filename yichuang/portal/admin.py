from django.contrib import admin, messages

from yichuang.core.admin_support import SavedThroughServices

from . import services
from .models import Notice


@admin.register(Notice)
class NoticeAdmin(SavedThroughServices, admin.ModelAdmin):
    list_display = ["title", "hall", "pinned", "published_at", "expires_at", "withdrawn_at"]
    list_filter = ["hall"]
    readonly_fields = ["published_at", "withdrawn_at", "by"]
    actions = ["withdraw"]

    def save_model(self, request, obj, form, change):
        if change:
            messages.warning(request, "已发布的通知请撤回后重新发布。")
            return
        with self.refusals(request):
            created = services.publish_notice(
                title=obj.title,
                body=obj.body,
                pinned=obj.pinned,
                expires_at=obj.expires_at,
                by=request.user,
            )
            obj.pk = created.pk

    @admin.action(description="撤回所选通知")
    def withdraw(self, request, queryset):
        for notice in queryset:
            services.withdraw_notice(notice, by=request.user)
