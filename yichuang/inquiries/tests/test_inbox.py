"""The inquiries in each persona's inbox (待我处理): hand-offs waiting to be taken over, and
the open inquiries one owns."""

import pytest

from yichuang.core import inbox
from yichuang.inquiries import services
from yichuang.org.models import Presence
from yichuang.org.services import set_presence
from yichuang.org.testing import make_evaluators

from .factories import aid_post, log

pytestmark = pytest.mark.django_db


def rows_of(user) -> dict[str, list]:
    return {s.source.name: s.rows for s in inbox.sections(user)}


def references(user) -> set[str]:
    return {r.reference for rows in rows_of(user).values() for r in rows}


def test_an_inquiry_handed_to_me_waits_for_me_to_take_it_over(hall):
    inquiry = log(hall)
    services.transfer_inquiry(inquiry, post=aid_post(hall), by=hall.alice)
    [row] = rows_of(hall.dave)["inquiries.handed_to_me"]
    assert row.reference == inquiry.number and row.action == "接收"
    assert row.url == f"/inquiries/{inquiry.pk}/#actions"
    assert "王晓燕 转交至学生资助岗" in row.detail and "李*明" in row.title
    # the sender keeps it meanwhile, but it waits for the receiver, not for her
    assert inquiry.number not in references(hall.alice)
    services.acknowledge_inquiry(inquiry, by=hall.dave)
    [row] = rows_of(hall.dave)["inquiries.open"]
    assert (row.reference, row.action) == (inquiry.number, "答复")
    assert "inquiries.handed_to_me" not in rows_of(hall.dave)


def test_the_backup_takes_over_what_was_handed_to_the_absent_holder(hall):
    inquiry = log(hall, by=hall.carol)
    services.transfer_inquiry(inquiry, post=hall.post, by=hall.carol)
    assert [r.reference for r in rows_of(hall.alice)["inquiries.handed_to_me"]] == [inquiry.number]
    assert inquiry.number not in references(hall.bob)
    set_presence(hall.alice, status=Presence.LEAVE, by=hall.alice)
    [row] = rows_of(hall.bob)["inquiries.handed_to_me"]
    assert row.reference == inquiry.number and "顶岗接收" in row.detail


def test_my_open_inquiry_shows_its_light_and_time(hall):
    inquiry = log(hall)
    [row] = rows_of(hall.alice)["inquiries.open"]
    assert row.reference == inquiry.number and row.light in ("green", "yellow")
    assert row.due == "今日到期"  # 即时答复: due the day it is asked
    services.answer_inquiry(inquiry, answer="凭学生证到1号窗口即办。", by=hall.alice)
    assert rows_of(hall.alice) == {}


def test_it_validates_ownership(hall):
    """Another department's clerk and the evaluators see nothing of 教务处's inquiries."""
    log(hall)
    handed = log(hall, by=hall.carol)
    services.transfer_inquiry(handed, post=hall.post, by=hall.carol)
    for outsider in (hall.dave, *make_evaluators(hall)):
        assert rows_of(outsider) == {}
        assert inbox.count(outsider) == 0
    assert inbox.count(hall.alice) == 2 == len(references(hall.alice))
