from datetime import date

import pytest

from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.models import AuditEvent
from yichuang.feedback import services
from yichuang.feedback.models import AccountabilityRecord, Channel, FollowUp
from yichuang.feedback.queries import follow_up_figures, follow_up_list

from .factories import at, completed_case

pytestmark = pytest.mark.django_db


def bad_rating(hall, level=1):
    case = completed_case(hall, email="lixm@example.com")
    return services.rate_case(
        case, level=level, channel=Channel.SMS, comment="窗口推诿", query_code=case.query_code
    )


def light_of(follow_up, today):
    return follow_up_list(follow_up.owner, today=today).get(pk=follow_up.pk).light


def test_the_follow_up_loop_through_every_step_with_due_dates(
    hall, django_capture_on_commit_callbacks
):
    with at(2026, 3, 2):
        f = bad_rating(hall).follow_up
        assert light_of(f, date(2026, 3, 2)) == "yellow"  # one working day left
    assert (f.verify_due, f.rectify_due) == (date(2026, 3, 3), date(2026, 3, 23))
    assert light_of(f, date(2026, 3, 4)) == "red"

    with at(2026, 3, 3, 9):
        services.verify_follow_up(
            f, finding="substantiated", note="电话联系申请人，反映窗口推诿情况属实", by=hall.carol
        )
    assert f.status == "rectifying" and f.verified_by == hall.carol and f.verified_on_time
    assert (f.due, light_of(f, date(2026, 3, 4))) == (date(2026, 3, 23), "green")
    assert light_of(f, date(2026, 3, 17)) == "yellow"

    with at(2026, 3, 10):
        services.rectify_follow_up(
            f, measures="对窗口人员进行批评教育，完善首问负责", by=hall.carol
        )
    assert f.status == "replying"

    with at(2026, 3, 11), django_capture_on_commit_callbacks(execute=True):
        services.reply_follow_up(f, reply="经核实情况属实，已整改，感谢监督。", by=hall.carol)
    assert f.status == "replied" and f.rectified_on_time
    sms = AuditEvent.objects.filter(
        action="notification.sent", data__kind="feedback.follow_up_replied"
    )
    assert {e.data["channel"] for e in sms} == {"sms", "email"}

    with at(2026, 3, 12):
        services.close_follow_up(f, note="闭环", by=hall.olga)
    f.refresh_from_db()
    assert f.status == "closed" and light_of(f, date(2026, 4, 30)) is None
    events = list(f.events.values_list("action", "status", "by__username"))
    assert events == [
        ("open", "verifying", None),
        ("verify", "rectifying", "carol"),
        ("rectify", "replying", "carol"),
        ("reply", "replied", "carol"),
        ("close", "closed", "olga"),
    ]
    figures = follow_up_figures(FollowUp.objects.all(), today=date(2026, 3, 12))
    assert figures["closed"] == 1 and figures["rectification_rate"] == 1.0


def test_an_unfounded_rating_skips_rectification(hall):
    f = bad_rating(hall).follow_up
    services.verify_follow_up(f, finding="unsubstantiated", note="经核实系误解", by=hall.carol)
    assert f.status == "replying"
    with pytest.raises(Conflict):
        services.rectify_follow_up(f, measures="无", by=hall.carol)


def test_steps_are_taken_in_order_and_only_by_the_head_or_the_office(hall):
    f = bad_rating(hall).follow_up
    with pytest.raises(Conflict):
        services.reply_follow_up(f, reply="提前答复", by=hall.carol)
    for clerk in (hall.alice, hall.dave):
        with pytest.raises(NotAllowed):
            services.verify_follow_up(f, finding="partly", note="核实", by=clerk)
    with pytest.raises(Invalid):
        services.verify_follow_up(f, finding="partly", note="", by=hall.carol)
    with pytest.raises(Invalid):
        services.verify_follow_up(f, finding="maybe", note="核实", by=hall.carol)
    services.verify_follow_up(f, finding="partly", note="部分属实", by=hall.olga)
    assert f.events.count() == 2


def test_a_department_without_head_leaves_it_to_the_office(hall):
    from yichuang.org.models import RoleGrant

    RoleGrant.objects.filter(staff=hall.carol).delete()
    f = bad_rating(hall).follow_up
    assert f.owner is None
    assert list(FollowUp.objects.visible_to(hall.olga)) == [f]


def test_follow_ups_are_for_heads_not_for_the_rated_clerk(hall):
    f = bad_rating(hall).follow_up
    assert list(FollowUp.objects.visible_to(hall.carol)) == [f]
    assert not FollowUp.objects.visible_to(hall.alice).exists()
    assert not FollowUp.objects.visible_to(hall.dave).exists()


def test_accountability_from_a_follow_up_needs_a_substantiated_finding(hall):
    f = bad_rating(hall).follow_up
    with pytest.raises(Conflict):
        services.hold_accountable(
            staff=hall.alice, kind="criticism_education", reason="推诿", follow_up=f, by=hall.carol
        )
    services.verify_follow_up(f, finding="substantiated", note="属实", by=hall.carol)
    record = services.hold_accountable(
        staff=hall.alice, kind="criticism_education", reason="窗口推诿", follow_up=f, by=hall.carol
    )
    assert record.department == hall.jwc and f.events.last().action == "hold_accountable"
    assert AccountabilityRecord.objects.visible_to(hall.alice).get() == record


def test_the_same_measure_for_the_same_follow_up_and_person_is_refused(hall):
    f = bad_rating(hall).follow_up
    services.verify_follow_up(f, finding="substantiated", note="属实", by=hall.carol)
    services.hold_accountable(
        staff=hall.alice, kind="criticism_education", reason="窗口推诿", follow_up=f, by=hall.carol
    )
    with pytest.raises(Conflict) as exc:
        services.hold_accountable(
            staff=hall.alice,
            kind="criticism_education",
            reason="窗口推诿",
            follow_up=f,
            by=hall.carol,
        )
    assert exc.value.code == "duplicate_accountability" and "批评教育" in exc.value.message
    # another measure, or another person, is a new record
    services.hold_accountable(
        staff=hall.alice, kind="rectification_order", reason="限期整改", follow_up=f, by=hall.carol
    )
    services.hold_accountable(
        staff=hall.bob, kind="criticism_education", reason="未提醒", follow_up=f, by=hall.carol
    )
    assert AccountabilityRecord.objects.count() == 3


def test_the_database_refuses_a_duplicate_measure_too(hall):
    from django.db import IntegrityError, transaction

    f = bad_rating(hall).follow_up
    fields = {"staff": hall.alice, "kind": "criticism_education", "reason": "x", "by": hall.carol}
    AccountabilityRecord.objects.create(follow_up=f, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountabilityRecord.objects.create(follow_up=f, **fields)
