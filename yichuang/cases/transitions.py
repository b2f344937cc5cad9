"""The one transition table: which action may run from which status, and where it leads.
`None` as target means the status stays as it is."""

from .models import Status

S = Status

TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "accept": ((S.SUBMITTED,), S.ACCEPTED),
    "request_supplement": ((S.SUBMITTED,), S.SUPPLEMENT),
    "supplement": ((S.SUPPLEMENT,), S.SUBMITTED),
    "reject": ((S.SUBMITTED, S.SUPPLEMENT), S.REJECTED),
    "return": ((S.SUBMITTED, S.SUPPLEMENT, S.ACCEPTED, S.SUSPENDED), S.RETURNED),
    "complete": ((S.SUBMITTED,), S.COMPLETED),
    "review": ((S.ACCEPTED,), S.CHECKING),
    "check": ((S.CHECKING,), None),  # completed when the checker agrees, accepted when not
    "suspend": ((S.ACCEPTED,), S.SUSPENDED),
    "resume": ((S.SUSPENDED,), S.ACCEPTED),
    "extend": ((S.ACCEPTED, S.SUSPENDED, S.CHECKING), None),
    "transfer": ((S.SUBMITTED, S.SUPPLEMENT, S.ACCEPTED, S.SUSPENDED), None),
    # 联办: a part's steps leave the case's status as it is (cases/parts.py).
    "complete_part": ((S.ACCEPTED, S.SUSPENDED, S.CHECKING), None),
    "refuse_part": ((S.ACCEPTED, S.SUSPENDED, S.CHECKING), None),
    "drop_part": ((S.ACCEPTED, S.SUSPENDED, S.CHECKING), None),
}
