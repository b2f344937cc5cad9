from typing import cast

from django import forms


class IntakeForm(forms.Form):
    applicant_name = forms.CharField(label="申请人姓名", max_length=60)
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    materials = forms.MultipleChoiceField(
        label="已提交材料", required=False, widget=forms.CheckboxSelectMultiple
    )
    decision = forms.ChoiceField(
        choices=[
            ("submit", "仅收件"),
            ("accept", "受理"),
            ("supplement", "一次性告知补件"),
            ("complete", "即办办结"),
        ]
    )
    note = forms.CharField(label="备注", required=False, max_length=500)
    joint_error = ""

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        if service is not None:
            cast(forms.ChoiceField, self.fields["materials"]).choices = [
                (str(m.pk), m.name) for m in service.materials.all()
            ]

    @property
    def ticked(self) -> set[str]:
        """The materials ticked, as posted: a form re-rendered after a refusal shows them
        ticked again, so the clerk corrects one field instead of redoing the whole intake."""
        return {str(v) for v in (self["materials"].value() or [])}

    def add_domain_error(self, exc) -> None:
        """A service's refusal stands next to the field it names (exc.fields), else on top."""
        named = [key for key in exc.fields if key in self.fields or key == "joint"]
        if "joint" in named:  # the co-department rows are posted beside the form's fields
            self.joint_error = exc.message
            named.remove("joint")
            if not named:
                return
        for key in named or [None]:
            self.add_error(key, exc.message)


class LedgerFilter(forms.Form):
    q = forms.CharField(label="编号/申请人/事项", required=False)
    status = forms.CharField(required=False)
    light = forms.ChoiceField(
        choices=[("", "全部"), ("green", "绿灯"), ("yellow", "黄灯"), ("red", "红灯")],
        required=False,
    )
    department = forms.CharField(required=False)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    date_from = forms.DateField(required=False)
    date_to = forms.DateField(required=False)
