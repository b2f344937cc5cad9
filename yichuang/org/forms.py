from django import forms

from .models import Presence


class PresenceForm(forms.Form):
    status = forms.ChoiceField(label="在岗状态", choices=Presence.choices)
    until = forms.DateTimeField(
        label="预计返回",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    note = forms.CharField(label="去向说明", required=False, max_length=120)
