"""Accountability records (责任追究) and announcements (通报) of handling results."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.flows import step

from .. import permissions
from ..flows import COMPLAINT_FLOW, FOLLOWUP_FLOW
from ..models import AccountabilityKind, AccountabilityRecord, Announcement, Finding
from ..scrub import scrub_personal_data
from .common import required_text


def hold_accountable(
    *, staff, kind: str, reason: str, complaint=None, follow_up=None, by
) -> AccountabilityRecord:
    """A measure against a staff member, by the hall office or the staff member's head. From a
    complaint only once it is upheld, from a follow-up only once the rating was found true;
    the source records the step as its own event."""
    if kind not in AccountabilityKind.values:
        raise Invalid(_("请选择追责方式"), code="invalid_kind")
    reason = required_text(reason, _("请写明追责事由"), code="reason_required", limit=2000)
    if not permissions.can_hold_accountable(by, staff):
        raise NotAllowed(_("您无权对该工作人员作出责任追究"))
    fields = {
        "staff": staff,
        "department_id": staff.department_id,
        "kind": kind,
        "reason": reason,
        "by": by,
    }
    # The permission depends on whom the measure is against: this call's guard for the step.
    allowed = lambda u, _obj: permissions.can_hold_accountable(u, staff)  # noqa: E731
    if complaint is not None:
        with step(
            COMPLAINT_FLOW, complaint, "hold_accountable", by=by, guard=allowed, note=reason
        ) as (c, ev):
            if not c.is_upheld:
                raise Conflict(_("投诉经核实属实或部分属实后才能追责"), code="not_upheld")
            _refuse_duplicate(complaint=c, staff=staff, kind=kind)
            record = _create(complaint=c, **fields)
            ev["data"].update({"staff": staff.username, "kind": kind, "record": record.pk})
        return record
    if follow_up is not None:
        with step(
            FOLLOWUP_FLOW, follow_up, "hold_accountable", by=by, guard=allowed, note=reason
        ) as (f, ev):
            if f.finding not in (Finding.SUBSTANTIATED, Finding.PARTLY):
                raise Conflict(_("差评经核实属实后才能追责"), code="not_substantiated")
            _refuse_duplicate(follow_up=f, staff=staff, kind=kind)
            record = _create(follow_up=f, **fields)
            ev["data"].update({"staff": staff.username, "kind": kind, "record": record.pk})
        return record
    with transaction.atomic():
        record = AccountabilityRecord.objects.create(**fields)
        audit.record(
            "feedback.accountability_recorded",
            actor=by,
            target=record,
            summary=f"{staff.display_name} {record.get_kind_display()}",
        )
    return record


def _duplicate(kind) -> Conflict:
    return Conflict(
        _("已对该工作人员就此事作出“%(kind)s”的追责记录，不能重复登记")
        % {"kind": AccountabilityKind(kind).label},
        code="duplicate_accountability",
    )


def _refuse_duplicate(*, staff, kind, **source) -> None:
    # The source row is locked by its step, so this check and the insert are serialized; the
    # unique constraints are the last word.
    if AccountabilityRecord.objects.filter(staff=staff, kind=kind, **source).exists():
        raise _duplicate(kind)


def _create(**fields) -> AccountabilityRecord:
    try:
        with transaction.atomic():
            return AccountabilityRecord.objects.create(**fields)
    except IntegrityError as exc:
        raise _duplicate(fields["kind"]) from exc


def _names_of(complaint) -> list[str]:
    if complaint is None:
        return []
    names = [complaint.name]
    if complaint.staff_id:
        names += [complaint.staff.full_name, complaint.staff.get_full_name()]
    return names


def proposed_announcement(complaint) -> tuple[str, str]:
    """A first text for the office to edit: what was complained of, found and done."""
    kind = complaint.get_kind_display()
    title = _("关于%(kind)s“%(subject)s”办理结果的通报") % {
        "kind": kind,
        "subject": complaint.subject,
    }
    lines = [
        _("%(date)s，我厅收到群众%(kind)s：%(subject)s。")
        % {
            "date": f"{timezone.localtime(complaint.received_at):%Y年%m月%d日}",
            "kind": kind,
            "subject": complaint.subject,
        },
    ]
    if complaint.outcome:
        lines.append(
            _("经调查核实，%(kind)s情况%(outcome)s。")
            % {"kind": kind, "outcome": complaint.outcome_label}
        )
    if complaint.verification:
        lines.append(complaint.verification)
    for record in complaint.accountability_records.all():
        lines.append(
            _("对相关责任人作出%(measure)s处理。") % {"measure": record.get_kind_display()}
        )
    if complaint.reply:
        lines.append(_("已向反映人答复：%(reply)s") % {"reply": complaint.reply})
    return title, scrub_personal_data("\n".join(lines), names=_names_of(complaint))


def draft_announcement(*, title: str, body: str, complaint=None, by) -> Announcement:
    if not permissions.can_review(by):
        raise NotAllowed(_("通报由大厅管理办公室发布"))
    title = required_text(title, _("请填写标题"), code="title_required", limit=200)
    body = required_text(body, _("请填写正文"), code="body_required", limit=10000)
    names = _names_of(complaint)
    return Announcement.objects.create(
        title=scrub_personal_data(title, names=names),
        body=scrub_personal_data(body, names=names),
        complaint=complaint,
        created_by=by,
    )


def publish_announcement(announcement: Announcement, *, by) -> Announcement:
    """Scrubbed again at publication: an edit after drafting must not let a phone through."""
    if not permissions.can_review(by):
        raise NotAllowed(_("通报由大厅管理办公室发布"))
    with transaction.atomic():
        a = (
            Announcement.objects.select_for_update(of=("self",))
            .select_related("complaint__staff")
            .get(pk=announcement.pk)
        )
        if a.is_published:
            raise Conflict(_("该通报已发布"), code="already_published")
        names = _names_of(a.complaint)
        a.title = scrub_personal_data(a.title, names=names)
        a.body = scrub_personal_data(a.body, names=names)
        a.published_at, a.published_by, a.withdrawn_at = timezone.now(), by, None
        a.save(update_fields=["title", "body", "published_at", "published_by", "withdrawn_at"])
        audit.record("feedback.announcement_published", actor=by, target=a, summary=a.title)
    return a


def withdraw_announcement(announcement: Announcement, *, by) -> Announcement:
    if not permissions.can_review(by):
        raise NotAllowed(_("通报由大厅管理办公室发布"))
    with transaction.atomic():
        a = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if not a.is_published:
            raise Conflict(_("该通报未发布"), code="not_published")
        a.withdrawn_at = timezone.now()
        a.save(update_fields=["withdrawn_at"])
        audit.record("feedback.announcement_withdrawn", actor=by, target=a, summary=a.title)
    return a
