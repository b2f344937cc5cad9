"""How often one address may submit a survey (FEEDBACK_SURVEY_RATE, "20/10m" by default):
with one answer per phone number, this keeps a script from trying number after number."""

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from yichuang.core.errors import RateLimited

SURVEY_GROUP = "feedback-survey-submit"


def guard_survey_submission(request) -> None:
    usage = get_usage(
        request,
        group=SURVEY_GROUP,
        key="ip",
        rate=getattr(settings, "FEEDBACK_SURVEY_RATE", "20/10m"),
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        raise RateLimited(_("提交过于频繁，请稍后再试"))
