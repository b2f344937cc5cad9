"""The staff forms. They only check input and shape it for the services, which decide."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from yichuang.org.models import Department, Staff

from .models import PHASE_ORDER, Campaign, ChecklistItem, PhaseKind, VoterGroup
from .standards import BUILT_IN_CHECKLISTS, STAR_CRITERIA

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label):
    return forms.DateField(label=label, widget=DATE)


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=100)
    term = forms.CharField(label=_("学期 / 年度"), max_length=40, required=False)
    goal = forms.CharField(
        label=_("创建目标与内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    assessment_due = _date(_("自评截止日期"))
    pass_score = forms.DecimalField(
        label=_("达标分"), initial=90, min_value=0, max_digits=6, decimal_places=1
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("参评单位"),
        queryset=Department.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    inspectors = forms.ModelMultipleChoiceField(
        label=_("验收小组成员（大厅管理办公室之外）"),
        queryset=Staff.objects.filter(is_active=True).select_related("department"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        required=False,
    )
    checklist = forms.ChoiceField(
        label=_("考评标准"),
        required=False,
        choices=[("", _("空白，稍后逐项制定"))]
        + [(k, v[0]) for k, v in BUILT_IN_CHECKLISTS.items()],
    )

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in PHASE_ORDER:
            label = PhaseKind(kind).label
            self.fields[f"{kind}_starts"] = _date(_("%(p)s开始") % {"p": label})
            self.fields[f"{kind}_ends"] = _date(_("%(p)s结束") % {"p": label})
        if not creating:
            del self.fields["checklist"]

    def general_fields(self):
        return [self[n] for n in self.fields if not n.endswith(("_starts", "_ends"))]

    def phase_fields(self):
        return [(self[f"{k}_starts"], self[f"{k}_ends"]) for k in PHASE_ORDER]

    def phases(self) -> dict:
        d = self.cleaned_data
        return {k: (d[f"{k}_starts"], d[f"{k}_ends"]) for k in PHASE_ORDER}

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict:
        initial = {
            "title": campaign.title,
            "term": campaign.term,
            "goal": campaign.goal,
            "assessment_due": campaign.assessment_due,
            "pass_score": campaign.pass_score,
            "departments": [u.department_id for u in campaign.units.all()],
            "inspectors": list(campaign.inspectors.values_list("pk", flat=True)),
        }
        for p in campaign.phases.all():
            initial[f"{p.kind}_starts"], initial[f"{p.kind}_ends"] = p.starts_on, p.ends_on
        return initial


class CopyForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("复制自（模板或往期活动）"), queryset=Campaign.objects.none()
    )
    title = forms.CharField(label=_("新活动名称"), max_length=100)
    term = forms.CharField(label=_("学期 / 年度"), max_length=40, required=False)
    starts_on = _date(_("动员部署开始日期（其余日期按原活动顺延）"))
    is_template = forms.BooleanField(label=_("存为模板"), required=False)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["source"]).queryset = sources


class SectionForm(forms.Form):
    title = forms.CharField(label=_("标准名称"), max_length=60)
    position = forms.IntegerField(label=_("序号"), min_value=1, required=False)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("考评内容"), max_length=200)
    guidance = forms.CharField(
        label=_("评分细则"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    max_score = forms.DecimalField(label=_("分值"), min_value=0, max_digits=5, decimal_places=1)
    position = forms.IntegerField(label=_("序号"), min_value=1, required=False)


def posted_entries(post, items, *, score_prefix: str, note_prefix: str, note_key: str) -> dict:
    """{item id: {"score", note_key}} from fields named `<prefix><item id>` in a POST."""
    return {
        i.pk: {
            "score": post.get(f"{score_prefix}{i.pk}", "").strip(),
            note_key: post.get(f"{note_prefix}{i.pk}", ""),
        }
        for i in items
        if f"{score_prefix}{i.pk}" in post
    }


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料"))
    item = forms.ModelChoiceField(
        label=_("对应细则"), queryset=ChecklistItem.objects.none(), required=False
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["item"]).queryset = ChecklistItem.objects.filter(
            section__campaign=campaign
        )


class RectificationForm(forms.Form):
    description = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = _date(_("整改期限"))
    item = forms.ModelChoiceField(
        label=_("对应细则"), queryset=ChecklistItem.objects.none(), required=False
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["item"]).queryset = ChecklistItem.objects.filter(
            section__campaign=campaign
        )


class ElectionForm(forms.Form):
    title = forms.CharField(label=_("评选名称"), max_length=100)
    criteria = forms.CharField(
        label=_("评选条件"), initial=STAR_CRITERIA, widget=forms.Textarea(attrs={"rows": 6})
    )
    campaign = forms.ModelChoiceField(
        label=_("所属活动"), queryset=Campaign.objects.filter(is_template=False), required=False
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("申报部门"),
        queryset=Department.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("不选则全部部门"),
    )
    nomination_opens = _date(_("申报开始"))
    nomination_closes = _date(_("申报截止"))
    voting_opens = _date(_("投票开始"))
    voting_closes = _date(_("投票截止"))
    seats = forms.IntegerField(label=_("评选名额"), initial=10, min_value=1, max_value=100)
    max_choices = forms.IntegerField(
        label=_("每票最多可选"), initial=10, min_value=1, max_value=100
    )


class NominationForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("候选人"), queryset=Staff.objects.none())
    deeds = forms.CharField(
        label=_("主要事迹"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("对照评选条件，写明爱岗敬业、文明服务、微笑服务、遵章守纪、师生满意的具体事迹"),
    )

    def __init__(self, *args, department_id, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = Staff.objects.filter(
            department_id=department_id, is_active=True
        )


class StaffVotersForm(forms.Form):
    group = forms.ChoiceField(label=_("类别"), choices=VoterGroup.choices, initial="cadre")
    all_heads = forms.BooleanField(
        label=_("全部部门负责人与大厅管理办公室人员（中层以上干部）"), required=False
    )
    usernames = forms.CharField(
        label=_("其他工作人员（用户名，空格或换行分隔）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


GROUP_WORDS = {
    "教师代表": VoterGroup.TEACHER,
    "教师": VoterGroup.TEACHER,
    "teacher": VoterGroup.TEACHER,
    "学生代表": VoterGroup.STUDENT,
    "学生": VoterGroup.STUDENT,
    "student": VoterGroup.STUDENT,
}


class RepresentativesForm(forms.Form):
    lines = forms.CharField(
        label=_("师生代表名单"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一人：姓名,类别（教师代表/学生代表）,手机（可选）,邮箱（可选）"),
    )

    def clean_lines(self) -> list[dict]:
        people = []
        for number, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if not any(parts):
                continue
            parts += [""] * (4 - len(parts))
            group = GROUP_WORDS.get(parts[1])
            if group is None:
                raise forms.ValidationError(
                    _("第 %(n)d 行：类别应为“教师代表”或“学生代表”") % {"n": number}
                )
            people.append({"name": parts[0], "group": group, "phone": parts[2], "email": parts[3]})
        if not people:
            raise forms.ValidationError(_("请至少填写一人"))
        return people
