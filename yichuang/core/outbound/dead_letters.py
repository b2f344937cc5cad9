"""The dead-letter list's one action: 重新发送. A message whose attempts were spent stays
dead (no sweep sends it) until the hall office sends it again — then it is pending, due now,
with its attempts back to zero, and the audit record keeps who did it and the error it had."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..errors import Conflict, NotAllowed
from . import delivery
from .models import MessageStatus, OutboundMessage
from .tasks import deliver_outbound_message


def resend(message: OutboundMessage, *, by) -> OutboundMessage:
    """重新发送: a dead message becomes pending and due now, with its attempts back to zero;
    the audit record keeps who did it and the error it had."""
    if not delivery.can_manage_outbound(by):
        raise NotAllowed(_("只有大厅管理办公室可以重新发送外发记录"))
    now = timezone.now()
    with transaction.atomic():
        locked = OutboundMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status != MessageStatus.DEAD:
            raise Conflict(_("只有发送失败的记录可以重新发送"), code="not_dead")
        audit.record(
            "outbound.resent",
            actor=by,
            target=locked,
            summary=_("重新发送外发记录：%(key)s") % {"key": locked.record_key},
            data={
                "destination": f"{locked.destination_kind}:{locked.destination}",
                "attempts": locked.attempts,
                "error": locked.last_error,
            },
        )
        locked.status, locked.attempts, locked.claim = MessageStatus.PENDING, 0, ""
        locked.next_attempt_at = locked.updated_at = now
        locked.save()
        pk = locked.pk
        transaction.on_commit(lambda: _send_now(pk))
    message.refresh_from_db()
    return message


def _send_now(pk: int) -> None:
    deliver_outbound_message.enqueue(pk)
