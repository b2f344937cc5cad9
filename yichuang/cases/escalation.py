"""Who is reminded when a case's light turns (core.escalation, registered in apps.py): on
yellow its handler; on red its handler again, its department's heads and the hall office.

The light is the hall's one clock read for `today` (queries.light_expression), over running
cases only (accepted or awaiting the second check); the handler is the assignee while present,
else whoever covers the case's post now (AB岗), else the absent assignee all the same.
"""

from collections.abc import Iterator
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yichuang.core import escalation
from yichuang.core.escalation import Reminder
from yichuang.org.models import Post, Staff
from yichuang.org.queries import covering, department_heads, hall_office_staff, posts_with_people
from yichuang.workdays.clock import RED, YELLOW

from .models import Case
from .queries import with_light

YELLOW_SUBJECT = _("黄牌预警：办件 {{ number }} 即将到期")
YELLOW_BODY = _(
    "{{ name }}，您好！您经办的“{{ service }}”（办件 {{ number }}）将于 "
    "{{ deadline|date:'Y年n月j日' }} 到期，已亮黄牌，请抓紧办理。"
)
RED_SUBJECT = _("红牌督办：办件 {{ number }} 已超期")
RED_BODY_HANDLER = _(
    "{{ name }}，您好！您经办的“{{ service }}”（办件 {{ number }}）已超过办结期限 "
    "{{ deadline|date:'Y年n月j日' }}，亮红牌，请立即办理。"
)
RED_BODY_SUPERVISOR = _(
    "{{ name }}，您好！{{ dept }}的“{{ service }}”（办件 {{ number }}"
    "{% if handler %}，经办人 {{ handler }}{% endif %}）已超过办结期限 "
    "{{ deadline|date:'Y年n月j日' }}，亮红牌，请督促办理。"
)


PART_YELLOW_SUBJECT = _("黄牌预警：联办事项 {{ number }} 即将到期")
PART_YELLOW_BODY = _(
    "{{ name }}，您好！{{ lead }}牵头的“{{ service }}”（办件 {{ number }}）中{{ dept }}的联办事项"
    "“{{ title }}”将于 {{ deadline|date:'Y年n月j日' }} 到期，已亮黄牌，请抓紧办理。"
)
PART_RED_SUBJECT = _("红牌督办：联办事项 {{ number }} 已超期")
PART_RED_BODY = _(
    "{{ name }}，您好！{{ lead }}牵头的“{{ service }}”（办件 {{ number }}）中{{ dept }}的联办事项"
    "“{{ title }}”{% if handler %}（经办人 {{ handler }}）{% endif %}已超过期限 "
    "{{ deadline|date:'Y年n月j日' }}，亮红牌，请立即办理或督促办理。"
)


def register_reminders() -> None:
    """For ready(): core's `manage.py escalate` asks this module what cases owe."""
    escalation.register(case_reminders, name="cases")
    escalation.register(part_reminders, name="cases.parts")


def part_reminders(today: date) -> Iterator[Reminder]:
    """The parts of joint cases as cases: on yellow the part's handler (or whoever covers its
    post now); on red the handler again and the heads of the part's department."""
    from .models import CasePart, PartStatus
    from .queries import part_light_expression

    parts = list(
        CasePart.objects.filter(status=PartStatus.RUNNING, yellow_on__lte=today)
        .annotate(light=part_light_expression(today))
        .filter(light__in=(YELLOW, RED))
        .select_related("case__service", "case__department", "department", "assignee")
        .order_by("deadline", "pk")
    )
    if not parts:
        return
    now = timezone.now()
    posts = posts_with_people(Post.objects.filter(pk__in={p.post_id for p in parts}))
    cover = {p.pk: covering(p, now) for p in posts}
    reds = [p for p in parts if p.light == RED]
    heads = department_heads({p.department_id for p in reds}) if reds else {}
    for part in parts:
        assert part.deadline is not None  # a lit clock has its deadline
        assignee = part.assignee if part.assignee and part.assignee.is_active else None
        handler = (
            assignee
            if assignee is not None and assignee.is_present(now)
            else cover.get(part.post_id) or assignee
        )
        level = str(part.light)
        subject, body = (
            (PART_YELLOW_SUBJECT, PART_YELLOW_BODY)
            if level == YELLOW
            else (PART_RED_SUBJECT, PART_RED_BODY)
        )
        people = [handler] if handler is not None else []
        if level == RED:
            people += [h for h in heads.get(part.department_id, []) if h not in people]
        for staff in people:
            yield Reminder(
                about=part,
                level=level,
                due=part.deadline,
                staff=staff,
                kind=f"escalation.case_part.{level}",
                subject=str(subject),
                body=str(body),
                context={
                    "number": part.case.number,
                    "service": part.case.service.name,
                    "lead": part.case.department.name,
                    "dept": part.department.name,
                    "title": part.title,
                    "deadline": part.deadline,
                    "handler": handler.display_name if handler else "",
                },
                link=reverse("cases:detail", args=[part.case.number]) + "#parts",
            )


def handler_of(case: Case, cover: dict, now) -> Staff | None:
    assignee = case.assignee if case.assignee and case.assignee.is_active else None
    if assignee is not None and assignee.is_present(now):
        return assignee
    return cover.get(case.post_id) or assignee


def case_reminders(today: date) -> Iterator[Reminder]:
    # yellow_on <= today holds for every yellow and every red running case (the yellow day is
    # never after the deadline), and (status, yellow_on) is indexed.
    cases = list(
        with_light(Case.objects.running().filter(yellow_on__lte=today), today)
        .filter(light__in=(YELLOW, RED))
        .select_related("service", "department", "assignee")
        .order_by("deadline", "pk")
    )
    if not cases:
        return
    now = timezone.now()
    posts = posts_with_people(Post.objects.filter(pk__in={c.post_id for c in cases}))
    cover = {p.pk: covering(p, now) for p in posts}
    reds = [c for c in cases if c.light == RED]
    heads = department_heads({c.department_id for c in reds}) if reds else {}
    office = hall_office_staff() if reds else []
    for case in cases:
        handler = handler_of(case, cover, now)
        if case.light == YELLOW:
            if handler is not None:
                yield _reminder(case, YELLOW, handler, YELLOW_SUBJECT, YELLOW_BODY, handler)
            continue
        if handler is not None:
            yield _reminder(case, RED, handler, RED_SUBJECT, RED_BODY_HANDLER, handler)
        for staff in [*heads.get(case.department_id, []), *office]:
            yield _reminder(case, RED, staff, RED_SUBJECT, RED_BODY_SUPERVISOR, handler)


def _reminder(
    case: Case, level: str, staff: Staff, subject, body, handler: Staff | None
) -> Reminder:
    assert case.deadline is not None  # a lit clock has its deadline
    return Reminder(
        about=case,
        level=level,
        due=case.deadline,
        staff=staff,
        kind=f"escalation.case.{level}",
        subject=str(subject),
        body=str(body),
        context={
            "number": case.number,
            "service": case.service.name,
            "dept": case.department.name,
            "deadline": case.deadline,
            "handler": handler.display_name if handler else "",
        },
        link=reverse("cases:detail", args=[case.number]),
    )
