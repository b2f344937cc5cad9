from django.contrib import admin

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
class ExtendedHoursAdmin(admin.ModelAdmin):
    list_display = ["day", "group", "periods", "capacity", "opened_by"]
    list_filter = ["group"]
    date_hierarchy = "day"
    readonly_fields = ["opened_by", "opened_at"]

    def save_model(self, request, obj, form, change):
        obj.opened_by = obj.opened_by or request.user
        super().save_model(request, obj, form, change)


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
