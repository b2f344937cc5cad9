from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ScoringScheme
from .services import SCHEME_FIELDS


class SchemeForm(forms.ModelForm):
    """Shows and checks the fields; the service decides (points add up to 100) and saves."""

    class Meta:
        model = ScoringScheme
        fields = ["name", *SCHEME_FIELDS]


class AppraisalForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    date_from = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))


class BonusForm(forms.Form):
    department = forms.CharField(widget=forms.HiddenInput)
    points = forms.DecimalField(label=_("加分"), max_digits=4, decimal_places=2)
    reason = forms.CharField(label=_("事由"), max_length=200)


class MonthForm(forms.Form):
    month = forms.CharField(label=_("月份"), widget=forms.TextInput(attrs={"type": "month"}))
    replace = forms.BooleanField(label=_("重新生成已有月报"), required=False)
