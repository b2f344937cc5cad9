"""One way to write the audit record; services call it inside their transaction."""

from .models import AuditEvent


def record(
    action: str,
    *,
    actor=None,
    target=None,
    summary: str = "",
    data: dict | None = None,
    outcome: str = "ok",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if (actor is not None and getattr(actor, "pk", None)) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        data=data or {},
        outcome=outcome,
    )
