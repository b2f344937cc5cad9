"""Back-office configuration: the call script and sampling rules, tablets, surveys. Ratings,
follow-ups and complaints change only through their services (the pages), so they are shown
here read-only."""

from django.contrib import admin

from .models import (
    AccountabilityRecord,
    Complaint,
    FollowUp,
    Rating,
    Survey,
    SurveyQuestion,
    Tablet,
    VisitQuestion,
    VisitRule,
    VisitScript,
)


class VisitQuestionInline(admin.TabularInline):
    model = VisitQuestion
    extra = 1


@admin.register(VisitScript)
class VisitScriptAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    inlines = [VisitQuestionInline]


@admin.register(VisitRule)
class VisitRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "department", "share_percent", "minimum", "script", "is_active"]
    list_select_related = ["department", "script"]


@admin.register(Tablet)
class TabletAdmin(admin.ModelAdmin):
    list_display = ["__str__", "window", "is_active", "created_at"]
    list_select_related = ["window"]
    readonly_fields = ["token", "created_at"]


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 0
    readonly_fields = ["position", "text", "kind", "required"]
    can_delete = False


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "is_open", "created_at"]
    list_filter = ["is_open"]
    readonly_fields = ["token", "created_at", "created_by"]
    inlines = [SurveyQuestionInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "department", "staff", "level", "channel", "is_default"]
    list_filter = ["level", "channel", "is_default", "department"]
    list_select_related = ["department", "staff"]
    exclude = ["case", "inquiry"]  # the rater's identity stays out of the back office


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["opened_at", "department", "owner", "status", "verify_due", "rectify_due"]
    list_filter = ["status", "department"]
    list_select_related = ["department", "owner"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "channel", "status", "department", "due"]
    list_filter = ["kind", "status", "channel"]
    list_select_related = ["department"]
    exclude = ["phone", "phone_hash", "email", "name"]


@admin.register(AccountabilityRecord)
class AccountabilityRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "staff", "department", "kind", "by"]
    list_filter = ["kind", "department"]
    list_select_related = ["staff", "department", "by"]
