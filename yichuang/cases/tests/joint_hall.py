"""A hall for joint cases (联办): the personas' 教务处 leads, 学生处 and 后勤处 take parts.

- 学生处 (xsc): post xsc-card held by dave, backed by erin; service 学生证补办 (8 days)
- 后勤处 (hqc): post hqc-room held by hank; service 宿舍调整 (3 days)
- 财务处 (cwc): cora, window staff of a department with no part, who must see nothing
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from yichuang.cases import services
from yichuang.org.models import Department, Post, PostBackup
from yichuang.org.testing import make_staff

from .factories import all_required, applicant, make_service

SH = ZoneInfo("Asia/Shanghai")
# Monday 2 March 2026: the lead's 5 working days end Monday 9 March; the 学生证 part's 8 end
# Thursday 12 March; the 宿舍 part's 3 end Thursday 5 March.
ACCEPTED = datetime(2026, 3, 2, 10, tzinfo=SH)


def at(y, m, d, hh=10):
    return time_machine.travel(datetime(y, m, d, hh, tzinfo=SH), tick=False)


@dataclass
class Joint:
    hall: Any
    lead: Any  # the lead's service (教务处, 5 days)
    card: Any  # 学生处's service
    room: Any  # 后勤处's service
    hqc: Any
    cwc: Any
    erin: Any
    hank: Any
    cora: Any


def make_joint(hall) -> Joint:
    hqc = Department.objects.create(code="hqc", name="后勤处", short_name="后勤", sort_order=3)
    cwc = Department.objects.create(code="cwc", name="财务处", short_name="财务", sort_order=4)
    erin = make_staff("erin", hall.xsc, "window_staff", full_name="林珊")
    hank = make_staff("hank", hqc, "window_staff", full_name="马青")
    cora = make_staff("cora", cwc, "window_staff", full_name="何敏")
    card_post = Post.objects.create(
        code="xsc-card", name="学生证岗", department=hall.xsc, holder=hall.dave
    )
    PostBackup.objects.create(post=card_post, staff=erin, position=1)
    room_post = Post.objects.create(code="hqc-room", name="宿舍岗", department=hqc, holder=hank)
    return Joint(
        hall=hall,
        lead=make_service(hall),
        card=make_service(
            hall, code="xsc-card", name="学生证补办", committed_days=8, post=card_post, online=False
        ),
        room=make_service(
            hall, code="hqc-room", name="宿舍调整", committed_days=3, post=room_post, online=True
        ),
        hqc=hqc,
        cwc=cwc,
        erin=erin,
        hank=hank,
        cora=cora,
    )


def joint_case(j: Joint, parts=None, *, by=None):
    hall = j.hall
    return services.create_case(
        service=j.lead,
        channel="window",
        applicant=applicant(),
        materials=all_required(j.lead),
        by=by or hall.alice,
        joint_parts=parts if parts is not None else [(hall.xsc, j.card), (j.hqc, None)],
    )


def accepted_joint(j: Joint, parts=None):
    with time_machine.travel(ACCEPTED, tick=False):
        case = joint_case(j, parts)
        services.accept_case(case, by=j.hall.alice)
    return case
