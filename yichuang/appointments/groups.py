"""Configuring the queue: service groups (with their ticket prefix, services and windows) and
the rules that make appointment slots. The hall office's verbs; the admin and seed_demo call
them."""

from django.db import transaction
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.org.models import Hall
from yichuang.org.scoping import works_in_hall

from .models import ServiceGroup, SlotRule
from .slots import parse_periods


def _check(by) -> None:
    if by is not None and not by.has_role("hall_office", "administrator"):
        raise NotAllowed(_("只有大厅管理办公室可以设置叫号分组"))


def create_service_group(
    *,
    code: str,
    name: str,
    prefix: str,
    department,
    services,
    windows,
    by,
    default_service_minutes: int = 5,
    takes_appointments: bool = True,
    sort_order: int = 0,
) -> ServiceGroup:
    _check(by)
    prefix = (prefix or "").strip().upper()
    if not prefix.isalpha() or not prefix.isascii() or not 1 <= len(prefix) <= 2:
        raise Invalid(_("号码字头应为一至两个大写字母"), code="invalid_prefix")
    if any(s.department_id != department.pk for s in services):
        raise Invalid(_("分组中的事项应属于同一部门"), code="invalid_services")
    # The group is a queue of its windows' hall (the default hall without windows).
    windows = list(windows)
    hall = windows[0].hall if windows else None
    if hall is not None and any(w.hall_id != hall.pk for w in windows):
        raise Invalid(_("分组的叫号窗口应在同一大厅"), code="invalid_windows")
    if by is not None and hall is not None and not works_in_hall(by, hall):
        raise NotAllowed(_("只能为本大厅设置叫号分组"))
    # The code addresses the group everywhere; the prefix is read on the hall's own screen.
    if ServiceGroup.objects.filter(code=code).exists():
        raise Conflict(_("分组编码已被使用：%(code)s") % {"code": code}, code="duplicate")
    hall_id = hall.pk if hall is not None else Hall.objects.default_id()
    if ServiceGroup.objects.filter(hall_id=hall_id, prefix=prefix).exists():
        raise Conflict(
            _("本大厅已有号码字头为 %(prefix)s 的分组") % {"prefix": prefix}, code="duplicate"
        )
    with transaction.atomic():
        group = ServiceGroup.objects.create(
            **({"hall": hall} if hall is not None else {}),
            code=code,
            name=name,
            prefix=prefix,
            department=department,
            sort_order=sort_order,
            default_service_minutes=default_service_minutes,
            takes_appointments=takes_appointments,
        )
        group.services.set(services)
        group.windows.set(windows)
        audit.record("queue.group_created", actor=by, target=group, summary=str(group))
    return group


def add_slot_rule(
    group: ServiceGroup,
    *,
    periods: str,
    slot_minutes: int = 30,
    capacity: int = 4,
    weekdays: str = "",
    by,
) -> SlotRule:
    _check(by)
    parse_periods(periods)  # raises on a malformed period list
    if not 5 <= slot_minutes <= 240 or not 1 <= capacity <= 100:
        raise Invalid(_("每段分钟数应在 5–240 之间，可约人数 1–100"), code="invalid_rule")
    with transaction.atomic():
        rule = SlotRule.objects.create(
            group=group,
            periods=periods,
            slot_minutes=slot_minutes,
            capacity=capacity,
            weekdays=weekdays,
        )
        audit.record("queue.slot_rule_added", actor=by, target=group, summary=periods)
    return rule
