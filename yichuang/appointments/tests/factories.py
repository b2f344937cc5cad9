from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from yichuang.appointments.models import ServiceGroup, SlotRule
from yichuang.cases.tests.factories import make_service
from yichuang.org.models import Post, Window

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=9, mm=0, ss=0):
    """Hall time, frozen."""
    return time_machine.travel(datetime(y, m, d, hh, mm, ss, tzinfo=SH), tick=False)


def make_group(
    hall,
    *,
    code="xj",
    name="学籍与成绩",
    prefix="A",
    department=None,
    windows=None,
    services=(),
    capacity=4,
    rule=True,
    **extra,
):
    """A service group called at window 1 (alice's), with the default hall hours."""
    group = ServiceGroup.objects.create(
        code=code, name=name, prefix=prefix, department=department or hall.jwc, **extra
    )
    group.windows.set(windows if windows is not None else [hall.window])
    group.services.set(services)
    if rule:
        SlotRule.objects.create(group=group, capacity=capacity)
    return group


def xjzm(hall):
    """学籍证明, an immediate item of alice's post."""
    return make_service(hall, code="xjzm", name="学籍证明", kind="immediate", committed_days=0)


def bobs_window(hall, number="2"):
    """Window 2 with a post held by bob: his own window when he covers alice (AB)."""
    window = Window.objects.create(number=number, name="成绩档案", department=hall.jwc)
    Post.objects.create(
        code="jwc-grades", name="成绩管理岗", department=hall.jwc, window=window, holder=hall.bob
    )
    return window
