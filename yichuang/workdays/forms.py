from django import forms
from django.utils.translation import gettext_lazy as _

from .services import FIRST_YEAR, LAST_YEAR

KIND_CHOICES = [
    ("holiday", _("放假")),
    ("workday", _("补班（周末上班）")),
    ("normal", _("常规（周一至周五上班，周末休息）")),
]


class SetDayForm(forms.Form):
    date = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    kind = forms.ChoiceField(label=_("类型"), choices=KIND_CHOICES)
    name = forms.CharField(label=_("名称"), required=False, max_length=40)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class NoticeForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    text = forms.CharField(label=_("通知中的日期"), max_length=20000, widget=forms.Textarea)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
