from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yichuang.cases import services
from yichuang.cases.models import CaseEvent, Status
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.org.models import Presence
from yichuang.org.services import set_presence

from .factories import all_required, applicant, make_service

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10):
    return time_machine.travel(datetime(y, m, d, hh, 0, tzinfo=SH), tick=False)


def new_case(hall, service=None, materials=None, by=None):
    service = service or make_service(hall)
    return services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service) if materials is None else materials,
        by=by or hall.alice,
    )


def accepted(hall, **kw):
    case = new_case(hall, **kw)
    services.accept_case(case, by=hall.alice)
    return case


def test_intake_lists_every_missing_required_material(hall):
    service = make_service(hall)
    case = new_case(hall, service, materials=[service.materials.get(name="学生证").pk])
    assert case.status == Status.SUBMITTED
    assert [m.name for m in case.materials.all() if m.required and not m.provided] == ["申请表"]
    with pytest.raises(Conflict) as exc:
        services.accept_case(case, by=hall.alice)
    assert exc.value.code == "materials_missing"
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.deadline is None


def test_numbers_are_readable_and_unique(hall):
    service = make_service(hall)
    with at(2026, 3, 2):
        a, b = new_case(hall, service), new_case(hall, service)
    assert a.number == "202603020001" and b.number == "202603020002"
    assert a.query_code != b.query_code and len(a.query_code) == 8


def test_personal_data_is_encrypted_at_rest_and_found_by_exact_id(hall):
    from django.db import connection

    from yichuang.cases.queries import find_by_id_number

    case = new_case(hall)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT applicant_id_number, applicant_phone FROM cases_case WHERE id = %s", [case.pk]
        )
        raw_id, raw_phone = cur.fetchone()
    assert "1101011990" not in raw_id and "13812345678" not in raw_phone
    assert list(find_by_id_number(hall.alice, "110101199003071233")) == [case]
    assert list(find_by_id_number(hall.dave, "110101199003071233")) == []


def test_bad_id_number_is_refused(hall):
    service = make_service(hall)
    with pytest.raises(Invalid):
        services.create_case(
            service=service,
            channel="window",
            applicant=applicant(id_number="110101199003071234"),
            materials=[],
            by=hall.alice,
        )


def test_clerk_of_another_department_cannot_take_intake(hall):
    with pytest.raises(NotAllowed):
        new_case(hall, by=hall.dave)


def test_deadline_counts_working_days_across_national_day(hall):
    # 2025: Oct 1–8 off, Sep 28 (Sun) and Oct 11 (Sat) worked. Accepted Tue Sep 30, 5 days:
    # Oct 9, 10, 11 (make-up Saturday), 13, 14.
    with at(2025, 9, 30):
        case = accepted(hall)
    assert case.deadline == date(2025, 10, 14)
    assert case.assignee == hall.alice
    assert case.documents.get(kind="acceptance").number == "教务〔2025〕0001号"


def test_deadline_across_spring_festival_2026(hall):
    # Feb 15–23 off; Feb 14 (Sat) and Feb 28 (Sat) worked. Accepted Fri Feb 13, 3 days.
    service = make_service(hall, committed_days=3)
    with at(2026, 2, 13):
        case = accepted(hall, service=service)
    assert case.deadline == date(2026, 2, 25)  # Feb 14, 24, 25


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2026, 3, 2), "green"),
        (date(2026, 3, 10), "green"),  # 6 of 10 days used
        (date(2026, 3, 11), "yellow"),  # 7 of 10: two thirds used
        (date(2026, 3, 16), "yellow"),  # the deadline day itself is not overdue
        (date(2026, 3, 17), "red"),
    ],
)
def test_light_turns_yellow_at_two_thirds_and_red_after_the_deadline(hall, today, expected):
    from yichuang.cases.models import Case
    from yichuang.cases.queries import with_light

    service = make_service(hall, committed_days=10)
    with at(2026, 3, 2):  # Monday: Mar 3 … 16 are the ten working days
        case = accepted(hall, service=service)
    assert case.deadline == date(2026, 3, 16)
    assert with_light(Case.objects.filter(pk=case.pk), today).get().light == expected


def test_light_is_yellow_with_one_day_left_on_short_deadlines(hall):
    from yichuang.cases.models import Case
    from yichuang.cases.queries import with_light

    service = make_service(hall, committed_days=2)
    with at(2026, 3, 2):
        case = accepted(hall, service=service)  # Mar 3, 4
    assert with_light(Case.objects.filter(pk=case.pk), date(2026, 3, 2)).get().light == "green"
    assert with_light(Case.objects.filter(pk=case.pk), date(2026, 3, 3)).get().light == "yellow"


def test_suspension_stops_the_clock_and_moves_the_deadline(hall):
    with at(2026, 3, 2):
        case = accepted(hall)  # 5 days → Mar 9
    assert case.deadline == date(2026, 3, 9)
    with at(2026, 3, 3):
        services.suspend_case(case, reason="专家评审", by=hall.alice)
    from yichuang.cases.models import Case
    from yichuang.cases.queries import with_light

    assert with_light(Case.objects.filter(pk=case.pk), date(2026, 3, 20)).get().light is None
    with at(2026, 3, 6):  # Mar 4, 5, 6 spent suspended: three working days
        services.resume_case(case, by=hall.alice)
    assert case.status == Status.ACCEPTED and case.deadline == date(2026, 3, 12)


def test_extension_by_the_department_head_only(hall):
    with at(2026, 3, 2):
        case = accepted(hall)
        with pytest.raises(NotAllowed):
            services.extend_case(case, days=5, reason="需要补充调查", by=hall.alice)
        services.extend_case(case, days=5, reason="需要补充调查", by=hall.carol)
    assert case.deadline == date(2026, 3, 16)
    assert case.status == Status.ACCEPTED


def test_review_then_check_by_someone_else_completes(hall):
    case = accepted(hall)
    services.review_case(case, decision="approve", note="材料齐全", by=hall.alice)
    assert case.status == Status.CHECKING
    with pytest.raises(NotAllowed):
        services.check_case(case, agree=True, by=hall.alice)
    services.check_case(case, agree=True, by=hall.rita)
    assert case.status == Status.COMPLETED and case.outcome == "approved"
    assert case.completed_on_time is True


def test_checker_must_differ_from_reviewer_even_when_head(hall):
    case = accepted(hall)
    services.review_case(case, decision="approve", by=hall.carol)
    with pytest.raises(NotAllowed) as exc:
        services.check_case(case, agree=True, by=hall.carol)
    assert exc.value.code == "checker_is_reviewer"
    case.refresh_from_db()
    assert case.status == Status.CHECKING


def test_check_disagreeing_sends_it_back(hall):
    case = accepted(hall)
    services.review_case(case, decision="approve", by=hall.alice)
    services.check_case(case, agree=False, note="缺少签字", by=hall.rita)
    assert case.status == Status.ACCEPTED and case.reviewed_by is None


def test_immediate_service_completes_on_the_spot_but_committed_does_not(hall):
    immediate = make_service(hall, code="cjzm", name="成绩证明", kind="immediate", committed_days=0)
    case = new_case(hall, immediate)
    services.complete_case(case, by=hall.alice)
    assert case.status == Status.COMPLETED and case.documents.filter(kind="completion").exists()
    committed = new_case(hall)
    with pytest.raises(Conflict):
        services.complete_case(committed, by=hall.alice)


def test_supplement_round_trip(hall):
    service = make_service(hall)
    card = service.materials.get(name="学生证")
    form = service.materials.get(name="申请表")
    case = new_case(hall, service, materials=[card.pk])
    services.request_supplement(case, missing=[form.pk], note="请补交申请表", by=hall.alice)
    assert case.status == Status.SUPPLEMENT
    assert case.documents.get(kind="supplement").data["missing"] == ["申请表"]
    services.supplement_case(case, materials=[form.pk])
    assert case.status == Status.SUBMITTED
    services.accept_case(case, by=hall.alice)
    assert case.status == Status.ACCEPTED


@pytest.mark.parametrize(
    "action, kwargs",
    [
        ("review_case", {"decision": "approve"}),
        ("resume_case", {}),
        ("check_case", {"agree": True}),
        ("supplement_case", {"materials": [1]}),
    ],
)
def test_disallowed_transitions_change_nothing(hall, action, kwargs):
    case = new_case(hall)
    before = CaseEvent.objects.count()
    with pytest.raises(Conflict):
        getattr(services, action)(
            case, by=hall.rita if action == "check_case" else hall.alice, **kwargs
        )
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and CaseEvent.objects.count() == before


def test_reject_and_return_need_a_reason(hall):
    service = make_service(hall)
    case = new_case(hall, service)
    with pytest.raises(Invalid):
        services.reject_case(case, reason="  ", by=hall.alice)
    services.reject_case(case, reason="不属于本部门职权范围，请向研究生院申请", by=hall.alice)
    assert case.status == Status.REJECTED
    other = accepted(hall, service=service)
    services.return_case(other, reason="申请人撤回", by=hall.alice)
    assert other.status == Status.RETURNED


def test_ab_routing_assigns_the_backup_and_records_whom_they_cover(hall):
    set_presence(hall.alice, status=Presence.LEAVE, by=hall.alice)
    case = new_case(hall, by=hall.bob)
    services.accept_case(case, by=hall.bob)
    assert case.assignee == hall.bob
    event = case.events.get(action="accept")
    assert event.covered_for == hall.alice


def test_transfer_moves_post_and_assignee(hall):
    from yichuang.org.models import Post, PostBackup

    exam = Post.objects.create(
        code="jwc-exam", name="考试与证书岗", department=hall.jwc, holder=hall.bob
    )
    PostBackup.objects.create(post=exam, staff=hall.alice, position=1)
    case = accepted(hall)
    services.transfer_case(case, post=exam, reason="属于证书业务", by=hall.alice)
    assert case.post == exam and case.assignee == hall.bob and case.status == Status.ACCEPTED


def test_joint_case_needs_every_part_done_before_the_lead_completes(hall):
    from yichuang.cases.models import Case

    service = make_service(hall)
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
        joint_parts=[(hall.xsc, None)],
    )
    services.accept_case(case, by=hall.alice)
    assert Case.objects.visible_to(hall.dave).filter(pk=case.pk).exists()  # co-handler sees it
    services.review_case(case, decision="approve", by=hall.alice)
    with pytest.raises(Conflict):
        services.check_case(case, agree=True, by=hall.rita)
    services.complete_part(case, department=hall.xsc, note="已核对", by=hall.dave)
    services.check_case(case, agree=True, by=hall.rita)
    assert case.status == Status.COMPLETED


def test_online_application_unanswered_for_five_days_counts_from_receipt(hall):
    service = make_service(hall)
    with at(2026, 3, 2):
        case = services.create_case(
            service=service,
            channel="online",
            applicant=applicant(),
            materials=all_required(service),
        )
    with at(2026, 3, 10):  # six working days later
        services.accept_case(case, by=hall.alice)
    assert case.clock_start == date(2026, 3, 2) and case.deadline == date(2026, 3, 9)


def test_applicant_is_told_at_acceptance_supplement_and_completion(
    hall, django_capture_on_commit_callbacks
):
    from yichuang.core.models import AuditEvent

    service = make_service(hall)
    card = service.materials.get(name="学生证")
    with django_capture_on_commit_callbacks(execute=True):
        case = new_case(hall, service, materials=[card.pk])
        services.request_supplement(
            case, missing=[service.materials.get(name="申请表").pk], by=hall.alice
        )
        services.supplement_case(case, materials=[service.materials.get(name="申请表").pk])
        services.accept_case(case, by=hall.alice)
        services.review_case(case, decision="approve", by=hall.alice)
        services.check_case(case, agree=True, by=hall.rita)
    sent = AuditEvent.objects.filter(action="notification.sent", target_id=str(case.pk))
    kinds = [e.data.get("kind") for e in sent]
    assert {"case.supplement", "case.accepted", "case.completed"} <= set(kinds)
    assert any(
        "申请表" in (e.data.get("body") or "")
        for e in sent
        if e.data.get("kind") == "case.supplement"
    )
    assert all("13812345678" not in str(e.data) for e in sent)  # addresses are masked in the record


def test_transfer_refreshes_the_callers_post_and_department(hall):
    """The caller's object shows the new post and department at once, even when it had read
    the old ones before (their relation cache must be refreshed, not only the ids)."""
    from yichuang.org.models import Post

    card = Post.objects.create(code="xsc-aid", name="资助岗", department=hall.xsc, holder=hall.dave)
    case = accepted(hall)
    assert case.post == hall.post and case.department == hall.jwc  # relations now cached
    services.transfer_case(case, post=card, reason="属于资助业务", by=hall.alice)
    assert case.post == card and case.department == hall.xsc and case.assignee == hall.dave


def test_online_immediate_item_completed_after_the_five_day_line_counts_from_receipt(hall):
    """§32: an online application not answered within five working days counts as accepted
    on receipt — for an immediate item too, which is then completed late, not on time."""
    service = make_service(hall, code="zxzm-im", kind="immediate", committed_days=0)
    with at(2026, 11, 24):  # Tuesday; the line is Tuesday 12-01
        case = services.create_case(
            service=service,
            channel="online",
            applicant=applicant(),
            materials=all_required(service),
        )
    with at(2026, 12, 2):
        services.complete_case(case, by=hall.alice)
    assert case.clock_start == date(2026, 11, 24) and case.deadline == date(2026, 11, 24)
    assert case.completed_on_time is False
    event = CaseEvent.objects.get(case=case, action="complete")
    assert event.data["deemed_accepted_on"] == "2026-11-24"


def test_online_immediate_item_completed_within_the_line_counts_from_today(hall):
    service = make_service(hall, code="zxzm-im", kind="immediate", committed_days=0)
    with at(2026, 11, 24):
        case = services.create_case(
            service=service,
            channel="online",
            applicant=applicant(),
            materials=all_required(service),
        )
    with at(2026, 12, 1):
        services.complete_case(case, by=hall.alice)
    assert case.clock_start == date(2026, 12, 1) and case.completed_on_time is True
    assert "deemed_accepted_on" not in CaseEvent.objects.get(case=case, action="complete").data


def test_a_deadline_is_provisional_while_any_year_it_counts_through_is_not_official(hall):
    from yichuang.workdays.calendar import WorkCalendar
    from yichuang.workdays.clock import clock

    cal = WorkCalendar(official_years=frozenset({2026, 2028}))
    assert clock(cal, date(2026, 12, 2), 300).provisional  # through 2027 into 2028
    assert not clock(cal, date(2026, 12, 2), 5).provisional
