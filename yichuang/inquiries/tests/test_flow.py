"""The inquiry flow runs on core's step runner: the guard before the state, covered_for
whenever a backup acts, the caller's object fresh after a step, and the page offering exactly
what the services allow."""

import re

import pytest
from django.db import transaction

from yichuang.core.errors import Conflict, DomainError, NotAllowed
from yichuang.inquiries import services
from yichuang.inquiries.models import Inquiry, Status
from yichuang.org.models import Presence
from yichuang.org.services import set_presence

from .factories import aid_post, log

pytestmark = pytest.mark.django_db


def test_a_stranger_is_refused_even_where_the_state_would_refuse_too(hall):
    """A colleague or another department's clerk hears only that it is not theirs (403),
    never which state the inquiry is in; the owner asking the same hears the state (409)."""
    inquiry = log(hall)
    with pytest.raises(NotAllowed):  # nothing waits to be withdrawn
        services.withdraw_inquiry(inquiry, by=hall.bob)
    with pytest.raises(NotAllowed):  # nothing waits to be taken over
        services.acknowledge_inquiry(inquiry, by=hall.dave)
    with pytest.raises(NotAllowed):  # not answered yet, so not to be rated either
        services.record_satisfaction(inquiry, level=4, by=hall.dave)
    services.answer_inquiry(inquiry, answer="凭学生证即办。", by=hall.alice)
    with pytest.raises(NotAllowed):  # answered already
        services.answer_inquiry(inquiry, answer="再答一次", by=hall.bob)
    with pytest.raises(Conflict) as exc:
        services.answer_inquiry(inquiry, answer="再答一次", by=hall.alice)
    assert exc.value.code == "invalid_transition"
    with pytest.raises(Conflict):
        services.acknowledge_inquiry(inquiry, by=hall.alice)
    assert inquiry.events.count() == 2


def test_a_backup_acting_on_an_inquiry_records_whom_they_cover(hall):
    set_presence(hall.alice, status=Presence.LEAVE, by=hall.alice)
    inquiry = log(hall, by=hall.dave)  # 学生处 is asked about 学籍, routes it to alice's post
    services.transfer_inquiry(inquiry, post=hall.post, by=hall.dave)  # bob covers it
    services.acknowledge_inquiry(inquiry, by=hall.bob)
    services.set_time_limit(inquiry, time_limit="investigation", by=hall.bob)
    services.answer_inquiry(inquiry, answer="已查明，可办理。", by=hall.bob)
    covered = {e.action: e.covered_for for e in inquiry.events.all()}
    assert covered == {
        "create": None,
        "transfer": None,  # dave acts for nobody
        "acknowledge": hall.alice,
        "set_limit": hall.alice,
        "answer": hall.alice,
    }


def test_a_backup_returning_a_hand_off_records_whom_they_cover(hall):
    set_presence(hall.alice, status=Presence.LEAVE, by=hall.alice)
    inquiry = log(hall, by=hall.dave)
    services.transfer_inquiry(inquiry, post=hall.post, by=hall.dave)
    services.decline_inquiry(inquiry, reason="不属于学籍管理", by=hall.bob)
    assert inquiry.events.get(action="decline").covered_for == hall.alice
    services.answer_inquiry(inquiry, answer="已答复", by=hall.dave)  # dave's own work
    assert inquiry.events.get(action="answer").covered_for is None


def test_nobody_is_covered_once_the_holder_is_back_or_when_the_head_steps_in(hall):
    set_presence(hall.alice, status=Presence.LEAVE, by=hall.alice)
    inquiry = log(hall, by=hall.dave)
    services.transfer_inquiry(inquiry, post=hall.post, by=hall.dave)
    services.acknowledge_inquiry(inquiry, by=hall.bob)
    set_presence(hall.alice, status=Presence.ON_DUTY, by=hall.alice)
    services.set_time_limit(inquiry, time_limit="complex", by=hall.bob)
    services.answer_inquiry(inquiry, answer="负责人答复", by=hall.carol)
    events = {e.action: e.covered_for for e in inquiry.events.all()}
    assert events["acknowledge"] == hall.alice
    assert events["set_limit"] is None and events["answer"] is None


def test_the_callers_inquiry_holds_the_post_of_the_row_right_after_a_transfer(
    hall, django_assert_num_queries
):
    """The page loaded the inquiry (and its post) before alice took it over elsewhere; after
    her transfer the object holds the post the row has now, not the one it was loaded with."""
    inquiry = log(hall, by=hall.dave)
    services.transfer_inquiry(inquiry, post=hall.post, by=hall.dave)
    mine = Inquiry.objects.select_related("post", "owner").get(pk=inquiry.pk)
    assert mine.post is None
    services.acknowledge_inquiry(Inquiry.objects.get(pk=inquiry.pk), by=hall.alice)
    services.transfer_inquiry(mine, post=aid_post(hall), by=hall.alice)
    with django_assert_num_queries(0):
        assert mine.post == hall.post and mine.owner == hall.alice
        assert mine.status == Status.ROUTED


def test_the_callers_inquiry_holds_the_new_post_right_after_a_take_over(
    hall, django_assert_num_queries
):
    post = aid_post(hall)
    inquiry = log(hall, by=hall.dave)
    services.transfer_inquiry(inquiry, post=hall.post, by=hall.dave)
    services.acknowledge_inquiry(inquiry, by=hall.alice)
    services.transfer_inquiry(inquiry, post=post, by=hall.alice)
    mine = Inquiry.objects.select_related("post", "owner", "department").get(pk=inquiry.pk)
    assert mine.post == hall.post
    services.acknowledge_inquiry(mine, by=hall.dave)
    with django_assert_num_queries(0):
        assert mine.post == post and mine.owner == hall.dave
    assert mine.department == hall.xsc


class _Undo(Exception):
    pass


def _attempts(post):
    """Each verb with arguments it accepts, so only permission and state can refuse it."""
    return {
        "transfer": lambda i, by: services.transfer_inquiry(i, post=post, by=by),
        "acknowledge": lambda i, by: services.acknowledge_inquiry(i, by=by),
        "decline": lambda i, by: services.decline_inquiry(i, reason="不归口", by=by),
        "withdraw": lambda i, by: services.withdraw_inquiry(i, by=by),
        "answer": lambda i, by: services.answer_inquiry(i, answer="已答复", by=by),
        "refer": lambda i, by: services.refer_inquiry(
            i, unit="研究生院", contact="0731-88820000", by=by
        ),
        "close": lambda i, by: services.close_inquiry(i, reason="重复登记", by=by),
        "set_limit": lambda i, by: services.set_time_limit(i, time_limit="complex", by=by),
        "rate": lambda i, by: services.record_satisfaction(i, level=4, by=by),
    }


def _services_allow(attempts, inquiry, user) -> set[str]:
    """The actions the services carry out for `user`, each tried on a fresh copy and undone."""
    allowed = set()
    for action, attempt in attempts.items():
        try:
            with transaction.atomic():
                attempt(Inquiry.objects.get(pk=inquiry.pk), user)
                allowed.add(action)
                raise _Undo
        except (_Undo, DomainError):
            pass
    return allowed


def _page_offers(client, inquiry) -> set[str]:
    html = client.get(f"/inquiries/{inquiry.pk}/").content.decode()
    return set(re.findall(rf"/inquiries/{inquiry.pk}/act/(\w+)/", html))


def _agree(client_for, attempts, inquiry, expected):
    for user, actions in expected.items():
        assert _page_offers(client_for(user), inquiry) == actions, (inquiry.status, user)
        assert _services_allow(attempts, inquiry, user) == actions, (inquiry.status, user)


def test_the_page_offers_what_the_services_allow(hall, client_for):
    """In each state of one inquiry, for its handler (the owner, the head), the receiver of a
    waiting hand-off, and colleagues who may look but not act."""
    post = aid_post(hall)  # dave's
    attempts = _attempts(post)
    inquiry = log(hall)
    handles = {"transfer", "answer", "refer", "close", "set_limit"}
    _agree(
        client_for,
        attempts,
        inquiry,
        {hall.alice: handles, hall.carol: handles, hall.bob: set(), hall.olga: set()},
    )
    services.transfer_inquiry(inquiry, post=post, by=hall.alice)
    routed = {"withdraw", "answer", "refer", "close", "set_limit"}
    _agree(
        client_for,
        attempts,
        inquiry,
        {
            hall.alice: routed,
            hall.carol: routed,
            hall.dave: {"acknowledge", "decline"},
            hall.bob: set(),
            hall.olga: set(),
        },
    )
    services.answer_inquiry(inquiry, answer="已答复", by=hall.alice)
    _agree(client_for, attempts, inquiry, {hall.alice: {"rate"}, hall.bob: set()})
    services.record_satisfaction(inquiry, level=5)
    _agree(client_for, attempts, inquiry, {hall.alice: set(), hall.bob: set()})
