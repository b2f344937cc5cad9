from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from yichuang.core.admin_support import SavedThroughServices

from . import services
from .models import Department, Hall, Post, PostBackup, RoleGrant, Staff, Window


@admin.register(Hall)
class HallAdmin(SavedThroughServices, admin.ModelAdmin):
    list_display = ["code", "name", "region_code", "address", "is_default", "sort_order"]
    search_fields = ["code", "name"]
    readonly_fields = ["is_default"]

    def get_readonly_fields(self, request, obj=None):
        # The code is what screens and `?hall=` links carry: fixed once made.
        return ["code", "is_default"] if obj else ["is_default"]

    def has_delete_permission(self, request, obj=None):
        return False  # windows, posts and queues point at it

    def save_model(self, request, obj, form, change):
        # Through the service functions, which check the role and write the audit record.
        fields = {k: form.cleaned_data[k] for k in form.changed_data if k in services.HALL_FIELDS}
        with self.refusals(request):
            if change:
                if "name" in form.changed_data:
                    fields["name"] = form.cleaned_data["name"]
                services.update_hall(obj, by=request.user, **fields)
            else:
                made = services.create_hall(code=obj.code, name=obj.name, by=request.user, **fields)
                obj.pk = made.pk


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "location", "phone", "sort_order"]
    list_filter = ["halls"]
    search_fields = ["code", "name"]
    filter_horizontal = ["halls"]


@admin.register(Window)
class WindowAdmin(SavedThroughServices, admin.ModelAdmin):
    list_display = ["number", "name", "hall", "department", "location"]
    list_filter = ["hall", "department"]

    def get_readonly_fields(self, request, obj=None):
        return ["hall"] if obj else []  # its posts and queues are in that hall

    def save_model(self, request, obj, form, change):
        # Through the service functions, which check the role and hall and write the audit.
        with self.refusals(request):
            if change:
                fields = {
                    k: form.cleaned_data[k]
                    for k in form.changed_data
                    if k in services.WINDOW_FIELDS
                }
                if fields:
                    services.update_window(Window.objects.get(pk=obj.pk), by=request.user, **fields)
            else:
                extra = {k: form.cleaned_data[k] for k in ("location", "sort_order", "hall")}
                made = services.create_window(
                    number=obj.number,
                    name=obj.name,
                    department=obj.department,
                    by=request.user,
                    **extra,
                )
                obj.pk = made.pk


class PostBackupInline(admin.TabularInline):
    model = PostBackup
    extra = 0
    max_num = 2
    min_num = 1
    autocomplete_fields = ["staff"]


@admin.register(Post)
class PostAdmin(SavedThroughServices, admin.ModelAdmin):
    list_display = ["code", "name", "hall", "department", "window", "holder"]
    list_filter = ["hall", "department"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["holder"]
    inlines = [PostBackupInline]

    def save_related(self, request, form, formsets, change):
        # Holder and backups go through the one service that checks and records them.
        form.save_m2m()
        positioned = []
        for formset in formsets:
            for f in formset.forms:
                data = getattr(f, "cleaned_data", None) or {}
                if data.get("staff") and not data.get("DELETE"):
                    positioned.append((data.get("position") or 1, data["staff"]))
        backups = [s for _, s in sorted(positioned, key=lambda x: x[0])]
        with self.refusals(request):
            services.set_post_people(
                form.instance, holder=form.instance.holder, backups=backups, by=request.user
            )


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    list_display = ["username", "full_name", "department", "title", "presence_status", "is_active"]
    list_filter = ["halls", "department", "role_grants__role", "is_active"]
    filter_horizontal = (*UserAdmin.filter_horizontal, "halls")
    search_fields = ["username", "full_name", "employee_number"]
    readonly_fields = ("presence_status", "presence_until", "presence_note", "presence_changed_at")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "工作信息",
            {
                "fields": (
                    "full_name",
                    "employee_number",
                    "department",
                    "halls",
                    "title",
                    "office",
                    "phone",
                    "photo",
                )
            },
        ),
        ("在岗状态（在工作台设置）", {"fields": readonly_fields}),
    )
    inlines = [RoleGrantInline]
