"""Read-only in the back office: every calendar change goes through the calendar page (the
services), so it is validated, audited and seen by every process at once."""

from django.contrib import admin

from .models import CalendarDay, CalendarYear, ClockSettings


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "name", "source", "note", "updated_by", "updated_at"]
    list_filter = ["kind", "source"]
    search_fields = ["name", "note"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "status", "source", "note", "updated_by", "updated_at"]
    list_filter = ["status"]


@admin.register(ClockSettings)
class ClockSettingsAdmin(ReadOnlyAdmin):
    list_display = ["yellow_fraction", "yellow_days_left", "updated_by", "updated_at"]
