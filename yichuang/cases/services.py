"""The verbs of a case. Each runs one step of CASE_FLOW (flows.py) through core.flows.step: one
permission check, one state check against the transition table, one transaction, one event.
Views, API, admin and commands all call these."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.flows import step
from yichuang.org.queries import covering, posts_with_people
from yichuang.workdays.clock import clock
from yichuang.workdays.queries import hall_calendar

from . import documents, notices, staff_notices
from .deadlines import online_answer_line
from .flows import CASE_FLOW, public_event  # noqa: F401  (public_event: re-exported)
from .intake import apply_online, create_case  # noqa: F401  (re-exported: intake verbs)
from .models import Case, CaseEvent, Document, ExtensionRequest, Outcome, Status
from .parts import complete_part, drop_part, open_parts, refuse_part, start_parts  # noqa: F401
from .texts import remedies


def _today():
    return timezone.localdate()


def _route(case: Case):
    """AB routing: whoever covers the post now; the holder when nobody does (the post's
    work waits for them, and supervisors see the post as uncovered)."""
    post = posts_with_people().get(pk=case.post_id)
    return covering(post, timezone.now()) or post.holder


def _start_clock(case: Case, start_date) -> None:
    cal = hall_calendar()
    case.clock_start = start_date
    c = clock(cal, start_date, case.committed_days + case.extended_days, case.suspended_days)
    case.deadline, case.yellow_on, case.deadline_provisional = (
        c.deadline,
        c.yellow_on,
        c.provisional,
    )


def _clock_start(case: Case, event: dict):
    """Today, or the day of receipt for an online application answered after the §32 line
    (not answered within 5 days it counts as accepted on receipt): committed and immediate
    items alike, so a late 即办件 is completed late, not on time."""
    start = _today()
    received = timezone.localdate(case.received_at)
    if case.channel == "online" and start > online_answer_line(hall_calendar(), received):
        event["data"]["deemed_accepted_on"] = received.isoformat()
        return received
    return start


def accept_case(case: Case, *, by) -> Case:
    with step(CASE_FLOW, case, "accept", by=by) as (c, event):
        missing = [m.name for m in c.materials.all() if m.required and not m.provided]
        if missing:
            raise Conflict(
                _("尚缺必需材料，不能受理：%(m)s") % {"m": "、".join(missing)},
                code="materials_missing",
            )
        now = timezone.now()
        c.accepted_at = now
        c.committed_days = c.service.committed_days
        _start_clock(c, _clock_start(c, event))
        c.assignee = _route(c)
        c.intake_by = c.intake_by or by
        start_parts(c, event, by=by)
        documents.issue(c, Document.Kind.ACCEPTANCE, by=by)
        notices.accepted(c)
        event["data"].update(
            {
                "deadline": c.deadline.isoformat(),
                "assignee": c.assignee.username if c.assignee else None,
            }
        )
    return case


def request_supplement(case: Case, *, missing: list[int], note: str = "", by) -> Case:
    with step(CASE_FLOW, case, "request_supplement", by=by, note=note) as (c, event):
        known = {m.material_id: m for m in c.materials.all()}
        unknown = [m for m in missing if m not in known]
        if unknown or not missing:
            raise Invalid(_("请从本事项的材料清单中选择缺少的材料"), code="invalid_materials")
        for material_id in missing:
            known[material_id].provided = False
            known[material_id].save(update_fields=["provided"])
        names = [known[m].name for m in missing]
        event["data"]["missing"] = [{"id": m, "name": known[m].name} for m in missing]
        documents.issue(c, Document.Kind.SUPPLEMENT, by=by, data={"missing": names, "note": note})
        notices.supplement_requested(c, names)
    return case


def supplement_case(case: Case, *, materials: list[int], by=None) -> Case:
    """The applicant brings (or uploads) what was missing; public with the query code."""
    with step(CASE_FLOW, case, "supplement", by=by) as (c, event):
        known = {m.material_id: m for m in c.materials.all()}
        if not materials or any(m not in known for m in materials):
            raise Invalid(_("请从本事项的材料清单中选择补交的材料"), code="invalid_materials")
        for material_id in materials:
            known[material_id].provided = True
            known[material_id].save(update_fields=["provided"])
        event["data"]["materials"] = materials
    return case


def supplement_online(case: Case, *, uploads: dict[int, list]) -> Case:
    """The applicant uploads what the supplement list asked for (public, with the query code)."""
    from .attachments import check_uploads, files_removed_on_failure, store_uploads

    check_uploads(uploads, {m.material_id for m in case.materials.all()})
    if not any(uploads.values()):
        raise Invalid(_("请上传需要补交的材料"), code="invalid_upload")
    with files_removed_on_failure() as written, transaction.atomic():
        store_uploads(case, uploads, written)
        supplement_case(case, materials=[m for m, files in uploads.items() if files], by=None)
    return case


def reject_case(case: Case, *, reason: str, by) -> Case:
    reason = _required_text(reason, _("请写明不予受理的理由"))
    with step(CASE_FLOW, case, "reject", by=by, note=reason) as (
        c,
        _e,
    ):
        c.completed_at = timezone.now()
        documents.issue(c, Document.Kind.REJECTION, by=by, data={"reason": reason})
        notices.closed_without_decision(c, reason)
    return case


def return_case(case: Case, *, reason: str, by) -> Case:
    reason = _required_text(reason, _("请写明退件理由"))
    with step(CASE_FLOW, case, "return", by=by, note=reason) as (
        c,
        _e,
    ):
        c.completed_at = timezone.now()
        documents.issue(c, Document.Kind.RETURN, by=by, data={"reason": reason})
        notices.closed_without_decision(c, reason)
    return case


def complete_case(case: Case, *, by, note: str = "") -> Case:
    """即办件: accepted and completed on the spot."""
    with step(CASE_FLOW, case, "complete", by=by, note=note) as (
        c,
        event,
    ):
        if c.service.kind != "immediate":
            raise Conflict(_("承诺件须先受理，再经审核、复核后办结"), code="not_immediate")
        if open_parts(c).exists():
            raise Conflict(_("联办件须先受理，待联办部门完成后办结"), code="joint_parts_open")
        missing = [m.name for m in c.materials.all() if m.required and not m.provided]
        if missing:
            raise Conflict(
                _("尚缺必需材料，不能办结：%(m)s") % {"m": "、".join(missing)},
                code="materials_missing",
            )
        now = timezone.now()
        c.accepted_at = c.completed_at = now
        c.committed_days = c.service.committed_days
        _start_clock(c, _clock_start(c, event))
        c.assignee = c.assignee or by
        c.intake_by = c.intake_by or by
        c.outcome = Outcome.APPROVED
        documents.issue(c, Document.Kind.COMPLETION, by=by)
        notices.completed(c)
    return case


def review_case(case: Case, *, decision: str, note: str = "", by) -> Case:
    if decision not in ("approve", "refuse"):
        raise Invalid(_("审核意见应为 approve（同意）或 refuse（不同意）"), code="invalid_decision")
    if decision == "refuse":
        # 行政许可法 §38: a refusal states its reasons; this note becomes them.
        note = _required_text(note, _("不同意（不予许可）须写明理由，理由将写入不予许可决定书"))
    with step(CASE_FLOW, case, "review", by=by, note=note) as (
        c,
        event,
    ):
        c.reviewed_by = by
        c.review_decision = Outcome.APPROVED if decision == "approve" else Outcome.REFUSED
        event["data"]["decision"] = decision
    return case


def check_case(case: Case, *, agree: bool, note: str = "", by) -> Case:
    with step(CASE_FLOW, case, "check", by=by, note=note) as (c, event):
        if c.reviewed_by_id == by.pk:
            raise NotAllowed(
                _("复核人不能与审核人为同一人（一审一核）"), code="checker_is_reviewer"
            )
        c.checked_by = by
        event["data"]["agree"] = agree
        if agree and open_parts(c).exists():
            raise Conflict(_("联办部门尚未全部完成，牵头部门暂不能办结"), code="joint_parts_open")
        if agree:
            c.status = Status.COMPLETED
            c.completed_at = timezone.now()
            c.outcome = c.review_decision or Outcome.APPROVED
            if c.outcome == Outcome.REFUSED:
                _refuse(c, event, note=note, by=by)
            else:
                documents.issue(c, Document.Kind.COMPLETION, by=by)
                notices.completed(c)
        else:
            c.status = Status.ACCEPTED
            c.reviewed_by = None
            c.review_decision = ""
    return case


def _refuse(c: Case, event: dict, *, note: str, by) -> None:
    """The checker agreed with a refusal: a 不予许可决定书 (行政许可法 §38) with the reviewer's
    reasons, the deciding department and the applicant's remedies, instead of a 办结通知书."""
    reason = (
        CaseEvent.objects.filter(case=c, action="review")
        .order_by("-at", "-id")
        .values_list("note", flat=True)
        .first()
        or ""
    ).strip() or note.strip()  # a refusal reviewed before reasons were required
    if not reason:
        raise Invalid(
            _("审核未写明不予许可的理由，请在复核意见中写明（将写入不予许可决定书）"),
            code="reason_required",
        )
    doc = documents.issue(c, Document.Kind.REFUSAL, by=by, data={"reason": reason, **remedies()})
    notices.refused(c, doc)
    event["data"]["document"] = doc.number
    event["public_note"] = "不予许可，理由及救济途径见不予许可决定书"


def suspend_case(case: Case, *, reason: str, by) -> Case:
    reason = _required_text(reason, _("请写明挂起的法定事由（如听证、检验、鉴定、专家评审）"))
    with step(CASE_FLOW, case, "suspend", by=by, note=reason) as (
        c,
        event,
    ):
        c.suspended_on = _today()
        doc = documents.issue(
            c,
            Document.Kind.SUSPENSION,
            by=by,
            data={"reason": reason, "suspended_on": c.suspended_on.isoformat()},
        )
        notices.suspended(c, doc, reason=reason)
        event["data"]["document"] = doc.number
        event["public_note"] = "中止办理，中止期间不计入办理时限"
    return case


def resume_case(case: Case, *, by) -> Case:
    with step(CASE_FLOW, case, "resume", by=by) as (c, event):
        suspended_on = c.suspended_on
        spent = max(hall_calendar().working_days_between(suspended_on, _today()), 0)
        c.suspended_days += spent
        c.suspended_on = None
        _start_clock(c, c.clock_start)
        reason = (
            CaseEvent.objects.filter(case=c, action="suspend")
            .order_by("-at", "-id")
            .values_list("note", flat=True)
            .first()
            or ""
        )
        doc = documents.issue(
            c,
            Document.Kind.RESUMPTION,
            by=by,
            data={
                "reason": reason,
                "suspended_on": suspended_on.isoformat(),
                "resumed_on": _today().isoformat(),
                "suspended_working_days": spent,
                "provisional": c.deadline_provisional,
            },
        )
        notices.resumed(c, doc, not_counted=spent)
        event["data"].update(
            {
                "suspended_working_days": spent,
                "deadline": c.deadline.isoformat(),
                "document": doc.number,
            }
        )
        event["public_note"] = f"恢复办理，办结期限 {c.deadline.isoformat()}"
    return case


def extend_case(case: Case, *, days: int, reason: str, by) -> Case:
    reason = _required_text(reason, _("请写明延期理由"))
    if not isinstance(days, int) or not 1 <= days <= 60:
        raise Invalid(_("延期天数应为 1 至 60 个工作日"), code="invalid_days")
    with step(CASE_FLOW, case, "extend", by=by, note=reason) as (
        c,
        event,
    ):
        asked = _open_extension_request(c)
        if asked is not None:  # the head's extension answers the handler's request
            _decide(asked, ExtensionRequest.Decision.APPROVED, note=reason, by=by)
            event["data"]["request"] = asked.pk
        previous = c.deadline
        c.extended_days += days
        _start_clock(c, c.clock_start)
        doc = documents.issue(
            c,
            Document.Kind.EXTENSION,
            by=by,
            data={
                "reason": reason,
                "days": days,
                "previous_deadline": previous.isoformat() if previous else None,
                "provisional": c.deadline_provisional,
            },
        )
        notices.extended(c, doc, days=days, reason=reason)
        event["data"].update(
            {"days": days, "deadline": c.deadline.isoformat(), "document": doc.number}
        )
        event["public_note"] = f"延长 {days} 个工作日，办结期限 {c.deadline.isoformat()}"
    return case


def request_extension(case: Case, *, days: int, reason: str, by) -> Case:
    """The handler asks the head for more time (§42); the head's inbox shows the request."""
    reason = _required_text(reason, _("请写明延期理由"))
    if not isinstance(days, int) or not 1 <= days <= 60:
        raise Invalid(_("延期天数应为 1 至 60 个工作日"), code="invalid_days")
    with step(CASE_FLOW, case, "request_extension", by=by, note=reason) as (c, event):
        asked = ExtensionRequest.objects.create(
            case=c, days=days, reason=reason, requested_by=by, requested_at=timezone.now()
        )
        event["data"].update({"days": days, "request": asked.pk})
        staff_notices.extension_requested(c, asked)
    return case


def refuse_extension(case: Case, *, reason: str, by) -> Case:
    """The head answers a request for more time with no: the deadline stands."""
    reason = _required_text(reason, _("请写明不予延期的理由"))
    with step(CASE_FLOW, case, "refuse_extension", by=by, note=reason) as (c, event):
        asked = _open_extension_request(c)
        assert asked is not None  # the flow's check refused the step otherwise
        _decide(asked, ExtensionRequest.Decision.REFUSED, note=reason, by=by)
        event["data"].update({"request": asked.pk, "days": asked.days})
    return case


def _open_extension_request(case: Case) -> ExtensionRequest | None:
    return (
        ExtensionRequest.objects.select_for_update()
        .filter(case=case, decision=ExtensionRequest.Decision.PENDING)
        .first()
    )


def _decide(asked: ExtensionRequest, decision: str, *, note: str, by) -> None:
    asked.decision, asked.decision_note = decision, note
    asked.decided_by, asked.decided_at = by, timezone.now()
    asked.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
    staff_notices.extension_decided(asked)


def transfer_case(case: Case, *, post, reason: str, by) -> Case:
    reason = _required_text(reason, _("请写明转办理由"))
    with step(CASE_FLOW, case, "transfer", by=by, note=reason) as (c, event):
        if post.pk == c.post_id:
            raise Invalid(_("办件已在该岗位"), code="same_post")
        if c.parts.filter(department_id=post.department_id).exists():
            # A department cannot lead and take a part of the same joint case.
            raise Invalid(_("该部门是本件的联办部门，不能转为牵头"), code="joint_lead_department")
        event["data"].update({"from_post": c.post.code, "to_post": post.code})
        c.post, c.department = post, post.department
        if c.status in (Status.ACCEPTED, Status.SUSPENDED):
            c.assignee = _route(c)
        event["data"]["assignee"] = c.assignee.username if c.assignee else None
        notices.transferred(c)
        event["public_note"] = f"现由{notices.handled_at(post)}办理"
    return case


def record_personal_data_view(case: Case, *, by, reason: str = "") -> None:
    """Every view of an unmasked ID number or phone is recorded (PIPL, 等保 2.0)."""
    audit.record(
        "case.personal_data_viewed",
        actor=by,
        target=case,
        summary=case.number,
        data={"reason": reason},
    )


def _required_text(value: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(message, code="reason_required")
    return value
