"""A unit's self-assessment (自评): scores and explanations per item, evidence files, the
submission by the deadline and the application for inspection (申报验收).

Late submission is refused: the date is the campaign's rule for every unit alike. The hall
office may grant one unit a later date (`extend_assessment_due`); a submission that uses such
an extension is flagged `submitted_late` so the summary shows it.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core.errors import Conflict, Invalid
from yichuang.core.flows import step

from ..evidence import MAX_FILES_PER_UNIT, check_upload
from ..flows import UNIT_FLOW
from ..models import CampaignUnit, ChecklistItem, Evidence, ItemAssessment
from .common import required_text, score, today


def checklist_items(unit: CampaignUnit) -> dict[int, ChecklistItem]:
    return {i.pk: i for i in ChecklistItem.objects.filter(section__campaign_id=unit.campaign_id)}


def self_total(unit: CampaignUnit) -> Decimal:
    total = unit.assessments.aggregate(t=Sum("self_score"))["t"]
    return total or Decimal("0")


def save_self_assessment(unit: CampaignUnit, *, entries: dict[int, dict], by) -> CampaignUnit:
    """`entries` maps item ids to {"score", "note"}; a blank score is kept blank (not yet
    scored) so that the head can save half-way and come back."""
    with step(UNIT_FLOW, unit, "save", by=by) as (u, event):
        items = checklist_items(u)
        unknown = [pk for pk in entries if pk not in items]
        if unknown:
            raise Invalid(_("考评细则不属于本活动"), code="unknown_item")
        problems = {}
        for pk, entry in entries.items():
            raw = entry.get("score")
            try:
                value = (
                    None
                    if raw in (None, "")
                    else score(raw, items[pk].max_score, label=items[pk].title[:12])
                )
            except Invalid as exc:
                problems[str(pk)] = exc.message
                continue
            ItemAssessment.objects.update_or_create(
                unit=u,
                item_id=pk,
                defaults={"self_score": value, "self_note": (entry.get("note") or "").strip()},
            )
        if problems:
            raise Invalid(next(iter(problems.values())), code="invalid_score", fields=problems)
        event["data"]["items"] = len(entries)
    return unit


def upload_evidence(unit: CampaignUnit, *, upload, item: ChecklistItem | None = None, by):
    with step(UNIT_FLOW, unit, "upload", by=by) as (u, event):
        checked = check_upload(upload)
        if item is not None and item.section.campaign_id != u.campaign_id:
            raise Invalid(_("考评细则不属于本活动"), code="unknown_item")
        if u.evidence.count() >= MAX_FILES_PER_UNIT:
            raise Conflict(
                _("每个单位最多上传 %(n)d 个佐证材料") % {"n": MAX_FILES_PER_UNIT},
                code="too_many_files",
            )
        evidence = Evidence(
            unit=u,
            item=item,
            name=checked.name,
            size=checked.size,
            content_type=checked.content_type,
            uploaded_by=by,
        )
        evidence.file.save(checked.name, upload, save=False)
        evidence.save()
        event["data"].update({"evidence": evidence.pk, "name": checked.name, "size": checked.size})
    # A rolled-back upload leaves its file behind; the row, not the file, is the record.
    return evidence


def delete_evidence(evidence: Evidence, *, by) -> None:
    with step(UNIT_FLOW, evidence.unit, "delete_evidence", by=by) as (_u, event):
        event["data"].update({"evidence": evidence.pk, "name": evidence.name})
        file = evidence.file
        evidence.delete()
        transaction.on_commit(lambda: file.delete(save=False))


def submit_self_assessment(unit: CampaignUnit, *, by) -> CampaignUnit:
    with step(UNIT_FLOW, unit, "submit", by=by) as (u, event):
        due = u.effective_due
        if today() > due:
            raise Conflict(
                _(
                    "自评已于 %(due)s 截止，不能再提交。如确有特殊情况，请联系大厅管理办公室申请延期。"
                )
                % {"due": due.isoformat()},
                code="past_due",
            )
        items = checklist_items(u)
        scored = set(
            u.assessments.filter(self_score__isnull=False).values_list("item_id", flat=True)
        )
        missing = [i.title for pk, i in items.items() if pk not in scored]
        if missing:
            raise Conflict(
                _("还有 %(n)d 项未自评，如：%(t)s") % {"n": len(missing), "t": missing[0][:30]},
                code="items_unscored",
            )
        u.submitted_at, u.submitted_by = timezone.now(), by
        u.submitted_late = today() > u.campaign.assessment_due
        event["data"].update({"total": str(self_total(u)), "late": u.submitted_late})
    return unit


def apply_for_inspection(unit: CampaignUnit, *, by) -> CampaignUnit:
    """004: 自评达标后向……考核验收小组申报，申请验收考核."""
    with step(UNIT_FLOW, unit, "apply", by=by) as (u, event):
        total = self_total(u)
        if total < u.campaign.pass_score:
            raise Conflict(
                _("自评总分 %(t)s 未达到达标分 %(p)s，请对照标准改进后再申请验收")
                % {"t": total, "p": u.campaign.pass_score},
                code="below_pass_score",
            )
        u.applied_at = timezone.now()
        event["data"]["total"] = str(total)
    return unit


def extend_assessment_due(unit: CampaignUnit, *, until, reason: str, by) -> CampaignUnit:
    reason = required_text(reason, _("请写明延期理由"), limit=200)
    with step(UNIT_FLOW, unit, "extend", by=by, note=reason) as (u, event):
        if until is None or until < today() or until <= u.campaign.assessment_due:
            raise Invalid(_("延期日期应晚于原截止日期且不早于今天"), code="invalid_until")
        u.due_on, u.extension_reason = until, reason
        event["data"]["until"] = until.isoformat()
    return unit


def return_self_assessment(unit: CampaignUnit, *, reason: str, by) -> CampaignUnit:
    """The inspection team sends a self-assessment back to be redone (退回重新自评)."""
    reason = required_text(reason, _("请写明退回理由"), limit=300)
    with step(UNIT_FLOW, unit, "return", by=by, note=reason) as (u, _event):
        u.submitted_at = u.applied_at = None
        u.submitted_late = False
    return unit
