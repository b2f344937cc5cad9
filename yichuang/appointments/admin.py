from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yichuang.core.admin_support import SavedThroughServices

from . import bookings
from .models import Appointment, ExtendedHours, QueueEvent, ServiceGroup, SlotRule, Ticket


class SlotRuleInline(admin.TabularInline):
    model = SlotRule
    extra = 0


@admin.register(ServiceGroup)
class ServiceGroupAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "name",
        "code",
        "hall",
        "department",
        "takes_appointments",
        "is_active",
    ]
    list_filter = ["hall", "department", "is_active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["services", "windows"]
    inlines = [SlotRuleInline]


@admin.register(ExtendedHours)
class ExtendedHoursAdmin(SavedThroughServices, admin.ModelAdmin):
    """Opened and closed through the office's verbs (bookings.py), which check the role, the
    date and the bookings already made, and record the step: never saved directly. Hours are
    not edited in place — people may have booked them — but closed and opened again."""

    list_display = ["day", "group", "periods", "capacity", "opened_by"]
    list_filter = ["group"]
    date_hierarchy = "day"
    readonly_fields = ["opened_by", "opened_at"]
    actions = ["close_hours"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        with self.refusals(request):
            made = bookings.open_extended_hours(
                data["group"],
                day=data["day"],
                periods=data["periods"],
                slot_minutes=data["slot_minutes"],
                capacity=data["capacity"],
                window=data.get("window"),
                note=data.get("note") or "",
                by=request.user,
            )
            obj.pk = made.pk

    def delete_model(self, request, obj):
        with self.refusals(request):
            bookings.close_extended_hours(obj, by=request.user)

    @admin.action(description=_("关闭所选延时服务"))
    def close_hours(self, request, queryset):
        for hours in queryset:
            self.delete_model(request, hours)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Bookings and tickets change through the services only (counts and events)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["number", "group", "day", "start", "status", "reminded_at"]
    list_filter = ["status", "group"]
    date_hierarchy = "day"
    search_fields = ["number"]
    exclude = ["applicant_phone", "phone_hash", "query_code"]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["day", "number", "group", "status", "priority_reason", "called_window"]
    list_filter = ["status", "group"]
    date_hierarchy = "day"
    exclude = ["code", "phone", "phone_hash"]


@admin.register(QueueEvent)
class QueueEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "ticket", "window", "by", "covered_for"]
    list_filter = ["action"]
    date_hierarchy = "at"
