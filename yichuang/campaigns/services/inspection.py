"""The inspection (验收): the team scores each item on site with comments, opens rectification
items (整改) with deadlines, the unit reports them done, the team closes them (销号), and
signs the unit off once every item is scored and nothing is left open."""

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core.errors import Conflict, Invalid
from yichuang.core.flows import step

from .. import notices
from ..flows import UNIT_FLOW
from ..models import ChecklistItem, ItemAssessment, Rectification, RectificationStatus
from .assessment import checklist_items
from .common import required_text, score, today


def inspection_total(unit) -> Decimal:
    return unit.assessments.aggregate(t=Sum("inspection_score"))["t"] or Decimal("0")


def score_inspection(unit, *, entries: dict[int, dict], by):
    """`entries` maps item ids to {"score", "comment"}; blank scores stay unscored."""
    with step(UNIT_FLOW, unit, "score", by=by) as (u, event):
        items = checklist_items(u)
        if any(pk not in items for pk in entries):
            raise Invalid(_("考评细则不属于本活动"), code="unknown_item")
        now = timezone.now()
        for pk, entry in entries.items():
            raw = entry.get("score")
            value = (
                None
                if raw in (None, "")
                else score(raw, items[pk].max_score, label=items[pk].title[:12])
            )
            ItemAssessment.objects.update_or_create(
                unit=u,
                item_id=pk,
                defaults={
                    "inspection_score": value,
                    "inspection_comment": (entry.get("comment") or "").strip(),
                    "inspected_by": by,
                    "inspected_at": now,
                },
            )
        event["data"]["items"] = len(entries)
    return unit


def open_rectification(
    unit, *, description: str, due_on, item: ChecklistItem | None = None, by
) -> Rectification:
    description = required_text(description, _("请写明整改要求"), limit=2000)
    with step(UNIT_FLOW, unit, "open_rectification", by=by, note=description) as (u, event):
        if due_on is None or due_on < today():
            raise Invalid(_("整改期限不能早于今天"), code="invalid_due")
        if item is not None and item.section.campaign_id != u.campaign_id:
            raise Invalid(_("考评细则不属于本活动"), code="unknown_item")
        rectification = Rectification.objects.create(
            unit=u, item=item, description=description, due_on=due_on, opened_by=by
        )
        notices.tell_heads_rectification(rectification)
        event["data"].update({"rectification": rectification.pk, "due_on": due_on.isoformat()})
    return rectification


def _locked(rectification: Rectification) -> Rectification:
    return Rectification.objects.select_for_update().get(pk=rectification.pk)


def report_rectification(rectification: Rectification, *, report: str, by) -> Rectification:
    """The unit's head reports what was done; the inspection team then closes it."""
    report = required_text(report, _("请写明整改情况"), limit=2000)
    with step(UNIT_FLOW, rectification.unit, "report_rectification", by=by, note=report) as (
        _u,
        event,
    ):
        r = _locked(rectification)
        if r.status != RectificationStatus.OPEN:
            raise Conflict(_("该整改事项已报送或已销号"), code="rectification_not_open")
        r.status, r.report, r.reported_by, r.reported_at = (
            RectificationStatus.REPORTED,
            report,
            by,
            timezone.now(),
        )
        r.save(update_fields=["status", "report", "reported_by", "reported_at"])
        event["data"]["rectification"] = r.pk
    rectification.refresh_from_db()
    return rectification


def close_rectification(rectification: Rectification, *, note: str = "", by) -> Rectification:
    note = (note or "").strip()[:300]
    with step(UNIT_FLOW, rectification.unit, "close_rectification", by=by, note=note) as (
        _u,
        event,
    ):
        r = _locked(rectification)
        if r.status == RectificationStatus.CLOSED:
            raise Conflict(_("该整改事项已销号"), code="rectification_closed")
        r.status, r.closing_note, r.closed_by, r.closed_at = (
            RectificationStatus.CLOSED,
            note,
            by,
            timezone.now(),
        )
        r.save(update_fields=["status", "closing_note", "closed_by", "closed_at"])
        event["data"]["rectification"] = r.pk
    rectification.refresh_from_db()
    return rectification


def reopen_rectification(rectification: Rectification, *, note: str, by) -> Rectification:
    """The reported work falls short: back to the unit, with the reason."""
    note = required_text(note, _("请写明不予销号的理由"), limit=300)
    with step(UNIT_FLOW, rectification.unit, "reopen_rectification", by=by, note=note) as (
        _u,
        event,
    ):
        r = _locked(rectification)
        if r.status != RectificationStatus.REPORTED:
            raise Conflict(_("只有已报送的整改事项可以退回"), code="rectification_not_reported")
        r.status, r.closing_note = RectificationStatus.OPEN, note
        r.save(update_fields=["status", "closing_note"])
        event["data"]["rectification"] = r.pk
    rectification.refresh_from_db()
    return rectification


def sign_off(unit, *, conclusion: str, by):
    """验收签字: every item scored, every rectification closed; passed when the inspection
    total reaches the pass score."""
    conclusion = required_text(conclusion, _("请填写验收结论"), limit=2000)
    with step(UNIT_FLOW, unit, "sign_off", by=by, note=conclusion) as (u, event):
        scored = u.assessments.filter(inspection_score__isnull=False).count()
        if scored < len(checklist_items(u)):
            raise Conflict(_("还有细则未验收评分"), code="items_unscored")
        if u.rectifications.unresolved().exists():
            raise Conflict(
                _("还有整改事项未销号，请整改销号后再签字验收"), code="rectifications_open"
            )
        total = inspection_total(u)
        u.passed = total >= u.campaign.pass_score
        u.conclusion, u.signed_off_at, u.signed_off_by = conclusion, timezone.now(), by
        event["data"].update({"total": str(total), "passed": u.passed})
    return unit
