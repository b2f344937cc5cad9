"""Paging a long list newest first by keyset: `?after=<cursor>` / `?before=<cursor>`.

A list of everything that ever happened (the case ledger) paged by COUNT + OFFSET reads the
whole history for its page count and every row before its page: at a million cases the count
alone cost more than the page (bench/lists_bench.py). A keyset page reads its own rows only:
the rows after the last one shown, in the order of an index ((…, time, id)), whatever the
depth. The cursor names that row by its time and id, so a row written meanwhile neither
repeats nor hides one.

A cursor is `<microseconds since the epoch>.<id>`, nothing secret: it is only a position. One
that does not parse is ignored (the first page), never an error page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR = re.compile(r"^(\d{1,17})\.(\d{1,19})$")


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Any]
    next: str = ""  # cursor of the next (older) page, "" on the last one
    previous: str = ""  # cursor of the previous (newer) page, "" on the first one


def cursor_of(moment: datetime, pk: int) -> str:
    delta = moment - EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}.{pk}"


def parse_cursor(text: str | None) -> tuple[datetime, int] | None:
    match = CURSOR.match(text or "")
    if not match:
        return None
    try:
        moment = EPOCH + timedelta(microseconds=int(match.group(1)))
    except OverflowError:
        return None
    pk = int(match.group(2))
    return (moment, pk) if pk < 2**63 else None


def keyset_page(
    queryset, *, field: str, size: int, after: str | None = None, before: str | None = None
) -> KeysetPage:
    """One page of `queryset` ordered by (`field`, id) newest first: the `size` rows older than
    the cursor `after`, or newer than `before`, or the first ones."""
    older, newer = parse_cursor(after), parse_cursor(before)
    if newer and not older:
        moment, pk = newer
        # The lower bound alone is what an index range can use; the OR settles the ties.
        rows = list(
            queryset.filter(**{f"{field}__gte": moment})
            .filter(Q(**{f"{field}__gt": moment}) | Q(pk__gt=pk))
            .order_by(field, "pk")[: size + 1]
        )
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        if not more_newer:  # the first page after all: show it whole, as a first page is
            return keyset_page(queryset, field=field, size=size)
        return KeysetPage(
            rows=rows,
            next=_cursor(rows[-1], field),
            previous=_cursor(rows[0], field),
        )
    page = queryset.order_by(f"-{field}", "-pk")
    if older:
        moment, pk = older
        page = page.filter(**{f"{field}__lte": moment}).filter(
            Q(**{f"{field}__lt": moment}) | Q(pk__lt=pk)
        )
    rows = list(page[: size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows,
        next=_cursor(rows[-1], field) if has_next else "",
        # Past the end (rows deleted meanwhile, or a made-up cursor): back is the cursor itself.
        previous=(_cursor(rows[0], field) if rows else after or "") if older else "",
    )


def _cursor(row, field: str) -> str:
    return cursor_of(getattr(row, field), row.pk)
