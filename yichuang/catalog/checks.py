"""Start-up checks of the catalogue's settings: a wrong region code would be printed on every
sheet and refused by the provincial platform, so it stops `runserver`/`migrate` instead."""

from django.conf import settings
from django.core.checks import Error, register

from .validation import is_region_code


@register()
def check_region_code(app_configs=None, **kwargs):
    value = settings.HALL_REGION_CODE
    if not value or is_region_code(value):
        return []
    return [
        Error(
            f"HALL_REGION_CODE must be 12 digits (行政区划代码), got {value!r}.",
            hint="Set it to the hall's 12-digit code, e.g. 440106000000, or leave it empty.",
            id="catalog.E001",
        )
    ]
