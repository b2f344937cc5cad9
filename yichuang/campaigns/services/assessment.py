"""A unit's self-assessment (自评): scores and explanations per item, evidence files, the
submission by the deadline and the application for inspection (申报验收).

Late submission is refused: the date is the campaign's rule for every unit alike. The hall
office may grant one unit a later date (`extend_assessment_due`); a submission that uses such
an extension is flagged `submitted_late` so the summary shows it.
"""

from contextlib import contextmanager
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Conflict, Invalid, NotAllowed

from .. import permissions
from ..evidence import MAX_FILES_PER_UNIT, check_upload
from ..models import (
    CampaignStatus,
    CampaignUnit,
    ChecklistItem,
    Evidence,
    ItemAssessment,
    UnitStatus,
)
from ..transitions import ACTION_LABELS, TRANSITIONS
from .common import required_text, score, today


@contextmanager
def unit_step(unit: CampaignUnit, action: str, *, by, allowed, summary: str = ""):
    """Lock the unit, check permission then the campaign and the status, let the caller
    change it, record the audit event. A refused step raises before anything is written."""
    with transaction.atomic():
        locked = (
            # Only this row: locking the joined rows too would block intake (FK checks).
            CampaignUnit.objects.select_for_update(of=("self",))
            .select_related("campaign", "department")
            .get(pk=unit.pk)
        )
        if not allowed(by, locked):
            raise NotAllowed(_("您无权对该单位执行“%(a)s”") % {"a": ACTION_LABELS[action]})
        if locked.campaign.status != CampaignStatus.LAUNCHED:
            raise Conflict(_("活动未在进行中"), code="campaign_not_running")
        if action in TRANSITIONS and locked.status not in TRANSITIONS[action][0]:
            raise Conflict(
                _("该单位当前为“%(s)s”，不能%(a)s")
                % {"s": UnitStatus(locked.status).label, "a": ACTION_LABELS[action]},
                code="invalid_transition",
            )
        data: dict = {}
        yield locked, data
        if action in TRANSITIONS:
            locked.status = TRANSITIONS[action][1]
        locked.save()
        audit.record(
            f"campaign_unit.{action}",
            actor=by,
            target=locked,
            summary=summary or f"{locked.department.name} {ACTION_LABELS[action]}",
            data=data,
        )
    unit.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})


def checklist_items(unit: CampaignUnit) -> dict[int, ChecklistItem]:
    return {i.pk: i for i in ChecklistItem.objects.filter(section__campaign_id=unit.campaign_id)}


def self_total(unit: CampaignUnit) -> Decimal:
    total = unit.assessments.aggregate(t=Sum("self_score"))["t"]
    return total or Decimal("0")


def save_self_assessment(unit: CampaignUnit, *, entries: dict[int, dict], by) -> CampaignUnit:
    """`entries` maps item ids to {"score", "note"}; a blank score is kept blank (not yet
    scored) so that the head can save half-way and come back."""
    with unit_step(unit, "save", by=by, allowed=permissions.can_fill_assessment) as (u, data):
        if u.status != UnitStatus.PENDING:
            raise Conflict(_("自评已提交，不能再修改"), code="already_submitted")
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
        data["items"] = len(entries)
    return unit


def upload_evidence(unit: CampaignUnit, *, upload, item: ChecklistItem | None = None, by):
    with unit_step(
        unit, "upload", by=by, allowed=permissions.can_fill_assessment, summary=upload.name
    ) as (u, data):
        checked = check_upload(upload)
        if u.status != UnitStatus.PENDING:
            raise Conflict(_("自评已提交，不能再上传佐证材料"), code="already_submitted")
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
        data.update({"evidence": evidence.pk, "size": checked.size})
    # A rolled-back upload leaves its file behind; the row, not the file, is the record.
    return evidence


def delete_evidence(evidence: Evidence, *, by) -> None:
    with unit_step(
        evidence.unit,
        "upload",
        by=by,
        allowed=permissions.can_fill_assessment,
        summary=f"删除 {evidence.name}",
    ) as (u, data):
        if u.status != UnitStatus.PENDING:
            raise Conflict(_("自评已提交，不能再删除佐证材料"), code="already_submitted")
        data["deleted"] = evidence.pk
        file = evidence.file
        evidence.delete()
        transaction.on_commit(lambda: file.delete(save=False))


def submit_self_assessment(unit: CampaignUnit, *, by) -> CampaignUnit:
    with unit_step(unit, "submit", by=by, allowed=permissions.can_fill_assessment) as (u, data):
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
        data.update({"total": str(self_total(u)), "late": u.submitted_late})
    return unit


def apply_for_inspection(unit: CampaignUnit, *, by) -> CampaignUnit:
    """004: 自评达标后向……考核验收小组申报，申请验收考核."""
    with unit_step(unit, "apply", by=by, allowed=permissions.can_fill_assessment) as (u, data):
        total = self_total(u)
        if total < u.campaign.pass_score:
            raise Conflict(
                _("自评总分 %(t)s 未达到达标分 %(p)s，请对照标准改进后再申请验收")
                % {"t": total, "p": u.campaign.pass_score},
                code="below_pass_score",
            )
        u.applied_at = timezone.now()
        data["total"] = str(total)
    return unit


def extend_assessment_due(unit: CampaignUnit, *, until, reason: str, by) -> CampaignUnit:
    reason = required_text(reason, _("请写明延期理由"), limit=200)
    with unit_step(
        unit, "extend", by=by, allowed=lambda u, _unit: permissions.can_manage_campaigns(u)
    ) as (u, data):
        if u.status != UnitStatus.PENDING:
            raise Conflict(_("该单位已提交自评，无需延期"), code="already_submitted")
        if until is None or until < today() or until <= u.campaign.assessment_due:
            raise Invalid(_("延期日期应晚于原截止日期且不早于今天"), code="invalid_until")
        u.due_on, u.extension_reason = until, reason
        data.update({"until": until.isoformat(), "reason": reason})
    return unit


def return_self_assessment(unit: CampaignUnit, *, reason: str, by) -> CampaignUnit:
    """The inspection team sends a self-assessment back to be redone (退回重新自评)."""
    reason = required_text(reason, _("请写明退回理由"), limit=300)
    with unit_step(unit, "return", by=by, allowed=permissions.can_inspect) as (u, data):
        u.submitted_at = u.applied_at = None
        u.submitted_late = False
        data["reason"] = reason
    return unit
