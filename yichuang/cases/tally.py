"""The case tally: how many cases each department leads in each status (models.CaseTally).

A list's total ("共 N 件", the API's `count`) would otherwise count every case the viewer may
see, and that is the hall's whole history: at a million cases the count, not the page, was
most of the cost of the staff list and of `GET /api/v1/cases` (bench/lists_bench.py). The
tally answers the total of an unfiltered or status-filtered list in a handful of rows.

It is kept where the rows change, in the same transaction: `created` by intake.create_case,
`moved` by the case flow after each step's save (flows.CASE_FLOW.after_save) when the status
or the lead department changed. One statement each, an upsert of the rows concerned in a
fixed order (two steps moving cases in opposite directions lock the rows in the same order,
so they never deadlock). `rebuild()` counts it again from the cases: after a bulk load, or
if ever a case were written around the flow.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Sum

from yichuang.core import audit

from .models import Case, CaseTally

Key = tuple[int, str]  # (department id, status)


def _add(deltas: dict[Key, int]) -> None:
    rows = sorted((k, d) for k, d in deltas.items() if d)
    if not rows:
        return
    table = connection.ops.quote_name(CaseTally._meta.db_table)
    marks = ", ".join(["(%s, %s, %s)"] * len(rows))
    params = [v for (dept, status), delta in rows for v in (dept, status, delta)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (department_id, status, count) VALUES {marks} "
            f"ON CONFLICT (department_id, status) DO UPDATE SET count = {table}.count + "
            "excluded.count",
            params,
        )


def created(case: Case) -> None:
    _add({(case.department_id, case.status): 1})


def moved(before: Key, after: Key) -> None:
    if before != after:
        _add({before: -1, after: 1})


def after_step(case: Case, before: dict) -> None:
    """The flow's hook: `before` holds the case's column values as locked for the step."""
    moved((before["department_id"], before["status"]), (case.department_id, case.status))


def total(department_ids: Iterable[int] | None, statuses: Iterable[str] | None = None) -> int:
    """How many cases the departments lead (None: every department) in these statuses (None:
    any status)."""
    rows = CaseTally.objects.all()
    if department_ids is not None:
        rows = rows.filter(department_id__in=list(department_ids))
    if statuses is not None:
        rows = rows.filter(status__in=list(statuses))
    return rows.aggregate(n=Sum("count"))["n"] or 0


def visible_total(department_ids: set[int] | None, statuses: Iterable[str] | None = None) -> int:
    """The number of cases `Case.objects.visible_to` gives for these department ids (the
    scoping's answer: None for every department), in these statuses: the cases the
    departments lead, from the tally, and the joint cases they co-handle but do not lead,
    counted (few, and found by the parts' department index)."""
    statuses = list(statuses) if statuses is not None else None
    n = total(department_ids, statuses)
    if department_ids:
        joint = (
            Case.objects.filter(parts__department_id__in=department_ids)
            .exclude(department_id__in=department_ids)
            .values("pk")
            .distinct()
        )
        if statuses is not None:
            joint = joint.filter(status__in=statuses)
        n += joint.count()
    return n


@transaction.atomic
def rebuild(*, by=None) -> dict[str, int]:
    """Count the tally again from the cases (the rows locked against concurrent steps on
    PostgreSQL while it is rewritten) and record it (audit `cases.tally_recounted`).

    Returns {"cases": the cases counted, "corrected": the (department, status) counts that
    were wrong — a count off, a missing one, or one left for cases no longer there}: 0 when
    nothing had drifted. `by` is the staff member who asked, None for a command."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(CaseTally._meta.db_table)} "
                "IN EXCLUSIVE MODE"
            )
    was = {(t.department_id, t.status): t.count for t in CaseTally.objects.all() if t.count}
    now = {
        (row["department_id"], row["status"]): row["n"]
        for row in Case.objects.order_by().values("department_id", "status").annotate(n=Count("id"))
    }
    CaseTally.objects.all().delete()
    CaseTally.objects.bulk_create(
        CaseTally(department_id=dept, status=status, count=n)
        for (dept, status), n in sorted(now.items())
    )
    result = {
        "cases": sum(now.values()),
        "corrected": sum(1 for key in was.keys() | now.keys() if was.get(key) != now.get(key)),
    }
    audit.record(
        "cases.tally_recounted",
        actor=by,
        summary=f"{result['cases']} cases, {result['corrected']} counts corrected",
        data=result,
    )
    return result
