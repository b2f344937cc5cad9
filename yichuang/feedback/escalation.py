"""Who is reminded when a follow-up or a complaint runs past its time limit (core.escalation,
registered in apps.py): the hall office, which supervises both.

Overdue is the red light of the hall's one clock read for `today`: a running step whose due
day has passed (indexed by status and due). A follow-up's next step has its own due day, so
it is a new reminder when it too runs over.
"""

from collections.abc import Iterator
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yichuang.core import escalation
from yichuang.core.escalation import Reminder
from yichuang.org.queries import hall_office_staff

from .models import Complaint, FollowUp

OVERDUE = "overdue"

FOLLOW_UP_SUBJECT = _("差评回访超期：{{ dept }}")
FOLLOW_UP_BODY = _(
    "{{ name }}，您好！{{ dept }}的一条差评回访（{{ step }}{% if number %}，办件 {{ number }}"
    "{% endif %}{% if owner %}，责任人 {{ owner }}{% endif %}）已超过期限 "
    "{{ due|date:'Y年n月j日' }}，请督办。"
)
COMPLAINT_SUBJECT = _("{{ kind }}办理超期：{{ number }}")
COMPLAINT_BODY = _(
    "{{ name }}，您好！{{ kind }}“{{ subject }}”（{{ number }}，"
    "{% if dept %}承办部门 {{ dept }}{% else %}尚未分办{% endif %}）已超过办理期限 "
    "{{ due|date:'Y年n月j日' }}，当前状态：{{ status }}，请督办。"
)


def register_reminders() -> None:
    """For ready(): core's `manage.py escalate` asks this module what follow-ups and
    complaints owe."""
    escalation.register(follow_up_reminders, name="follow_ups")
    escalation.register(complaint_reminders, name="complaints")


def follow_up_reminders(today: date) -> Iterator[Reminder]:
    follow_ups = list(
        FollowUp.objects.running()
        .filter(due__lt=today)
        .select_related("department", "owner", "case")
        .order_by("due", "pk")
    )
    office = hall_office_staff() if follow_ups else []
    for f in follow_ups:
        context = {
            "dept": f.department.name,
            "step": f.get_status_display(),
            "number": f.case.number if f.case_id else "",
            "owner": f.owner.display_name if f.owner_id else "",
            "due": f.due,
        }
        link = reverse("feedback:followup", args=[f.pk])
        for staff in office:
            yield Reminder(
                about=f,
                level=OVERDUE,
                due=f.due,
                staff=staff,
                kind="escalation.follow_up.overdue",
                subject=str(FOLLOW_UP_SUBJECT),
                body=str(FOLLOW_UP_BODY),
                context=context,
                link=link,
            )


def complaint_reminders(today: date) -> Iterator[Reminder]:
    complaints = list(
        Complaint.objects.running()
        .filter(due__lt=today)
        .select_related("department")
        .order_by("due", "pk")
    )
    office = hall_office_staff() if complaints else []
    for c in complaints:
        context = {
            "kind": c.get_kind_display(),
            "subject": c.subject,
            "number": c.number,
            "dept": c.department.name if c.department_id else "",
            "due": c.due,
            "status": c.get_status_display(),
        }
        link = reverse("feedback:complaint_detail", args=[c.number])
        for staff in office:
            yield Reminder(
                about=c,
                level=OVERDUE,
                due=c.due,
                staff=staff,
                kind="escalation.complaint.overdue",
                subject=str(COMPLAINT_SUBJECT),
                body=str(COMPLAINT_BODY),
                context=context,
                link=link,
            )
