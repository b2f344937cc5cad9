"""The follow-up and complaint flows on core's step runner: the guard before the state, the
backup's cover on the event, the pages offering what allowed_actions gives, and saves that
name only the columns a step changed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yichuang.core.errors import Conflict, NotAllowed
from yichuang.core.flows import allowed_actions
from yichuang.feedback import services
from yichuang.feedback.flows import COMPLAINT_FLOW, FOLLOWUP_FLOW
from yichuang.feedback.models import Channel, Complaint, FollowUp
from yichuang.org.models import Presence
from yichuang.org.services import create_post, set_presence
from yichuang.org.testing import make_staff

from .factories import completed_case

pytestmark = pytest.mark.django_db


def portal_complaint():
    return services.receive_complaint(
        channel="portal", name="李小明", phone="13812345678", subject="态度差", content="推诿"
    )


def assigned_complaint(hall):
    c = portal_complaint()
    services.assign_complaint(c, department=hall.jwc, staff=hall.alice, by=hall.olga)
    return c


def closed_complaint(hall):
    c = assigned_complaint(hall)
    services.verify_complaint(c, outcome="upheld", verification="属实", by=hall.carol)
    services.reply_complaint(c, reply="已整改", by=hall.carol)
    services.close_complaint(c, by=hall.olga)
    return c


def follow_up(hall) -> FollowUp:
    case = completed_case(hall)
    rating = services.rate_case(case, level=1, channel=Channel.SMS, query_code=case.query_code)
    return rating.follow_up


def closed_follow_up(hall) -> FollowUp:
    f = follow_up(hall)
    services.verify_follow_up(f, finding="unsubstantiated", note="系误解", by=hall.carol)
    services.reply_follow_up(f, reply="已说明", by=hall.carol)
    services.close_follow_up(f, by=hall.carol)
    return f


def test_a_stranger_is_refused_before_the_state_of_a_closed_complaint_is_told(hall):
    c = closed_complaint(hall)
    for act in (
        lambda: services.close_complaint(c, by=hall.dave),
        lambda: services.reply_complaint(c, reply="x", by=hall.dave),
        lambda: services.assign_complaint(c, department=hall.xsc, by=hall.dave),
    ):
        with pytest.raises(NotAllowed):
            act()
    with pytest.raises(Conflict) as refused:  # the office may close, but not twice
        services.close_complaint(c, by=hall.olga)
    assert refused.value.code == "invalid_transition"
    assert c.events.count() == 5


def test_a_stranger_is_refused_before_the_state_of_a_closed_follow_up_is_told(hall):
    f = closed_follow_up(hall)
    with pytest.raises(NotAllowed):
        services.close_follow_up(f, by=hall.dave)
    with pytest.raises(NotAllowed):
        services.rectify_follow_up(f, measures="x", by=hall.alice)
    with pytest.raises(Conflict):
        services.close_follow_up(f, by=hall.carol)


@pytest.fixture
def deputy(hall):
    """hank, a deputy head of 教务处 and the backup (B) of carol's post."""
    hank = make_staff("hank", hall.jwc, "department_head", full_name="周海")
    create_post(
        code="jwc-head",
        name="科室负责人岗",
        department=hall.jwc,
        window=None,
        holder=hall.carol,
        backups=[hank],
        by=hall.olga,
    )
    return hank


def test_a_backup_acting_for_the_away_head_names_her_on_the_follow_up(hall, deputy, client_for):
    f = follow_up(hall)
    assert f.owner == hall.carol
    services.verify_follow_up(f, finding="substantiated", note="属实", by=deputy)  # carol present
    set_presence(hall.carol, status=Presence.LEAVE, by=hall.carol)
    services.rectify_follow_up(f, measures="批评教育", by=deputy)
    services.reply_follow_up(f, reply="已整改", by=hall.olga)  # the office covers nobody
    covered = dict(f.events.values_list("action", "covered_for__username"))
    assert covered == {"open": None, "verify": None, "rectify": "carol", "reply": None}
    html = client_for(deputy).get(f"/feedback/followups/{f.pk}/").content.decode()
    assert "代 张卫国（B岗）" in html


def test_a_backup_acting_for_the_away_head_names_her_on_the_complaint(hall, deputy, client_for):
    c = assigned_complaint(hall)
    set_presence(hall.carol, status=Presence.BUSINESS_TRIP, by=hall.carol)
    services.verify_complaint(c, outcome="upheld", verification="属实", by=deputy)
    services.hold_accountable(
        staff=hall.alice, kind="criticism_education", reason="推诿", complaint=c, by=deputy
    )
    set_presence(hall.carol, status=Presence.ON_DUTY, by=hall.carol)
    services.reply_complaint(c, reply="已整改", by=deputy)
    covered = dict(c.events.values_list("action", "covered_for__username"))
    assert covered == {
        "receive": None,
        "assign": None,
        "verify": "carol",
        "hold_accountable": "carol",
        "reply": None,
    }
    html = client_for(deputy).get(f"/feedback/complaints/{c.number}/").content.decode()
    assert html.count("代 张卫国（B岗）") == 2


def test_a_head_who_is_not_her_backup_covers_nobody(hall, deputy):
    ivy = make_staff("ivy", hall.jwc, "department_head", full_name="吴静")
    set_presence(hall.carol, status=Presence.LEAVE, by=hall.carol)
    c = assigned_complaint(hall)
    services.verify_complaint(c, outcome="upheld", verification="属实", by=ivy)
    f = follow_up(hall)
    services.verify_follow_up(f, finding="partly", note="部分属实", by=ivy)
    assert not c.events.filter(covered_for__isnull=False).exists()
    assert not f.events.filter(covered_for__isnull=False).exists()


def offered(html: str, kind: str, key) -> list[str]:
    """The step forms on a page, in order (accountability has its own form)."""
    found = re.findall(rf"/feedback/{kind}/{key}/act/(\w+)/", html)
    return [a for a in found if a != "hold_accountable"]


def assert_pages_offer_allowed_actions(hall, client_for, flow, record, url, kind, key):
    for user in (hall.carol, hall.olga, hall.dave):
        record.refresh_from_db()
        allowed = allowed_actions(flow, record, user)
        response = client_for(user).get(url)
        if response.status_code == 404:  # not theirs to see: nothing to offer either
            assert allowed == [], (user, record.status)
            continue
        # exactly these, in the page's order (the next step first: core.actions.arrange)
        assert sorted(offered(response.content.decode(), kind, key)) == sorted(allowed), (
            user,
            record.status,
        )


def test_the_complaint_page_offers_exactly_the_allowed_actions(hall, client_for):
    c = portal_complaint()
    url = f"/feedback/complaints/{c.number}/"

    def check():
        assert_pages_offer_allowed_actions(
            hall, client_for, COMPLAINT_FLOW, c, url, "complaints", c.number
        )

    check()
    assert allowed_actions(COMPLAINT_FLOW, c, hall.olga) == ["assign"]
    services.assign_complaint(c, department=hall.jwc, by=hall.olga)
    check()
    assert allowed_actions(COMPLAINT_FLOW, c, hall.carol) == ["verify"]
    services.verify_complaint(c, outcome="upheld", verification="属实", by=hall.carol)
    check()
    services.reply_complaint(c, reply="已整改", by=hall.carol)
    check()
    assert allowed_actions(COMPLAINT_FLOW, c, hall.carol) == []
    assert allowed_actions(COMPLAINT_FLOW, c, hall.olga) == ["close"]
    services.close_complaint(c, by=hall.olga)
    check()


def test_the_follow_up_page_offers_exactly_the_allowed_actions(hall, client_for):
    f = follow_up(hall)
    url = f"/feedback/followups/{f.pk}/"

    def check():
        assert_pages_offer_allowed_actions(
            hall, client_for, FOLLOWUP_FLOW, f, url, "followups", f.pk
        )

    check()
    assert allowed_actions(FOLLOWUP_FLOW, f, hall.carol) == ["verify"]
    assert allowed_actions(FOLLOWUP_FLOW, f, hall.dave) == []
    services.verify_follow_up(f, finding="substantiated", note="属实", by=hall.carol)
    check()
    assert "cancel" not in allowed_actions(FOLLOWUP_FLOW, f, hall.olga)  # with the rating only
    services.rectify_follow_up(f, measures="批评教育", by=hall.carol)
    check()
    services.reply_follow_up(f, reply="已整改", by=hall.carol)
    check()
    services.close_follow_up(f, by=hall.carol)
    check()


def updated_columns(queries, table: str) -> list[set[str]]:
    updates = [q["sql"] for q in queries if q["sql"].startswith(f'UPDATE "{table}"')]
    return [set(re.findall(r'"(\w+)" = ', sql.split(" WHERE ")[0])) for sql in updates]


def test_a_step_saves_only_the_columns_it_changed(hall):
    c = assigned_complaint(hall)
    services.verify_complaint(c, outcome="upheld", verification="属实", by=hall.carol)
    services.reply_complaint(c, reply="已整改", by=hall.carol)
    with CaptureQueriesContext(connection) as ctx:
        services.close_complaint(c, by=hall.olga)
    assert updated_columns(ctx.captured_queries, Complaint._meta.db_table) == [
        {"status", "closed_at"}
    ]

    f = follow_up(hall)
    with CaptureQueriesContext(connection) as ctx:
        services.verify_follow_up(f, finding="substantiated", note="属实", by=hall.carol)
    assert updated_columns(ctx.captured_queries, FollowUp._meta.db_table) == [
        {"status", "finding", "verified_at", "verified_by_id", "due", "yellow_on"}
    ]
