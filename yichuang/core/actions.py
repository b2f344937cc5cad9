"""How a record's page offers the steps it may take (core.flows.allowed_actions): the one next
step first, as the primary button; the others after it; the steps that end the matter against
the person (不予受理, 退件, closing an inquiry) last, as danger, each asking before it acts.

A page that shows every step as the same blue button leaves the clerk to find the usual one
and puts an irreversible refusal a slip away from it. Each app says, in its flows.py, which
step is next in each status (in order of preference: the first one offered wins) and which
steps are dangerous, with the question to confirm them; the page passes the preference of
the record's status as `prefer`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PRIMARY, SECONDARY, DANGER = "primary", "secondary", "danger"


@dataclass(frozen=True)
class Offer:
    action: str
    label: Any  # lazy strings translate when shown
    style: str  # PRIMARY, SECONDARY or DANGER: the button's class
    confirm: Any = ""  # the question asked before a dangerous step (data-confirm)

    @property
    def is_primary(self) -> bool:
        return self.style == PRIMARY

    @property
    def is_danger(self) -> bool:
        return self.style == DANGER


def arrange(
    actions: Iterable[str],
    *,
    labels: Mapping[str, Any],
    prefer: Sequence[str] = (),
    dangerous: Mapping[str, Any] | None = None,
) -> list[Offer]:
    """The offered `actions` (in the flow's order) as the page shows them: the first of
    `prefer` that is offered as the primary step, then the others, the dangerous ones last.
    A dangerous step is never the primary one; with none of `prefer` offered, none is."""
    dangerous = dangerous or {}
    actions = list(actions)
    primary = next((a for a in prefer if a in actions and a not in dangerous), None)
    ordered = sorted(actions, key=lambda a: (a != primary, a in dangerous))  # stable
    return [
        Offer(
            action=a,
            label=labels.get(a, a),
            style=PRIMARY if a == primary else DANGER if a in dangerous else SECONDARY,
            confirm=dangerous.get(a, ""),
        )
        for a in ordered
    ]
