"""notify(): render now, send after commit, as a task."""

from collections.abc import Sequence

from django.db import transaction
from django.template import Context, Engine

from yichuang.core import crypto
from yichuang.core.models import AuditEvent
from yichuang.core.staff_notices import post_notice

from .addresses import Recipient, redact_for_record
from .channels import CHANNELS
from .tasks import deliver_notice

AUDIT_ACTIONS = ("notification.sent", "notification.failed", "notification.skipped")


def _render(text: str, context: dict | None) -> str:
    if not context:
        return text
    # Plain text for SMS and mail: nothing to escape.
    return Engine.get_default().from_string(text).render(Context(context, autoescape=False))


def notify(
    recipient: Recipient,
    *,
    subject: str,
    body: str,
    sms_text: str | None = None,
    context: dict | None = None,
    channels: Sequence[str] = ("sms", "email"),
    about=None,
    kind: str = "",
    link: str = "",
) -> None:
    """Tell `recipient` something once the current transaction commits.

    `subject`, `body` and `sms_text` (a shorter body for SMS; `body` when omitted) may be
    template strings rendered with `context` (e.g. "编号 {{ number }}"); they are rendered
    here, in the caller's language. Each channel with an address for the recipient gets
    one delivery; `about` (a saved model instance) is what the audit record points at, and
    `kind` names the notice (e.g. "inquiry.answered") for the record and for filtering.

    A staff member (`Recipient.of_staff`) also finds the notice in their notice centre, with
    `link` (a page of the app) to open, whatever the channels reached."""
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown:
        raise ValueError(f"unknown notification channels: {unknown}")
    rendered_subject = _render(subject, context).strip()
    rendered_body = _render(body, context).strip()
    rendered_sms = _render(sms_text, context).strip() if sms_text is not None else rendered_body
    # Contacts travel encrypted: a worker backend stores task arguments in its queue.
    addresses = {c: crypto.encrypt(a) for c in channels if (a := recipient.address_for(c))}
    about_ref = f"{about._meta.label_lower}:{about.pk}" if about is not None else ""
    # The audit record keeps what was said, not the keys it handed out: query codes (of the
    # object the notice is about, or passed in the context) and mobile numbers are masked.
    codes = _query_codes(about, context)
    recorded_body = redact_for_record(rendered_body, codes)
    if recipient.staff_id is not None:
        post_notice(
            recipient.staff_id,
            subject=rendered_subject,
            text=recorded_body,
            kind=kind,
            about=about_ref,
            link=link,
        )

    def enqueue():
        deliver_notice.enqueue(
            addresses=addresses,
            subject=rendered_subject,
            body=rendered_body,
            sms_text=rendered_sms,
            about=about_ref,
            kind=kind,
            recorded_body=recorded_body,
            recorded_sms=redact_for_record(rendered_sms, codes),
        )

    transaction.on_commit(enqueue)


def _query_codes(about, context: dict | None) -> set[str]:
    codes = set()
    for key in ("code", "query_code"):
        value = (context or {}).get(key)
        if isinstance(value, str) and value:
            codes.add(value)
    for obj in (about, *(context or {}).values()):
        value = getattr(obj, "query_code", None)
        if isinstance(value, str) and value:
            codes.add(value)
    return codes


def deliveries_about(obj):
    """The audit records of every notice about `obj`, newest first."""
    return AuditEvent.objects.filter(
        action__in=AUDIT_ACTIONS, target_type=obj._meta.label_lower, target_id=str(obj.pk)
    )
