"""Reminders before each deadline to the people who still owe something: heads whose
self-assessment is not submitted or whose rectification is not reported, heads whose
department has not nominated, voters who have not voted.

Run daily (`manage.py send_campaign_reminders`). What is owed is derived from the stored
facts each time; a `ReminderSent` row per (what, who, deadline) makes a second run, or a
second process, send nothing again.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core.notifications import Recipient
from yichuang.org.models import Staff

from . import notices
from .models import (
    CampaignStatus,
    CampaignUnit,
    Election,
    ElectionStatus,
    Rectification,
    RectificationStatus,
    ReminderSent,
    UnitStatus,
)

LEAD_DAYS = getattr(settings, "CAMPAIGN_REMINDER_DAYS", 3)


@dataclass(frozen=True)
class Owed:
    kind: str
    about: Model
    recipient_key: str
    recipient: Recipient
    due_on: date
    title: str
    what: str


def _heads(department_ids) -> dict[int, list[Staff]]:
    heads = defaultdict(list)
    for s in Staff.objects.filter(
        department_id__in=set(department_ids),
        is_active=True,
        role_grants__role="department_head",
    ).distinct():
        heads[s.department_id].append(s)
    return heads


def _to_heads(kind, about, department_id, heads, *, due, title, what) -> Iterator[Owed]:
    for head in heads.get(department_id, []):
        yield Owed(kind, about, f"staff:{head.pk}", Recipient.of_staff(head), due, title, what)


def owed_reminders(today: date, lead_days: int = LEAD_DAYS) -> Iterator[Owed]:
    window = (today, today + timedelta(days=lead_days))
    units = list(
        CampaignUnit.objects.filter(
            campaign__status=CampaignStatus.LAUNCHED,
            campaign__is_template=False,
            status=UnitStatus.PENDING,
        )
        .annotate(due=Coalesce("due_on", "campaign__assessment_due"))
        .filter(due__range=window)
        .select_related("campaign", "department")
    )
    rectifications = list(
        Rectification.objects.filter(
            status=RectificationStatus.OPEN,
            due_on__range=window,
            unit__status=UnitStatus.APPLIED,
            unit__campaign__status=CampaignStatus.LAUNCHED,
        ).select_related("unit__campaign", "unit__department")
    )
    nominating = list(
        Election.objects.filter(
            status=ElectionStatus.OPEN,
            nomination_opens__lte=today,
            nomination_closes__range=window,
        ).prefetch_related("departments", "candidates")
    )
    missing = {
        e.pk: [
            d
            for d in e.departments.all()
            if d.pk not in {c.department_id for c in e.candidates.all()}
        ]
        for e in nominating
    }
    heads = _heads(
        [u.department_id for u in units]
        + [r.unit.department_id for r in rectifications]
        + [d.pk for ds in missing.values() for d in ds]
    )
    for u in units:
        yield from _to_heads(
            "self_assessment",
            u,
            u.department_id,
            heads,
            due=u.due,
            title=u.campaign.title,
            what=f"{u.department.name}（{u.campaign.title}）",
        )
    for r in rectifications:
        yield from _to_heads(
            "rectification",
            r,
            r.unit.department_id,
            heads,
            due=r.due_on,
            title=r.unit.campaign.title,
            what=r.description[:40],
        )
    for e in nominating:
        for d in missing[e.pk]:
            yield from _to_heads(
                "nomination", e, d.pk, heads, due=e.nomination_closes, title=e.title, what=d.name
            )
    yield from _voters(window, today)


def _voters(window, today) -> Iterator[Owed]:
    elections = Election.objects.filter(
        status=ElectionStatus.OPEN, voting_opens__lte=today, voting_closes__range=window
    )
    for e in elections:
        for v in e.voters.filter(voted_at__isnull=True).select_related("staff"):
            if v.staff_id:
                recipient, how = Recipient.of_staff(v.staff), _("请登录系统投票。")
            else:
                recipient = Recipient(name=v.name, phone=v.phone, email=v.email)
                how = _("请凭投票凭条上的投票码投票。")
            yield Owed("vote", v, f"voter:{v.pk}", recipient, e.voting_closes, e.title, how)


def send_reminders(*, today: date | None = None, lead_days: int = LEAD_DAYS) -> list[Owed]:
    """Send what is owed and not yet sent; returns what was sent this time."""
    today = today or timezone.localdate()
    sent = []
    for owed in owed_reminders(today, lead_days):
        with transaction.atomic():
            _row, created = ReminderSent.objects.get_or_create(
                kind=owed.kind,
                object_id=owed.about.pk,
                recipient=owed.recipient_key,
                due_on=owed.due_on,
            )
            if created:
                notices.remind(
                    owed.kind,
                    owed.recipient,
                    title=owed.title,
                    what=owed.what,
                    due=owed.due_on,
                    about=owed.about,
                )
                sent.append(owed)
    return sent
