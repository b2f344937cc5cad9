"""Setting up a campaign: its phases, units, inspectors and checklist; launching and closing
it. Only the hall office; each verb one transaction and one audit record."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Conflict, Invalid

from .. import notices
from ..models import (
    PHASE_ORDER,
    Campaign,
    CampaignStatus,
    CampaignUnit,
    ChecklistItem,
    ChecklistSection,
    Phase,
    PhaseKind,
)
from ..standards import BUILT_IN_CHECKLISTS, PHASE_NOTES
from .common import lock_campaign, require_editable, require_manager, required_text, score

Phases = dict[str, tuple[date, date]]


def check_phases(phases: Phases, assessment_due: date) -> None:
    """Three phases, each with a start not after its end, one after another; the
    self-assessment is due inside the campaign."""
    missing = [PhaseKind(k).label for k in PHASE_ORDER if k not in phases]
    if missing:
        raise Invalid(
            _("请填写各阶段日期：%(p)s") % {"p": "、".join(missing)}, code="phase_missing"
        )
    previous = None
    for kind in PHASE_ORDER:
        starts_on, ends_on = phases[kind]
        if starts_on is None or ends_on is None or starts_on > ends_on:
            raise Invalid(
                _("%(p)s的开始日期不能晚于结束日期") % {"p": PhaseKind(kind).label},
                code="phase_dates",
            )
        if previous is not None and starts_on < previous[1]:
            raise Invalid(
                _("%(p)s应在%(q)s结束后开始")
                % {"p": PhaseKind(kind).label, "q": PhaseKind(previous[0]).label},
                code="phase_order",
            )
        previous = (kind, ends_on)
    first, last = phases[PhaseKind.MOBILIZATION][0], phases[PhaseKind.APPRAISAL][1]
    if assessment_due is None or not first <= assessment_due <= last:
        raise Invalid(_("自评截止日期应在活动期间内"), code="assessment_due")


def _write_phases(campaign: Campaign, phases: Phases) -> None:
    campaign.phases.all().delete()
    Phase.objects.bulk_create(
        Phase(
            campaign=campaign,
            kind=kind,
            name=PhaseKind(kind).label,
            starts_on=phases[kind][0],
            ends_on=phases[kind][1],
            note=PHASE_NOTES.get(kind, ""),
        )
        for kind in PHASE_ORDER
    )


def _set_units(campaign: Campaign, departments) -> None:
    wanted = {d.pk for d in departments}
    campaign.units.exclude(department_id__in=wanted).delete()
    have = set(campaign.units.values_list("department_id", flat=True))
    CampaignUnit.objects.bulk_create(
        CampaignUnit(campaign=campaign, department_id=pk) for pk in sorted(wanted - have)
    )


def _load_checklist(campaign: Campaign, sections) -> None:
    for s_pos, (title, items) in enumerate(sections, start=1):
        section = ChecklistSection.objects.create(campaign=campaign, position=s_pos, title=title)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(section=section, position=i, title=t, guidance=g, max_score=Decimal(m))
            for i, (t, g, m) in enumerate(items, start=1)
        )


def create_campaign(
    *,
    title: str,
    phases: Phases,
    assessment_due: date,
    term: str = "",
    goal: str = "",
    pass_score=Decimal("90"),
    departments=(),
    inspectors=(),
    checklist: str | None = None,
    is_template: bool = False,
    by,
) -> Campaign:
    """A draft campaign; `checklist` names a built-in standard ("wuhua") to start from."""
    require_manager(by)
    title = required_text(title, _("请填写活动名称"), limit=100)
    check_phases(phases, assessment_due)
    if checklist and checklist not in BUILT_IN_CHECKLISTS:
        raise Invalid(_("未知的标准模板"), code="unknown_checklist")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=title,
            term=term.strip()[:40],
            goal=goal.strip(),
            assessment_due=assessment_due,
            pass_score=score(pass_score, Decimal("1000"), label=_("达标")),
            is_template=is_template,
            created_by=by,
        )
        _write_phases(campaign, phases)
        _set_units(campaign, departments)
        campaign.inspectors.set(inspectors)
        if checklist:
            _load_checklist(campaign, BUILT_IN_CHECKLISTS[checklist][1])
        audit.record(
            "campaign.created",
            actor=by,
            target=campaign,
            summary=title,
            data={"checklist": checklist or "", "units": len(departments)},
        )
    return campaign


def update_campaign(
    campaign: Campaign,
    *,
    title: str,
    phases: Phases,
    assessment_due: date,
    term: str = "",
    goal: str = "",
    pass_score=Decimal("90"),
    departments=None,
    inspectors=(),
    by,
) -> Campaign:
    """Dates and wording may move while the campaign runs; the units only while a draft."""
    require_manager(by)
    title = required_text(title, _("请填写活动名称"), limit=100)
    check_phases(phases, assessment_due)
    with transaction.atomic():
        locked = lock_campaign(campaign)
        if locked.status == CampaignStatus.CLOSED:
            raise Conflict(_("活动已总结，不能再修改"), code="campaign_closed")
        if departments is not None:
            current = set(locked.units.values_list("department_id", flat=True))
            if {d.pk for d in departments} != current:
                require_editable(locked)
                _set_units(locked, departments)
        locked.title, locked.term, locked.goal = title, term.strip()[:40], goal.strip()
        locked.assessment_due = assessment_due
        locked.pass_score = score(pass_score, Decimal("1000"), label=_("达标"))
        locked.save(update_fields=["title", "term", "goal", "assessment_due", "pass_score"])
        _write_phases(locked, phases)
        locked.inspectors.set(inspectors)
        audit.record(
            "campaign.updated",
            actor=by,
            target=locked,
            summary=title,
            data={"assessment_due": assessment_due.isoformat()},
        )
    campaign.refresh_from_db()
    return campaign


def copy_campaign(
    source: Campaign,
    *,
    title: str,
    starts_on: date,
    term: str = "",
    is_template: bool = False,
    by,
) -> Campaign:
    """A new draft from a template or an earlier campaign: its checklist, units and
    inspectors, and its phases moved to start on `starts_on` with the same lengths."""
    require_manager(by)
    title = required_text(title, _("请填写活动名称"), limit=100)
    if starts_on is None:
        raise Invalid(_("请填写新活动的开始日期"), code="starts_on")
    phases = {p.kind: p for p in source.phases.all()}
    if PhaseKind.MOBILIZATION not in phases:
        raise Conflict(_("原活动缺少阶段日期，不能复制"), code="no_phases")
    shift: timedelta = starts_on - phases[PhaseKind.MOBILIZATION].starts_on
    with transaction.atomic():
        copy = Campaign.objects.create(
            title=title,
            term=term.strip()[:40],
            goal=source.goal,
            assessment_due=source.assessment_due + shift,
            pass_score=source.pass_score,
            is_template=is_template,
            source=source,
            created_by=by,
        )
        Phase.objects.bulk_create(
            Phase(
                campaign=copy,
                kind=p.kind,
                name=p.name,
                note=p.note,
                starts_on=p.starts_on + shift,
                ends_on=p.ends_on + shift,
            )
            for p in phases.values()
        )
        sections = source.sections.prefetch_related("items")
        _load_checklist(
            copy,
            [
                (s.title, [(i.title, i.guidance, i.max_score) for i in s.items.all()])
                for s in sections
            ],
        )
        CampaignUnit.objects.bulk_create(
            CampaignUnit(campaign=copy, department_id=u.department_id) for u in source.units.all()
        )
        copy.inspectors.set(source.inspectors.all())
        audit.record(
            "campaign.copied",
            actor=by,
            target=copy,
            summary=title,
            data={"source": source.pk, "shift_days": shift.days},
        )
    return copy


def launch_campaign(campaign: Campaign, *, by) -> Campaign:
    """From draft to running: the units are told and can start their self-assessment."""
    require_manager(by)
    with transaction.atomic():
        locked = lock_campaign(campaign)
        if locked.is_template:
            raise Conflict(_("模板不能启动，请先复制为新活动"), code="is_template")
        require_editable(locked)
        if not locked.units.exists():
            raise Conflict(_("请先选择参评单位"), code="no_units")
        total = locked.max_total()
        if total == 0:
            raise Conflict(_("请先制定考评标准"), code="no_checklist")
        if locked.pass_score > total:
            raise Conflict(
                _("达标分 %(p)s 高于考评标准总分 %(t)s") % {"p": locked.pass_score, "t": total},
                code="pass_score_too_high",
            )
        locked.status, locked.launched_at = CampaignStatus.LAUNCHED, timezone.now()
        locked.save(update_fields=["status", "launched_at"])
        for unit in locked.units.select_related("department"):
            notices.tell_heads_launched(unit)
        audit.record("campaign.launched", actor=by, target=locked, summary=locked.title)
    campaign.status, campaign.launched_at = locked.status, locked.launched_at
    return campaign


def close_campaign(campaign: Campaign, *, summary: str = "", by) -> Campaign:
    """The summary phase ends: everything becomes read-only and the report final."""
    require_manager(by)
    with transaction.atomic():
        locked = lock_campaign(campaign)
        if locked.status != CampaignStatus.LAUNCHED:
            raise Conflict(_("只有进行中的活动可以总结"), code="campaign_not_running")
        locked.status, locked.closed_at = CampaignStatus.CLOSED, timezone.now()
        locked.summary = (summary or "").strip()
        locked.save(update_fields=["status", "closed_at", "summary"])
        audit.record("campaign.closed", actor=by, target=locked, summary=locked.title)
    campaign.status, campaign.closed_at, campaign.summary = (
        locked.status,
        locked.closed_at,
        locked.summary,
    )
    return campaign
