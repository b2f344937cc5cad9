from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.inquiries import services
from yichuang.inquiries.models import HandoffState, Inquiry, InquiryEvent, Outcome, Status
from yichuang.inquiries.queries import with_light
from yichuang.org.models import Presence
from yichuang.org.services import set_presence

from .factories import aid_post, asker, log

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10):
    return time_machine.travel(datetime(y, m, d, hh, 0, tzinfo=SH), tick=False)


def light_on(inquiry, day):
    return with_light(Inquiry.objects.filter(pk=inquiry.pk), day).get().light


def test_the_first_person_asked_owns_the_inquiry(hall):
    inquiry = log(hall)
    assert inquiry.first_owner == inquiry.owner == hall.alice
    assert inquiry.department == inquiry.first_department == hall.jwc
    assert inquiry.status == Status.OPEN
    assert inquiry.events.get().action == "create"


def test_numbers_are_readable_and_unique(hall):
    with at(2026, 3, 2):
        a, b = log(hall), log(hall)
    assert a.number == "ZX202603020001" and b.number == "ZX202603020002"
    assert a.query_code != b.query_code and len(a.query_code) == 8


def test_asker_phone_is_encrypted_at_rest(hall):
    from django.db import connection

    inquiry = log(hall)
    with connection.cursor() as cur:
        cur.execute("SELECT asker_phone FROM inquiries_inquiry WHERE id = %s", [inquiry.pk])
        (raw,) = cur.fetchone()
    assert "13812345678" not in raw
    assert Inquiry.objects.get(pk=inquiry.pk).asker_phone == "13812345678"


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"asker": {"name": "李小明"}}, "invalid_phone"),  # 001: a caller's number is logged
        ({"asker": {"name": "", "phone": "13812345678"}}, "invalid_name"),
        ({"asker": asker(phone="12345")}, "invalid_phone"),
        ({"asker": asker(email="not-an-address")}, "invalid_email"),
        ({"matter": "   "}, "invalid_matter"),
        ({"channel": "fax"}, "invalid_channel"),
        ({"channel": "online"}, "invalid_channel"),
        ({"time_limit": "someday"}, "invalid_limit"),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(hall, kwargs, code):
    args = {"channel": "phone", "asker": asker(), "matter": "在读证明", "by": hall.alice, **kwargs}
    with pytest.raises(Invalid) as exc:
        services.log_inquiry(**args)
    assert exc.value.code == code
    assert Inquiry.objects.count() == 0 and InquiryEvent.objects.count() == 0


def test_walk_in_needs_no_phone(hall):
    inquiry = services.log_inquiry(
        channel="walk_in", asker={"name": "王同学"}, matter="校历", by=hall.alice
    )
    assert inquiry.asker_phone == ""


def test_evaluators_do_not_log_inquiries(hall):
    from yichuang.org.testing import make_staff

    eve = make_staff("eve", None, "evaluator")
    with pytest.raises(NotAllowed):
        log(hall, by=eve)


def test_answer_on_the_spot_finishes_it(hall):
    inquiry = log(hall)
    services.answer_inquiry(inquiry, answer="凭学生证到1号窗口即办。", by=hall.alice)
    assert inquiry.status == Status.ANSWERED and inquiry.outcome == Outcome.ANSWERED
    assert inquiry.answered_by == hall.alice and inquiry.answered_on_time is True
    with pytest.raises(Conflict):
        services.answer_inquiry(inquiry, answer="再答一次", by=hall.alice)


def test_an_empty_answer_is_refused(hall):
    inquiry = log(hall)
    with pytest.raises(Invalid):
        services.answer_inquiry(inquiry, answer="  ", by=hall.alice)
    inquiry.refresh_from_db()
    assert inquiry.status == Status.OPEN


def test_routing_leaves_the_sender_owner_until_acknowledged(hall):
    post = aid_post(hall)
    inquiry = log(hall)
    handoff = services.transfer_inquiry(inquiry, post=post, note="属于资助业务", by=hall.alice)
    assert handoff.to_staff == hall.dave
    assert inquiry.status == Status.ROUTED and inquiry.owner == hall.alice
    services.acknowledge_inquiry(inquiry, by=hall.dave)
    handoff.refresh_from_db()
    assert inquiry.owner == hall.dave and inquiry.department == hall.xsc and inquiry.post == post
    assert inquiry.first_owner == hall.alice and inquiry.status == Status.OPEN
    assert handoff.state == HandoffState.ACKNOWLEDGED and handoff.acknowledged_by == hall.dave
    services.answer_inquiry(inquiry, answer="请登录资助系统申请。", by=hall.dave)
    assert inquiry.outcome == Outcome.ROUTED


def test_routing_goes_to_the_backup_while_the_holder_is_away(hall):
    set_presence(hall.alice, status=Presence.LEAVE, by=hall.alice)
    inquiry = log(hall, by=hall.dave)  # 学生处 is asked about 学籍
    handoff = services.transfer_inquiry(inquiry, post=hall.post, by=hall.dave)
    assert handoff.to_staff == hall.bob and inquiry.owner == hall.dave
    assert inquiry.events.get(action="transfer").data["covering_for"] == "alice"
    services.acknowledge_inquiry(inquiry, by=hall.bob)
    assert inquiry.owner == hall.bob and inquiry.department == hall.jwc
    assert inquiry.events.get(action="acknowledge").covered_for == hall.alice


def test_whoever_covers_the_post_now_may_take_it_over(hall):
    inquiry = log(hall, by=hall.dave)
    services.transfer_inquiry(inquiry, post=hall.post, by=hall.dave)  # to alice
    set_presence(hall.alice, status=Presence.BUSINESS_TRIP, by=hall.alice)
    services.acknowledge_inquiry(inquiry, by=hall.bob)
    assert inquiry.owner == hall.bob


def test_a_declined_hand_off_returns_to_its_owner(hall):
    post = aid_post(hall)
    inquiry = log(hall)
    services.transfer_inquiry(inquiry, post=post, by=hall.alice)
    with pytest.raises(Invalid):
        services.decline_inquiry(inquiry, reason="", by=hall.dave)
    services.decline_inquiry(inquiry, reason="不属于学生处职责", by=hall.dave)
    assert inquiry.status == Status.OPEN and inquiry.owner == hall.alice and inquiry.post is None
    assert inquiry.handoffs.get().state == HandoffState.DECLINED


def test_no_inquiry_is_ever_without_an_owner(hall):
    post = aid_post(hall)
    inquiry = log(hall)
    services.transfer_inquiry(inquiry, post=post, by=hall.alice)
    services.withdraw_inquiry(inquiry, by=hall.alice)
    services.transfer_inquiry(inquiry, post=post, by=hall.alice)
    services.decline_inquiry(inquiry, reason="不归口", by=hall.dave)
    services.transfer_inquiry(inquiry, post=post, by=hall.alice)
    services.acknowledge_inquiry(inquiry, by=hall.dave)
    owners = [e.data.get("owner") for e in inquiry.events.filter(action="transfer")]
    assert owners == ["alice", "alice", "alice"]
    assert not Inquiry.objects.filter(owner__isnull=True).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Inquiry.objects.filter(pk=inquiry.pk).update(owner=None)


def test_only_one_hand_off_waits_at_a_time(hall):
    post = aid_post(hall)
    inquiry = log(hall)
    services.transfer_inquiry(inquiry, post=post, by=hall.alice)
    with pytest.raises(Conflict):
        services.transfer_inquiry(inquiry, post=hall.post, by=hall.alice)


def test_answering_while_routed_withdraws_the_hand_off(hall):
    post = aid_post(hall)
    inquiry = log(hall)
    services.transfer_inquiry(inquiry, post=post, by=hall.alice)
    services.answer_inquiry(inquiry, answer="已查明：可在网上申请。", by=hall.alice)
    assert inquiry.handoffs.get().state == HandoffState.WITHDRAWN
    assert inquiry.outcome == Outcome.ANSWERED


def test_a_post_with_nobody_cannot_receive(hall):
    from yichuang.org.models import Post

    empty = Post.objects.create(code="xsc-empty", name="空岗", department=hall.xsc)
    inquiry = log(hall)
    with pytest.raises(Conflict) as exc:
        services.transfer_inquiry(inquiry, post=empty, by=hall.alice)
    assert exc.value.code == "no_receiver"
    inquiry.refresh_from_db()
    assert inquiry.status == Status.OPEN and not inquiry.handoffs.exists()


def test_refer_outside_tells_the_unit_and_contact(hall):
    inquiry = log(hall)
    services.refer_inquiry(
        inquiry, unit="研究生院培养办", contact="0731-88820000，行政楼302", by=hall.alice
    )
    assert inquiry.status == Status.REFERRED and inquiry.outcome == Outcome.REFERRED
    assert inquiry.referred_contact.startswith("0731")


def test_another_department_cannot_act_on_it(hall):
    inquiry = log(hall)
    assert not Inquiry.objects.visible_to(hall.dave).filter(pk=inquiry.pk).exists()
    verbs: list[tuple[Callable[..., object], dict]] = [
        (services.answer_inquiry, {"answer": "x"}),
        (services.transfer_inquiry, {"post": hall.post}),
        (services.close_inquiry, {"reason": "x"}),
    ]
    for verb, kwargs in verbs:
        with pytest.raises((NotAllowed, Invalid)):
            verb(inquiry, by=hall.dave, **kwargs)
    inquiry.refresh_from_db()
    assert inquiry.status == Status.OPEN and inquiry.events.count() == 1


def test_colleague_sees_but_does_not_answer_and_the_head_may(hall):
    inquiry = log(hall)
    assert Inquiry.objects.visible_to(hall.bob).filter(pk=inquiry.pk).exists()
    with pytest.raises(NotAllowed):
        services.answer_inquiry(inquiry, answer="x", by=hall.bob)
    services.answer_inquiry(inquiry, answer="由负责人答复。", by=hall.carol)
    assert inquiry.status == Status.ANSWERED


def test_the_receiving_department_sees_a_hand_off(hall):
    post = aid_post(hall)
    inquiry = log(hall)
    services.transfer_inquiry(inquiry, post=post, by=hall.alice)
    assert Inquiry.objects.visible_to(hall.dave).filter(pk=inquiry.pk).exists()
    assert Inquiry.objects.visible_to(hall.olga).filter(pk=inquiry.pk).exists()


@pytest.mark.parametrize(
    "limit, due, yellow",
    [
        ("immediate", date(2026, 3, 2), date(2026, 3, 2)),  # 能答复的马上答复
        ("investigation", date(2026, 3, 17), date(2026, 3, 12)),  # 半个月
        ("complex", date(2026, 4, 1), date(2026, 3, 22)),  # 一个月
    ],
)
def test_the_three_time_limits_in_natural_days(hall, limit, due, yellow):
    with at(2026, 3, 2):
        inquiry = log(hall, time_limit=limit)
    assert (inquiry.due, inquiry.yellow_on, inquiry.days_unit) == (due, yellow, "natural")


def test_a_natural_day_limit_ending_on_a_holiday_ends_on_the_next_working_day(hall):
    """民法典 第二百零三条. 2025-10-01 + 15 days is 10-16 (Thursday, worked): unchanged.
    2025-09-20 + 15 is 10-05 (National Day): the period ends on Thursday 10-09; a limit
    ending on a Saturday ends on the Monday."""
    with at(2025, 10, 1):
        assert log(hall, time_limit="investigation").due == date(2025, 10, 16)
    with at(2025, 9, 20):
        assert log(hall, time_limit="investigation").due == date(2025, 10, 9)
    with at(2026, 3, 6):  # + 15 = Saturday 03-21
        assert log(hall, time_limit="investigation").due == date(2026, 3, 23)


def test_time_limits_in_working_days_skip_national_day(hall, settings):
    settings.INQUIRY_DAYS_UNIT = "working"
    # 2025: Oct 1–8 off, Oct 11 (Sat) worked. From Tue Sep 30, fifteen working days:
    # Oct 9, 10, 11, 13–17, 20–24, 27, 28.
    with at(2025, 9, 30):
        inquiry = log(hall, time_limit="investigation")
    assert inquiry.due == date(2025, 10, 28) and inquiry.days_unit == "working"


def test_at_once_means_the_next_working_day_when_nobody_is_there(hall):
    with at(2026, 3, 7):  # Saturday
        inquiry = log(hall)
    assert inquiry.due == date(2026, 3, 9)
    with at(2026, 3, 2):  # an online message is read later: by the next working day
        online = services.ask_online(asker=asker(), matter="宿舍调换", department=hall.jwc)
    assert online.due == date(2026, 3, 3)


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2026, 3, 2), "green"),
        (date(2026, 3, 11), "green"),
        (date(2026, 3, 12), "yellow"),  # two thirds of 15 days used
        (date(2026, 3, 17), "yellow"),  # the due day itself is not late
        (date(2026, 3, 18), "red"),
    ],
)
def test_lights_for_an_inquiry_that_needs_investigation(hall, today, expected):
    with at(2026, 3, 2):
        inquiry = log(hall, time_limit="investigation")
    assert light_on(inquiry, today) == expected


def test_an_immediate_inquiry_is_yellow_the_same_day_and_red_the_next(hall):
    with at(2026, 3, 2):
        inquiry = log(hall)
    assert light_on(inquiry, date(2026, 3, 2)) == "yellow"
    assert light_on(inquiry, date(2026, 3, 3)) == "red"
    services.answer_inquiry(inquiry, answer="已答复", by=hall.alice)
    assert light_on(inquiry, date(2026, 3, 3)) is None


def test_reclassifying_counts_again_from_the_day_of_receipt(hall):
    with at(2026, 3, 2):
        inquiry = log(hall)
    with at(2026, 3, 3):
        services.set_time_limit(inquiry, time_limit="complex", by=hall.alice)
    assert inquiry.due == date(2026, 4, 1)
    assert light_on(inquiry, date(2026, 3, 3)) == "green"
    assert inquiry.events.get(action="set_limit").data == {
        "from": "immediate",
        "to": "complex",
        "due": "2026-04-01",
    }


def test_satisfaction_once_after_the_answer(hall):
    inquiry = log(hall)
    with pytest.raises(Conflict):
        services.record_satisfaction(inquiry, level=5)
    services.answer_inquiry(inquiry, answer="已答复", by=hall.alice)
    with pytest.raises(Invalid):
        services.record_satisfaction(inquiry, level=7)
    services.record_satisfaction(inquiry, level=4)
    assert inquiry.satisfaction == 4
    with pytest.raises(Conflict):
        services.record_satisfaction(inquiry, level=1)


def test_online_inquiry_is_owned_by_whoever_covers_the_post(hall):
    set_presence(hall.alice, status=Presence.LEAVE, by=hall.alice)
    inquiry = services.ask_online(asker=asker(), matter="学籍异动怎么办？", department=hall.jwc)
    assert inquiry.owner == inquiry.first_owner == hall.bob
    assert inquiry.events.get().by is None


def test_online_inquiry_needs_a_way_to_answer(hall):
    with pytest.raises(Invalid):
        services.ask_online(asker={"name": "李小明"}, matter="x", department=hall.jwc)
    with pytest.raises(Invalid):
        services.ask_online(asker=asker(), matter="x")
    assert Inquiry.objects.count() == 0


def test_disallowed_transitions_change_nothing(hall):
    inquiry = log(hall)
    before = InquiryEvent.objects.count()
    for verb in (services.acknowledge_inquiry, services.withdraw_inquiry):
        with pytest.raises(Conflict):
            verb(inquiry, by=hall.alice)
    inquiry.refresh_from_db()
    assert inquiry.status == Status.OPEN and InquiryEvent.objects.count() == before
