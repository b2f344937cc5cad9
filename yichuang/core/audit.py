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
    actor = actor if (actor is not None and getattr(actor, "pk", None)) else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=_name_of(actor),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        data=data or {},
        outcome=outcome,
    )


def _name_of(actor) -> str:
    if actor is None:
        return ""
    full = getattr(actor, "full_name", "") or ""
    username = actor.get_username()
    return (f"{full} ({username})" if full and full != username else username)[:150]
