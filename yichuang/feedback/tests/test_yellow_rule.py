"""The hall office sets when lights turn yellow (issue 14 §3): the rule is read when a clock
is counted, not at import, and changing it moves the yellow day of every running clock — a
case, an inquiry and a follow-up alike. Only the hall office may change it. Here in feedback,
the top of the apps whose clocks are counted, so one test sees them all."""

from datetime import date

import pytest

from yichuang.cases import services as case_services
from yichuang.cases.queries import with_light as case_light
from yichuang.core.errors import NotAllowed
from yichuang.core.models import AuditEvent
from yichuang.feedback.models import FollowUp
from yichuang.feedback.queries import with_light as feedback_light
from yichuang.feedback.services.ratings import rate_case
from yichuang.inquiries.queries import with_light as inquiry_light
from yichuang.inquiries.tests.factories import log
from yichuang.workdays import services as workdays
from yichuang.workdays.models import ClockSettings
from yichuang.workdays.queries import hall_yellow_rule

from .factories import all_required, applicant, at, completed_case, make_service

pytestmark = pytest.mark.django_db


def _light(model_light, obj, today):
    return model_light(type(obj).objects.filter(pk=obj.pk), today).get().light


def test_changing_the_yellow_rule_turns_running_lights_yellow_at_once(hall, settings):
    settings.FEEDBACK_VERIFY_DAYS = 5  # a verification step long enough to be green first
    with at(2026, 3, 2, 10):
        rated = completed_case(hall)
        rate_case(rated, level=1, channel="portal", query_code=rated.query_code)
        inquiry = log(hall, time_limit="investigation")
    service = make_service(hall, code="xjyd", name="学籍异动", committed_days=10)
    with at(2026, 3, 3, 10):
        case = case_services.create_case(
            service=service,
            channel="window",
            applicant=applicant(),
            materials=all_required(service),
            by=hall.alice,
        )
        case_services.accept_case(case, by=hall.alice)
    follow_up = FollowUp.objects.get(case=rated)
    today = date(2026, 3, 4)
    assert _light(case_light, case, today) == "green"
    assert _light(inquiry_light, inquiry, today) == "green"
    assert _light(feedback_light, follow_up, today) == "green"

    # Yellow from the very start: all of the time is "used" at once, or 30 days are left.
    with at(2026, 3, 4, 9):
        workdays.set_yellow_rule(fraction="1/100", days_left=30, by=hall.olga)

    for obj in (case, inquiry, follow_up):
        obj.refresh_from_db()
    assert _light(case_light, case, today) == "yellow"
    assert _light(inquiry_light, inquiry, today) == "yellow"
    assert _light(feedback_light, follow_up, today) == "yellow"
    audit = AuditEvent.objects.get(action="calendar.yellow_rule_set")
    assert audit.data["to"] == ["1/100", 30] and audit.data["recomputed"]["cases"] == 0


def test_a_clerk_cannot_change_the_yellow_rule(hall):
    before = hall_yellow_rule()
    with pytest.raises(NotAllowed):
        workdays.set_yellow_rule(fraction="1/2", days_left=0, by=hall.alice)
    assert not ClockSettings.objects.exists() and hall_yellow_rule() == before
    assert not AuditEvent.objects.filter(action="calendar.yellow_rule_set").exists()


@pytest.mark.parametrize("fraction, days_left", [("0", 1), ("3/2", 1), ("半", 1), ("2/3", -1)])
def test_a_bad_yellow_rule_is_refused(hall, fraction, days_left):
    from yichuang.core.errors import Invalid

    with pytest.raises(Invalid):
        workdays.set_yellow_rule(fraction=fraction, days_left=days_left, by=hall.olga)
    assert not ClockSettings.objects.exists()
