from typing import cast

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from yichuang.catalog.models import Service
from yichuang.org.models import Department, Post
from yichuang.org.scoping import managed_department_ids

from .models import Channel, FaqEntry, Synonym, TimeLimit

STAFF_CHANNELS = [c for c in Channel.choices if c[0] != Channel.ONLINE]
DECISIONS = [
    ("answer", _("当场答复")),
    ("transfer", _("转交岗位")),
    ("refer", _("告知承办单位")),
    ("log", _("仅登记")),
]


class LogForm(forms.Form):
    """The quick log: who, how to reach them, what; then one decision. Only what the decision
    needs is checked here; the service functions check the rest."""

    channel = forms.ChoiceField(label=_("渠道"), choices=STAFF_CHANNELS, initial=Channel.PHONE)
    asker_name = forms.CharField(label=_("咨询人"), max_length=60)
    asker_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    asker_email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False)
    matter = forms.CharField(label=_("咨询事项"), max_length=2000)
    category = forms.CharField(label=_("类别"), max_length=40, required=False)
    service = forms.CharField(label=_("相关事项编码"), max_length=40, required=False)
    time_limit = forms.ChoiceField(
        label=_("答复时限"), choices=TimeLimit.choices, initial=TimeLimit.IMMEDIATE
    )
    answer = forms.CharField(label=_("答复"), max_length=4000, required=False)
    post = forms.CharField(label=_("转交岗位"), max_length=40, required=False)
    unit = forms.CharField(label=_("承办单位"), max_length=100, required=False)
    contact = forms.CharField(label=_("联系方式"), max_length=100, required=False)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)
    decision = forms.ChoiceField(choices=DECISIONS, initial="answer")

    def clean_service(self):
        code = self.cleaned_data["service"].strip()
        if not code:
            return None
        service = Service.objects.filter(code=code, is_active=True).first()
        if service is None:
            raise forms.ValidationError(_("没有这个服务事项"))
        return service

    def clean_post(self):
        code = self.cleaned_data["post"].strip()
        if not code:
            return None
        post = Post.objects.filter(code=code).first()
        if post is None:
            raise forms.ValidationError(_("没有这个岗位"))
        return post

    def clean(self):
        super().clean()
        data = self.cleaned_data
        decision = data.get("decision")
        if decision == "answer" and not (data.get("answer") or "").strip():
            self.add_error("answer", _("当场答复请填写答复内容"))
        if decision == "transfer" and not data.get("post") and "post" not in self.errors:
            self.add_error("post", _("请选择转交的岗位"))
        if decision == "refer":
            for field, message in (
                ("unit", _("请填写承办单位")),
                ("contact", _("请填写承办单位的联系方式")),
            ):
                if not (data.get(field) or "").strip():
                    self.add_error(field, message)
        return data


class AskForm(forms.Form):
    """网上咨询 (public)."""

    name = forms.CharField(
        label=_("姓名"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    department = forms.ModelChoiceField(
        label=_("咨询部门"), queryset=Department.objects.all(), empty_label=_("请选择…")
    )
    matter = forms.CharField(
        label=_("咨询内容"),
        max_length=2000,
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                # As the person types, where the question should go (views/public.suggestions).
                "hx-get": reverse_lazy("inquiries:suggest"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#ask-suggestions",
                "hx-sync": "this:replace",
                "aria-describedby": "ask-suggestions",
            }
        ),
    )
    # A field people never see: forms that fill it are robots.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not (data.get("phone") or "").strip() and not (data.get("email") or "").strip():
            raise forms.ValidationError(_("请留下手机号码或电子邮箱，以便告知答复"))
        return data


class LookupForm(forms.Form):
    number = forms.CharField(label=_("咨询编号"), max_length=20)
    code = forms.CharField(label=_("查询码"), max_length=12)


class FaqForm(forms.ModelForm):
    class Meta:
        model = FaqEntry
        fields = [
            "department",
            "service",
            "question",
            "answer",
            "keywords",
            "is_public",
            "is_active",
        ]
        widgets = {"answer": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        managed = managed_department_ids(user)
        services = Service.objects.filter(is_active=True)
        if managed is not None:
            department = cast(forms.ModelChoiceField, self.fields["department"])
            department.queryset = Department.objects.filter(pk__in=managed)
            department.required = True
            services = services.filter(department__in=managed)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = services


class SynonymForm(forms.ModelForm):
    class Meta:
        model = Synonym
        fields = ["phrases", "terms", "is_active"]
