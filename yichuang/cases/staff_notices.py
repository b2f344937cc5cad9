"""What staff are told about a case by another member of staff (the applicant's notices are in
notices.py): a request for more time goes to the department's heads, and its answer back to
the handler who asked. In-app, and by SMS/e-mail where the person has an address."""

from django.urls import reverse
from django.utils.translation import gettext as _

from yichuang.core.notifications import Recipient, notify
from yichuang.org.queries import department_heads

from .models import Case, ExtensionRequest


def _link(case: Case) -> str:
    return reverse("cases:detail", args=[case.number]) + "#actions"


def extension_requested(case: Case, asked: ExtensionRequest) -> None:
    context = {
        "number": case.number,
        "service": case.service.name,
        "who": asked.requested_by.display_name,
        "days": asked.days,
        "reason": asked.reason,
        "deadline": case.deadline,
    }
    for head in department_heads({case.department_id}).get(case.department_id, []):
        notify(
            Recipient.of_staff(head),
            subject=_("延期申请：办件 {{ number }}"),
            body=_(
                "{{ who }} 申请将“{{ service }}”（办件 {{ number }}）的办理期限延长 {{ days }} "
                "个工作日（现办结期限 {{ deadline|date:'Y年n月j日' }}），理由：{{ reason }}。请批准或不予延期。"
            ),
            context=context,
            about=case,
            kind="case.extension_requested",
            link=_link(case),
        )


def extension_decided(asked: ExtensionRequest) -> None:
    case = asked.case
    approved = asked.decision == ExtensionRequest.Decision.APPROVED
    notify(
        Recipient.of_staff(asked.requested_by),
        subject=_("延期申请已批准：办件 {{ number }}")
        if approved
        else _("延期申请未获批准：办件 {{ number }}"),
        body=_("{{ head }} 已批准“{{ service }}”（办件 {{ number }}）的延期申请：{{ note }}")
        if approved
        else _(
            "{{ head }} 不同意“{{ service }}”（办件 {{ number }}）延期：{{ note }}。"
            "请按原办结期限办理。"
        ),
        context={
            "number": case.number,
            "service": case.service.name,
            "head": asked.decided_by.display_name if asked.decided_by else "",
            "note": asked.decision_note,
        },
        about=case,
        kind="case.extension_decided",
        link=_link(case),
    )
