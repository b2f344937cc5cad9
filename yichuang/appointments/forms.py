from django import forms
from django.utils.translation import gettext_lazy as _


class BookForm(forms.Form):
    start = forms.TimeField(label=_("时段"), input_formats=["%H:%M"])
    service = forms.CharField(label=_("办理事项"), required=False, max_length=40)
    name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.CharField(label=_("手机号码"), max_length=20)


class TicketForm(forms.Form):
    """A walk-in's ticket: the group is the button pressed; the phone is optional."""

    phone = forms.CharField(
        label=_("手机号码（选填）"),
        max_length=20,
        required=False,
        help_text=_("前面还剩 3 人时短信提醒您，可先离开大厅"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class CodeForm(forms.Form):
    number = forms.CharField(label=_("预约号"), max_length=20)
    code = forms.CharField(label=_("查询码"), max_length=12)


class ExtendedHoursForm(forms.Form):
    group = forms.CharField(label=_("业务分组"), max_length=30)
    day = forms.DateField(label=_("日期"))
    periods = forms.CharField(label=_("延时时段"), max_length=100, initial="17:30-19:00")
    slot_minutes = forms.IntegerField(label=_("每段分钟数"), min_value=5, max_value=240, initial=30)
    capacity = forms.IntegerField(label=_("每段可约人数"), min_value=1, max_value=100, initial=4)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("从"), required=False)
    date_to = forms.DateField(label=_("到"), required=False)
