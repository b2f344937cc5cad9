from django import forms
from django.utils.translation import gettext_lazy as _


class ApplicantForm(forms.Form):
    name = forms.CharField(
        label=_("姓名"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱（可选）"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class LookupForm(forms.Form):
    number = forms.CharField(label=_("办件编号"), max_length=20)
    code = forms.CharField(label=_("查询码"), max_length=12)


class PhoneForm(forms.Form):
    """我的: the mobile number to send a code to."""

    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("办事、预约、咨询或投诉时留下的手机号"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class PhoneCodeForm(forms.Form):
    """我的: the code the SMS brought, for the number it went to."""

    phone = forms.CharField(max_length=20, widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )
