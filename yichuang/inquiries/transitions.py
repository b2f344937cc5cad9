"""The one transition table of inquiries: which action may run from which status, and where
it leads. `None` as target means the status stays as it is."""

from .models import Status

S = Status
OPEN_ = (S.OPEN, S.ROUTED)

TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "transfer": ((S.OPEN,), S.ROUTED),
    "acknowledge": ((S.ROUTED,), S.OPEN),
    "decline": ((S.ROUTED,), S.OPEN),
    "withdraw": ((S.ROUTED,), S.OPEN),
    "answer": (OPEN_, S.ANSWERED),
    "refer": (OPEN_, S.REFERRED),
    "close": (OPEN_, S.CLOSED),
    "set_limit": (OPEN_, None),
    "rate": ((S.ANSWERED, S.REFERRED), None),
}


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]
