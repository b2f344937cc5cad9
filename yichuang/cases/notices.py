"""What the applicant is told, and when (提醒、预告、办结 — seed 002): on acceptance with the
deadline, with the one-time supplement list, on completion with the link to follow and rate
the case, and when it is not accepted or returned. Sent after commit by core.notifications."""

from django.conf import settings
from django.utils.translation import gettext as _

from yichuang.core.notifications import Recipient, notify

from .models import Case


def progress_link(case: Case) -> str:
    path = settings.PUBLIC_PROGRESS_PATH.format(number=case.number, code=case.query_code)
    return getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/") + path


def _tell(case: Case, kind: str, subject: str, body: str, **context) -> None:
    recipient = Recipient(
        name=case.applicant_name, phone=case.applicant_phone, email=case.applicant_email
    )
    notify(
        recipient,
        subject=subject,
        body=body,
        about=case,
        kind=f"case.{kind}",
        context={
            "number": case.number,
            "service": case.service.name,
            "code": case.query_code,
            "link": progress_link(case),
            **context,
        },
    )


def accepted(case: Case) -> None:
    _tell(
        case,
        "accepted",
        _("【一窗】您的申请已受理"),
        _(
            "您申请的“{{ service }}”已受理，办件编号 {{ number }}，查询码 {{ code }}，"
            "承诺于 {{ deadline }} 前办结。进度查询：{{ link }}"
        ),
        deadline=case.deadline,
    )


def supplement_requested(case: Case, missing: list[str]) -> None:
    _tell(
        case,
        "supplement",
        _("【一窗】请补交材料"),
        _(
            "您申请的“{{ service }}”（编号 {{ number }}）需补交：{{ missing }}。补交后即可受理：{{ link }}"
        ),
        missing="、".join(missing),
    )


def completed(case: Case) -> None:
    _tell(
        case,
        "completed",
        _("【一窗】您的申请已办结"),
        _("您申请的“{{ service }}”（编号 {{ number }}）已办结。欢迎对本次服务进行评价：{{ link }}"),
    )


def closed_without_decision(case: Case, reason: str) -> None:
    _tell(
        case,
        "closed",
        _("【一窗】办件结果通知"),
        _("您申请的“{{ service }}”（编号 {{ number }}）未能办理：{{ reason }}。详情：{{ link }}"),
        reason=reason,
    )


def handled_at(post) -> str:
    """Who handles a case, as the public may know it: department, post and window (the
    public staff board's words; never a staff member's name). Stored in the timeline, so
    in Chinese like the documents."""
    label = f"{post.department.name} · {post.name}"
    if post.window_id:
        label += f"（{post.window.number}号窗口）"
    return label


def refused(case: Case, doc) -> None:
    """行政许可法 §38: the decision, where its reasons and the remedies can be read."""
    _tell(
        case,
        "refused",
        _("【一窗】办理结果通知：不予许可"),
        _(
            "您申请的“{{ service }}”（编号 {{ number }}）经审查，{{ department }}决定不予许可。"
            "不予许可的理由，以及申请行政复议或提起行政诉讼的途径和期限，见《不予许可决定书》"
            "（{{ doc }}），可在进度页查看下载：{{ link }}"
        ),
        department=case.department.name,
        doc=doc.number,
    )


def extended(case: Case, doc, *, days: int, reason: str) -> None:
    """§42: the applicant learns the reason and the new deadline, not only the staff."""
    _tell(
        case,
        "extended",
        _("【一窗】办理期限延长告知"),
        _(
            "您申请的“{{ service }}”（编号 {{ number }}）因{{ reason }}，办理期限延长 {{ days }} "
            "个工作日，办结期限改为 {{ deadline }}。《延期办理告知书》（{{ doc }}）：{{ link }}"
        ),
        reason=reason,
        days=days,
        deadline=case.deadline,
        doc=doc.number,
    )


def suspended(case: Case, doc, *, reason: str) -> None:
    _tell(
        case,
        "suspended",
        _("【一窗】中止办理告知"),
        _(
            "您申请的“{{ service }}”（编号 {{ number }}）因{{ reason }}自 {{ since }} 起中止办理，"
            "中止期间不计入办理时限，恢复办理时将另行告知新的办结期限。"
            "《中止办理告知书》（{{ doc }}）：{{ link }}"
        ),
        reason=reason,
        since=case.suspended_on,
        doc=doc.number,
    )


def resumed(case: Case, doc, *, not_counted: int) -> None:
    _tell(
        case,
        "resumed",
        _("【一窗】恢复办理告知"),
        _(
            "您申请的“{{ service }}”（编号 {{ number }}）已恢复办理，中止期间 {{ not_counted }} "
            "个工作日不计入办理时限，办结期限顺延至 {{ deadline }}。"
            "《恢复办理告知书》（{{ doc }}）：{{ link }}"
        ),
        not_counted=not_counted,
        deadline=case.deadline,
        doc=doc.number,
    )


def transferred(case: Case) -> None:
    _tell(
        case,
        "transferred",
        _("【一窗】办件转办告知"),
        _(
            "您申请的“{{ service }}”（编号 {{ number }}）已转至{{ handler }}办理"
            "{% if deadline %}，办结期限仍为 {{ deadline }}{% endif %}。进度查询：{{ link }}"
        ),
        handler=handled_at(case.post),
        deadline=case.deadline,
    )


def deadline_moved(case: Case, previous) -> None:
    """The hall's calendar changed (a holiday notice entered) and the deadline with it."""
    _tell(
        case,
        "deadline_moved",
        _("【一窗】办结期限调整"),
        _(
            "根据国务院放假安排，您申请的“{{ service }}”（编号 {{ number }}）"
            "办结期限由 {{ previous }} 调整为 {{ deadline }}。进度查询：{{ link }}"
        ),
        previous=previous,
        deadline=case.deadline,
    )
