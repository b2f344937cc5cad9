"""待我处理: one inbox per person, gathered from every app without core knowing any of them.

Core sits below the apps and cannot import them, so the dependency is inverted (as with
`workdays.clocks` and `cases.intake_sources`): each app registers its sources in its
AppConfig.ready(), from its own `inbox.py`. A source is a function of the person asking
(a `Viewer`) to the queryset of the items waiting for them — the app's scoped query, built
with its own permissions and indexes — or None when that kind of work is never theirs (no
query at all), and a function turning one item into a `Row` for the page.

The count and the rows come from the same queryset, so the header's number is the number of
rows the page lists. Counting every source costs one statement whatever their number: each
queryset's SQL becomes a scalar subquery of one SELECT (`count_all`). The rows of a source
are its queryset, ordered by the app and cut at the page's limit, in one query each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.utils import timezone

ROWS_PER_SECTION = 25


@dataclass
class Viewer:
    """The person whose inbox is read, at one moment. `once` keeps what several sources need
    (the hall's calendar, say) to one computation per inbox."""

    user: Any
    now: datetime = field(default_factory=timezone.now)
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


@dataclass(frozen=True)
class Row:
    """One item waiting for the viewer, as the inbox lists it. `url` opens the item where its
    next step is taken; `action` names that step."""

    url: str
    title: str
    action: str
    reference: str = ""
    detail: str = ""
    light: str | None = None
    due: str = ""


@dataclass(frozen=True)
class Source:
    """One kind of waiting work. `items(viewer)` is the queryset of the items (None: not this
    person's kind of work), `row(item, viewer)` one item as a row, `more` the full list's
    address (or a function of the viewer giving it), `order` the section's place."""

    name: str
    title: Any
    items: Callable[[Viewer], Any]
    row: Callable[[Any, Viewer], Row]
    order: int = 100
    more: str | Callable[[Viewer], str] = ""

    def more_url(self, viewer: Viewer) -> str:
        return self.more(viewer) if callable(self.more) else self.more


@dataclass(frozen=True)
class Section:
    source: Source
    count: int
    rows: list[Row]
    more: str = ""

    @property
    def title(self):
        return self.source.title

    @property
    def is_cut(self) -> bool:
        return self.count > len(self.rows)


_sources: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Add a source (once per name: ready() may run twice)."""
    _sources[source.name] = source
    return source


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.name))


def _is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _querysets(viewer: Viewer) -> dict[str, Any]:
    if not _is_staff(viewer.user):
        return {}
    found = {}
    for source in sources():
        qs = source.items(viewer)
        if qs is not None:
            found[source.name] = qs
    return found


def count_all(querysets: dict[str, Any]) -> dict[str, int]:
    """The number of items of each queryset, in one statement: SELECT (SELECT COUNT(*) FROM
    (<first>)), (SELECT COUNT(*) FROM (<second>)), … Each queryset keeps its filters and
    drops its ordering, select_related and unused annotations (`values("pk")`)."""
    parts: list[str] = []
    params: list[Any] = []
    counts: dict[str, int] = {}
    names: list[str] = []
    db = "default"
    for name, qs in querysets.items():
        inner = qs.order_by().values("pk")
        db = inner.db
        try:
            sql, inner_params = inner.query.get_compiler(using=inner.db).as_sql()
        except EmptyResultSet:  # .none(), or a filter on an empty list
            counts[name] = 0
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) inbox_{len(parts)})")
        params.extend(inner_params)
        names.append(name)
    if parts:
        with connections[db].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counts.update(zip(names, cursor.fetchone(), strict=True))
    return counts


def count(user, *, now: datetime | None = None) -> int:
    """How many items wait for `user`: the header's badge."""
    viewer = Viewer(user, now or timezone.now())
    return sum(count_all(_querysets(viewer)).values())


def sections(user, *, now: datetime | None = None, limit: int = ROWS_PER_SECTION) -> list[Section]:
    """Every source with work for `user`: its count and its first `limit` rows (sources with
    nothing waiting are left out). One query for the counts, one per source with items."""
    viewer = Viewer(user, now or timezone.now())
    querysets = _querysets(viewer)
    counts = count_all(querysets)
    out = []
    for source in sources():
        n = counts.get(source.name, 0)
        if not n:
            continue
        items = list(querysets[source.name][:limit])
        out.append(
            Section(
                source=source,
                count=n,
                rows=[source.row(item, viewer) for item in items],
                more=source.more_url(viewer),
            )
        )
    return out
