"""Forms of the feedback pages. No rating form has an initial level: a preselected answer
biases the results (glpi #14919)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    AccountabilityKind,
    ComplaintChannel,
    ComplaintKind,
    ComplaintOutcome,
    Finding,
    Level,
    SurveyAccess,
)

LEVEL_CHOICES = [(str(v), label) for v, label in Level.choices]  # 5 非常满意 first


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("您对本次服务的评价"),
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择一个评价等级")},
    )
    comment = forms.CharField(
        label=_("意见和建议（选填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ComplaintForm(forms.Form):
    """The public form: real name and a phone to be answered on."""

    kind = forms.ChoiceField(
        label=_("类别"),
        choices=ComplaintKind.choices,
        widget=forms.RadioSelect,
        initial=ComplaintKind.COMPLAINT,
    )
    name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.CharField(label=_("联系电话"), max_length=20)
    email = forms.EmailField(label=_("电子邮箱（选填）"), required=False)
    case = forms.CharField(label=_("相关办件编号（选填）"), max_length=20, required=False)
    # Naming a case needs its query code (the applicant's own case, not a stranger's).
    query_code = forms.CharField(
        label=_("该办件的查询码（填写办件编号时必填）"), max_length=12, required=False
    )
    subject = forms.CharField(label=_("主题"), max_length=200)
    content = forms.CharField(
        label=_("具体内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    # Left empty by people, filled by robots: such a post is dropped without a word.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off", "class": "hp"}),
    )


class PhoneComplaintForm(ComplaintForm):
    # Staff name a case they can see, without its code. (None removes an inherited field, as
    # Django documents; the stubs know only fields.)
    query_code = None  # type: ignore[assignment]
    channel = forms.ChoiceField(
        label=_("渠道"),
        choices=[c for c in ComplaintChannel.choices if c[0] != "portal"],
        initial=ComplaintChannel.PHONE,
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)


class LookupForm(forms.Form):
    number = forms.CharField(label=_("编号"), max_length=20)
    code = forms.CharField(label=_("查询码"), max_length=12)


class VerifyFollowUpForm(forms.Form):
    # The verify cards show this select (and the complaint's below) without its <label>.
    finding = forms.ChoiceField(
        label=_("核实结论"),
        choices=Finding.choices,
        widget=forms.Select(attrs={"aria-label": _("核实结论")}),
    )
    note = forms.CharField(label=_("回访核实情况"), widget=forms.Textarea(attrs={"rows": 3}))


class VerifyComplaintForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("核实结论"),
        choices=ComplaintOutcome.choices,
        widget=forms.Select(attrs={"aria-label": _("核实结论")}),
    )
    verification = forms.CharField(
        label=_("调查核实情况"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AccountabilityForm(forms.Form):
    staff = forms.CharField(label=_("责任人（用户名）"), max_length=150)
    kind = forms.ChoiceField(label=_("追责方式"), choices=AccountabilityKind.choices)
    reason = forms.CharField(label=_("事由"), widget=forms.Textarea(attrs={"rows": 3}))


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}))
    complaint = forms.CharField(required=False, widget=forms.HiddenInput)


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("问卷标题"), max_length=200)
    intro = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    department = forms.CharField(required=False)
    access = forms.ChoiceField(
        label=_("答卷方式"), choices=SurveyAccess.choices, initial=SurveyAccess.PHONE
    )
    questions = forms.CharField(
        label=_("题目（每行一题）"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "格式：[单选] 题目 | 选项1 | 选项2；[多选] 同上；[评分] 题目；[填空] 题目。"
            "题目末尾写“（选答）”表示可不答。"
        ),
    )
