"""Back-office configuration of the catalogue. Saving goes through `services.save_service`,
so the admin validates, versions and audits exactly as the staff pages do."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from yichuang.core.errors import DomainError
from yichuang.org.models import Department, Post
from yichuang.org.scoping import managed_department_ids

from . import services
from .forms import SERVICE_FORM_FIELDS, data_from_forms, kept_rows
from .models import Material, Service, ServiceVersion, Step
from .validation import SERVICE_FIELDS, ServiceData, describe, find_problems


class RowsFormSet(BaseInlineFormSet):
    """Validates the whole item once both inlines are clean: the admin has no hook that
    sees the item's form and all its inlines together before saving."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        pending = self.instance.__dict__.setdefault("_catalog_formsets", {})
        pending[self.prefix] = self
        instance = self.instance
        if set(pending) != {"materials", "steps"} or not (
            instance.department_id and instance.post_id
        ):
            return
        (_mf, material_items), (_sf, step_items) = kept_rows(pending["materials"], pending["steps"])
        existing = Service.objects.filter(pk=instance.pk).first() if instance.pk else None
        data = ServiceData(
            **{name: getattr(instance, name) for name in SERVICE_FIELDS},
            materials=material_items,
            steps=step_items,
        )
        problems = find_problems(data, existing=existing)
        if problems:
            raise ValidationError([describe(p) for p in problems])


class MaterialInline(admin.TabularInline):
    model = Material
    formset = RowsFormSet
    extra = 0
    fields = [
        "position",
        "name",
        "required",
        "condition",
        "originals",
        "copies",
        "format",
        "notes",
        "sample",
    ]


class StepInline(admin.TabularInline):
    model = Step
    formset = RowsFormSet
    extra = 0
    fields = ["position", "title", "description"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "department",
        "post",
        "kind",
        "legal_days",
        "committed_days",
        "online",
        "is_active",
        "version",
    ]
    list_filter = ["department", "kind", "online", "is_active"]
    search_fields = ["code", "item_code", "name", "pinyin_initials", "pinyin"]
    list_select_related = ["department", "post"]
    fields = [*SERVICE_FORM_FIELDS, "halls", "is_active", "version"]
    filter_horizontal = ["halls"]
    inlines = [MaterialInline, StepInline]

    def get_readonly_fields(self, request, obj=None):
        # The code is printed on sheets and QR codes: fixed once published.
        fixed = ["code", "version"] if obj else ["version"]
        # Where an item is offered is the hall offices' to say (services.set_service_halls).
        if not services.can_set_service_halls(request.user):
            fixed.append("halls")
        return fixed

    def has_add_permission(self, request):
        return super().has_add_permission(request) and services.can_edit_catalogue(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.can_edit_service(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return False  # withdraw an item instead: cases keep pointing at its versions

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        managed = managed_department_ids(request.user)
        if db_field.name == "department" and managed is not None:
            kwargs["queryset"] = Department.objects.filter(pk__in=managed)
        if db_field.name == "post" and managed is not None:
            kwargs["queryset"] = Post.objects.filter(department__in=managed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            # Only a refusal the forms could not foresee lands here (e.g. a concurrent edit);
            # the transaction is rolled back and the form shown again.
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        pass  # saved with its materials and steps in save_related, by the service function

    def save_related(self, request, form, formsets, change):
        by_prefix = {f.prefix: f for f in formsets}
        existing = Service.objects.get(pk=form.instance.pk) if change else None
        data, _mf, _sf = data_from_forms(
            form, by_prefix["materials"], by_prefix["steps"], existing=existing
        )
        saved = services.save_service(data, by=request.user, service=existing, note=_("后台修改"))
        if "halls" in form.changed_data:
            services.set_service_halls(saved, halls=form.cleaned_data["halls"], by=request.user)
        form.instance.pk = saved.pk
        form.instance.version = saved.version
        for formset in formsets:
            # The admin's change message reads what formset.save() would have recorded.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(ServiceVersion)
class ServiceVersionAdmin(admin.ModelAdmin):
    list_display = ["service", "number", "published_at", "published_by", "note"]
    list_filter = ["service__department"]
    search_fields = ["service__code", "service__name"]
    list_select_related = ["service", "published_by"]
    readonly_fields = ["service", "number", "published_at", "published_by", "note", "snapshot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # published versions never change

    def has_delete_permission(self, request, obj=None):
        return False
