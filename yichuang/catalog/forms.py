"""The staff edit form: the item's fields, its materials and steps. The forms only check
input; `services.save_service` decides."""

from typing import cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from yichuang.org.models import Department, Post
from yichuang.org.scoping import managed_department_ids

from .models import Material, Service, Step
from .validation import MaterialData, ServiceData, StepData

SERVICE_FORM_FIELDS = [
    "code",
    "item_code",
    "name",
    "category",
    "keywords",
    "department",
    "post",
    "kind",
    "legal_days",
    "committed_days",
    "basis",
    "conditions",
    "fees",
    "fee_basis",
    "location",
    "hours",
    "phones",
    "complaint_phone",
    "online",
]


class ServiceForm(forms.ModelForm):
    note = forms.CharField(
        label=_("变更说明"),
        required=False,
        max_length=200,
        help_text=_("保存后将发布为新版本，变更说明记入版本历史"),
    )

    class Meta:
        model = Service
        fields = SERVICE_FORM_FIELDS
        widgets = {
            "basis": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "fee_basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        managed = managed_department_ids(user)
        departments = Department.objects.all()
        if managed is not None:
            departments = departments.filter(pk__in=managed)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments
        cast(forms.ModelChoiceField, self.fields["post"]).queryset = Post.objects.filter(
            department__in=departments
        ).select_related("department")
        if self.instance.pk:
            # Printed sheets and QR codes carry the code; it never changes.
            self.fields["code"].disabled = True


class RowForm(forms.ModelForm):
    """A row of an inline table: its inputs are named by the column header only, so they
    carry their label for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))


class MaterialForm(RowForm):
    class Meta:
        model = Material
        fields = [
            "position",
            "name",
            "required",
            "condition",
            "originals",
            "copies",
            "format",
            "notes",
            "valid_days",
            "sample",
        ]
        widgets = {
            "position": forms.NumberInput(attrs={"min": 1, "class": "w-4em"}),
            "valid_days": forms.NumberInput(attrs={"min": 1, "class": "w-4em"}),
        }


class StepForm(RowForm):
    class Meta:
        model = Step
        fields = ["position", "title", "description"]
        widgets = {"position": forms.NumberInput(attrs={"min": 1, "class": "w-4em"})}


class RowFormSet(forms.BaseInlineFormSet):
    """The formset adds each row's 删除 box after the row's form is made: it gets its label
    here, like the row's other inputs."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            delete = form.fields["DELETE"]
            delete.widget.attrs.setdefault("aria-label", str(delete.label))


MaterialFormSet = inlineformset_factory(
    Service, Material, form=MaterialForm, formset=RowFormSet, extra=2, can_delete=True
)
StepFormSet = inlineformset_factory(
    Service, Step, form=StepForm, formset=RowFormSet, extra=2, can_delete=True
)


def kept_forms(formset) -> list:
    """The filled, not deleted forms, in the order of their 序号."""
    forms_ = [
        (f.cleaned_data.get("position") or 0, i, f)
        for i, f in enumerate(formset.forms)
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    return [f for _pos, _i, f in sorted(forms_, key=lambda t: (t[0], t[1]))]


def _sample(value):
    if value is False:
        return False
    return value if isinstance(value, UploadedFile) else None


def material_data(f) -> MaterialData:
    cd = f.cleaned_data
    return MaterialData(
        id=f.instance.pk,
        name=cd["name"],
        required=cd.get("required", False),
        condition=cd.get("condition", ""),
        originals=cd.get("originals") or 0,
        copies=cd.get("copies") or 0,
        format=cd.get("format", ""),
        notes=cd.get("notes", ""),
        valid_days=cd.get("valid_days"),
        sample=_sample(cd.get("sample")),
    )


def step_data(f) -> StepData:
    return StepData(
        title=f.cleaned_data["title"], description=f.cleaned_data.get("description", "")
    )


def kept_rows(materials, steps):
    """The filled rows of both formsets, each as (forms, data) in 序号 order."""
    material_forms, step_forms = kept_forms(materials), kept_forms(steps)
    return (
        (material_forms, [material_data(f) for f in material_forms]),
        (step_forms, [step_data(f) for f in step_forms]),
    )


def data_from_forms(form, materials, steps, *, existing: Service | None):
    """The `ServiceData` the forms describe, and the forms of its materials and steps in the
    same order (to put a service's complaint next to the row it is about)."""
    cd = form.cleaned_data
    (material_forms, material_items), (step_forms, step_items) = kept_rows(materials, steps)
    data = ServiceData(
        **{name: cd.get(name) for name in SERVICE_FORM_FIELDS if name != "code"},
        code=existing.code if existing else cd.get("code", ""),
        is_active=cd.get("is_active", existing.is_active if existing else True),
        materials=material_items,
        steps=step_items,
    )
    return data, material_forms, step_forms


def show_problems(exc, form, material_forms, step_forms) -> None:
    """Attach a refusal's field messages to the fields they are about."""
    for key, message in exc.fields.items():
        target, field = form, key
        if key.startswith(("materials.", "steps.")):
            kind, index, field = key.split(".", 2)
            rows = material_forms if kind == "materials" else step_forms
            target = rows[int(index)] if int(index) < len(rows) else form
        if field not in target.fields:
            field = None
        target.add_error(field, message)


class ServiceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.department.name} · {obj.name}"


class BundleForm(forms.Form):
    """一件事: its name, the services it is made of, and which one leads. The lead is chosen
    among the services of departments the user manages; `services.save_bundle` decides."""

    code = forms.CharField(
        label=_("一件事编码"),
        max_length=40,
        help_text=_("小写字母、数字和连字符，发布后不可修改"),
    )
    name = forms.CharField(label=_("一件事名称"), max_length=100)
    summary = forms.CharField(
        label=_("适用情形"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead = forms.ModelChoiceField(
        label=_("牵头事项"),
        queryset=Service.objects.none(),
        help_text=_("牵头事项的部门为牵头部门，负责受理和统一办结；请选承诺时限最长的事项"),
    )
    services = ServiceChoiceField(
        label=_("包含事项"),
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("每个部门选一个事项；牵头事项无须重复勾选"),
    )
    note = forms.CharField(
        label=_("变更说明"),
        required=False,
        max_length=200,
        help_text=_("保存后将发布为新版本，变更说明记入版本历史"),
    )

    def __init__(self, *args, user, bundle=None, **kwargs):
        super().__init__(*args, **kwargs)
        active = Service.objects.filter(is_active=True).select_related("department")
        managed = managed_department_ids(user)
        leads = active if managed is None else active.filter(department__in=managed)
        cast(forms.ModelChoiceField, self.fields["lead"]).queryset = leads
        cast(forms.ModelMultipleChoiceField, self.fields["services"]).queryset = active
        if bundle is not None:
            self.fields["code"].disabled = True
            self.initial.update(
                code=bundle.code,
                name=bundle.name,
                summary=bundle.summary,
                lead=bundle.lead_id,
                services=[m.service_id for m in bundle.members.all()],
            )
