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
