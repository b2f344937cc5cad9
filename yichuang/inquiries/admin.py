"""Back-office configuration of the FAQ. Saving goes through `faq.save_faq_entry`, so the
admin checks, indexes for pinyin and audits exactly as the staff pages do."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from yichuang.core.errors import DomainError
from yichuang.org.models import Department
from yichuang.org.scoping import managed_department_ids

from . import faq
from .models import FaqEntry

EDITABLE = ("department", "service", "question", "answer", "keywords", "is_public", "is_active")


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "department", "service", "is_public", "is_active", "updated_at"]
    list_filter = ["department", "is_public", "is_active"]
    search_fields = ["question", "keywords", "pinyin_initials", "pinyin"]
    list_select_related = ["department", "service"]
    fields = EDITABLE
    autocomplete_fields = ["service"]

    def get_queryset(self, request):
        managed = managed_department_ids(request.user)
        qs = super().get_queryset(request)
        return qs if managed is None else qs.filter(department__in=managed)

    def has_delete_permission(self, request, obj=None):
        return False  # retire an entry (启用 off) instead: answers quoted it

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        managed = managed_department_ids(request.user)
        if db_field.name == "department" and managed is not None:
            kwargs["queryset"] = Department.objects.filter(pk__in=managed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        saved = faq.save_faq_entry(
            by=request.user,
            entry=obj if change else None,
            **{name: form.cleaned_data.get(name) for name in EDITABLE},
        )
        obj.pk = saved.pk
