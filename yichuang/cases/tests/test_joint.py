"""联办: a joint case's parts start at acceptance with their own handler (AB), deadline and
light; the part's department completes or refuses it, the lead drops a refused part or
returns the case, and completes only when no part is open."""

from datetime import date
from typing import Any

import pytest

from yichuang.cases import services
from yichuang.cases.models import Case, CaseEvent, CasePart, PartStatus, Status
from yichuang.cases.queries import my_work, parts_of
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.models import StaffNotice
from yichuang.org.models import Presence
from yichuang.org.services import set_presence

from .joint_hall import accepted_joint, at, joint_case, make_joint

pytestmark = pytest.mark.django_db


@pytest.fixture
def j(hall):
    return make_joint(hall)


def _part(case, department) -> Any:  # a CasePart with its light (queries.parts_of)
    return parts_of(case).get(department=department)


def test_parts_wait_until_the_lead_accepts_then_start_with_their_own_clock_and_handler(j):
    hall = j.hall
    with at(2026, 3, 2):
        case = joint_case(j)
        assert case.is_joint
        assert [(p.status, p.assignee) for p in parts_of(case)] == [
            (PartStatus.PENDING, None),
            (PartStatus.PENDING, None),
        ]
        services.accept_case(case, by=hall.alice)
    card, room = _part(case, hall.xsc), _part(case, j.hqc)
    assert case.deadline == date(2026, 3, 9)  # the lead's deadline is the case's
    assert (card.status, card.assignee, card.title, card.deadline) == (
        PartStatus.RUNNING,
        hall.dave,
        "学生证补办",
        date(2026, 3, 12),  # 学生证补办's own 8 working days from the acceptance day
    )
    # A part without a service: the department's post, and the case's committed days.
    assert (room.assignee, room.title, room.deadline) == (j.hank, "配合办理", date(2026, 3, 9))
    assert case.events.get(action="accept").data["parts"][0]["assignee"] == "dave"


def test_each_part_has_its_own_light(j):
    hall = j.hall
    case = accepted_joint(j)
    with at(2026, 3, 6):  # the lead turns yellow on Friday; 学生证 (8 days) is still green
        assert _part(case, hall.xsc).light == "green"
        assert _part(case, j.hqc).light == "yellow"
    with at(2026, 3, 10):
        assert _part(case, hall.xsc).light == "yellow"
        assert _part(case, j.hqc).light == "red"
    with at(2026, 3, 10):
        services.complete_part(case, department=hall.xsc, by=hall.dave)
        assert _part(case, hall.xsc).light is None  # done: the clock stops


def test_a_part_goes_to_the_present_backup_who_is_told(j):
    hall = j.hall
    set_presence(hall.dave, status=Presence.LEAVE, by=hall.dave)
    case = accepted_joint(j)
    assert _part(case, hall.xsc).assignee == j.erin
    notice = StaffNotice.objects.get(recipient=j.erin, kind="case.part_assigned")
    assert case.number in notice.subject and "学生证补办" in notice.text
    assert StaffNotice.objects.filter(recipient=j.hank, kind="case.part_assigned").exists()


@pytest.mark.parametrize(
    "parts, code",
    [
        (lambda j: [(j.hall.jwc, None)], "joint_lead_department"),
        (lambda j: [(j.hall.xsc, None), (j.hall.xsc, j.card)], "joint_duplicate"),
        (lambda j: [(j.hqc, j.card)], "joint_service_department"),
    ],
)
def test_intake_refuses_the_lead_itself_duplicates_and_a_service_of_another_department(
    j, parts, code
):
    with pytest.raises(Invalid) as exc:
        joint_case(j, parts(j))
    assert exc.value.code == code
    assert Case.objects.count() == 0 and CasePart.objects.count() == 0


def test_only_the_parts_department_completes_or_refuses_it(j):
    hall = j.hall
    case = accepted_joint(j)
    for stranger in (hall.alice, hall.carol, hall.olga, hall.rita, j.hank, j.cora):
        with pytest.raises(NotAllowed):
            services.complete_part(case, department=hall.xsc, by=stranger)
        with pytest.raises(NotAllowed):
            services.refuse_part(case, department=hall.xsc, reason="不办", by=stranger)
    assert _part(case, hall.xsc).status == PartStatus.RUNNING
    services.complete_part(case, department=hall.xsc, note="已补办", by=j.erin)  # the backup
    part = _part(case, hall.xsc)
    assert (part.status, part.done_by, part.note) == (PartStatus.DONE, j.erin, "已补办")
    event = case.events.get(action="complete_part")
    assert event.data["department"] == "xsc" and event.status == Status.ACCEPTED
    with pytest.raises(Conflict):  # once
        services.complete_part(case, department=hall.xsc, by=hall.dave)


def test_parts_are_not_worked_before_acceptance(j):
    with at(2026, 3, 2):
        case = joint_case(j)
        with pytest.raises(Conflict):
            services.complete_part(case, department=j.hall.xsc, by=j.hall.dave)


def test_a_refusal_needs_reasons_and_the_lead_is_told(j):
    hall = j.hall
    case = accepted_joint(j)
    with pytest.raises(Invalid):
        services.refuse_part(case, department=j.hqc, reason="  ", by=j.hank)
    services.refuse_part(case, department=j.hqc, reason="该生未在校内住宿", by=j.hank)
    part = _part(case, j.hqc)
    assert (part.status, part.note) == (PartStatus.REFUSED, "该生未在校内住宿")
    assert case.events.get(action="refuse_part").note == "该生未在校内住宿"
    told = StaffNotice.objects.get(recipient=hall.alice, kind="case.part_refused")
    assert "该生未在校内住宿" in told.text


def test_the_lead_drops_a_refused_part_and_completes_when_the_rest_are_done(j):
    hall = j.hall
    case = accepted_joint(j)
    services.refuse_part(case, department=j.hqc, reason="该生未在校内住宿", by=j.hank)
    services.review_case(case, decision="approve", by=hall.alice)
    with pytest.raises(Conflict) as exc:  # a refused part is still open
        services.check_case(case, agree=True, by=hall.rita)
    assert exc.value.code == "joint_parts_open"
    for stranger in (hall.dave, j.hank, j.cora):  # the lead's handler decides, nobody else
        with pytest.raises(NotAllowed):
            services.drop_part(case, department=j.hqc, reason="不需要", by=stranger)
    with pytest.raises(Invalid):
        services.drop_part(case, department=j.hqc, reason="", by=hall.alice)
    with pytest.raises(Conflict):  # only a refused part is dropped
        services.drop_part(case, department=hall.xsc, reason="不需要", by=hall.alice)
    services.drop_part(case, department=j.hqc, reason="无住宿，无需后勤处办理", by=hall.alice)
    assert _part(case, j.hqc).status == PartStatus.DROPPED
    with pytest.raises(Conflict):
        services.check_case(case, agree=True, by=hall.rita)  # 学生证 still running
    services.complete_part(case, department=hall.xsc, by=hall.dave)
    services.check_case(case, agree=True, by=hall.rita)
    assert case.status == Status.COMPLETED
    assert list(case.events.values_list("action", flat=True)) == [
        "create",
        "accept",
        "refuse_part",
        "review",
        "drop_part",
        "complete_part",
        "check",
    ]


def test_the_lead_may_return_the_case_instead(j):
    hall = j.hall
    case = accepted_joint(j)
    services.refuse_part(case, department=hall.xsc, reason="学生证信息不符", by=hall.dave)
    services.return_case(case, reason="联办部门退回：学生证信息不符", by=hall.alice)
    assert case.status == Status.RETURNED
    assert _part(case, j.hqc).light is None  # the case closed: no part's clock runs on
    with pytest.raises(Conflict):
        services.complete_part(case, department=j.hqc, by=j.hank)


def test_an_immediate_joint_case_is_accepted_not_completed_on_the_spot(j):
    from .factories import make_service

    hall = j.hall
    quick = make_service(hall, code="quick", name="即办证明", kind="immediate", committed_days=0)
    from yichuang.cases.tests.factories import all_required, applicant

    case = services.create_case(
        service=quick,
        channel="window",
        applicant=applicant(),
        materials=all_required(quick),
        by=hall.alice,
        joint_parts=[(hall.xsc, None)],
    )
    with pytest.raises(Conflict):
        services.complete_case(case, by=hall.alice)


def test_the_part_handler_sees_the_case_in_their_list_and_others_see_nothing(j):
    hall = j.hall
    case = accepted_joint(j)
    assert case in my_work(hall.dave) and case in my_work(j.hank)
    assert Case.objects.visible_to(j.hank).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(j.cora).filter(pk=case.pk).exists()
    assert case not in my_work(j.cora)


def test_it_validates_ownership(j, client_for):
    """Another department's staff find neither the case nor a part's action."""
    case = accepted_joint(j)
    c = client_for(j.cora)
    assert c.get(f"/cases/{case.number}/").status_code == 404
    r = c.post(f"/cases/{case.number}/act/complete_part/", {"department": "xsc"})
    assert r.status_code == 404
    assert _part(case, j.hall.xsc).status == PartStatus.RUNNING


def test_part_steps_are_in_the_ledger_and_the_applicants_timeline(j):
    case = accepted_joint(j)
    services.complete_part(case, department=j.hall.xsc, by=j.hall.dave)
    case.refresh_from_db()
    assert case.public_events[-1]["action"] == "complete_part"
    assert "学生处" in case.public_events[-1]["note"]
    assert CaseEvent.objects.filter(case=case, action="complete_part", by=j.hall.dave).exists()


def test_accepted_on_the_day_of_receipt_for_a_late_online_answer_parts_count_from_it(j):
    """A part's clock counts from the case's clock start (the day of receipt when the §32
    answer came late), the one clock for lead and parts."""
    hall = j.hall
    from .factories import all_required, applicant

    with at(2026, 3, 2):
        case = services.create_case(
            service=j.lead,
            channel="online",
            applicant=applicant(),
            materials=all_required(j.lead),
            joint_parts=[(j.hqc, j.room)],
        )
    with at(2026, 3, 10):
        services.accept_case(case, by=hall.alice)
    assert case.clock_start == date(2026, 3, 2)
    assert _part(case, j.hqc).deadline == date(2026, 3, 5)


def test_escalation_reminds_a_parts_handler_on_yellow_and_its_head_on_red(j):
    from yichuang.cases.escalation import part_reminders
    from yichuang.org.testing import make_staff

    hall = j.hall
    xsc_head = make_staff("xhead", hall.xsc, "department_head", full_name="孙丽华")
    case = accepted_joint(j)
    services.complete_part(case, department=j.hqc, by=j.hank)
    with at(2026, 3, 10):
        yellow = list(part_reminders(date(2026, 3, 10)))
    assert [(r.level, r.staff) for r in yellow] == [("yellow", hall.dave)]
    assert yellow[0].about.case == case
    with at(2026, 3, 13):
        red = list(part_reminders(date(2026, 3, 13)))
    assert {(r.level, r.staff) for r in red} == {("red", hall.dave), ("red", xsc_head)}


def test_a_parts_deadline_follows_a_calendar_change(j):
    from yichuang.cases.clock_recompute import recompute_part_deadlines
    from yichuang.workdays.queries import hall_calendar

    case = accepted_joint(j)
    part = _part(case, j.hall.xsc)
    CasePart.objects.filter(pk=part.pk).update(deadline=date(2026, 3, 30))  # as if counted before
    assert recompute_part_deadlines(frozenset({2026}), calendar=hall_calendar(), by=None) == 1
    assert _part(case, j.hall.xsc).deadline == date(2026, 3, 12)


def test_a_case_is_not_transferred_to_one_of_its_co_departments(j):
    from yichuang.org.models import Post

    case = accepted_joint(j)
    with pytest.raises(Invalid) as exc:
        services.transfer_case(
            case, post=Post.objects.get(code="hqc-room"), reason="转后勤", by=j.hall.alice
        )
    assert exc.value.code == "joint_lead_department"
    case.refresh_from_db()
    assert case.department == j.hall.jwc
