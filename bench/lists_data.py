"""A hall's history for the list bench: N cases over two years, of which a fixed, realistic
number are running (RUNNING_PER_DEPARTMENT per department, whatever N), so that a bigger N
means more history and the same work in hand — the question bench/lists_bench.py asks.

Test data for a benchmark, written straight into the tables (COPY on PostgreSQL, executemany
on SQLite, bench/appraisal_tables.py) with explicit ids: the app itself only ever changes
state through its services. Rows come out in time order, as a live hall writes them. The
running cases get their events and materials (the inbox and the case pages read them); the
finished ones only their row, which is all the lists read of them. Afterwards the case
tally is counted again from the rows (cases.tally.rebuild), as the flow would have kept it.

    DATABASE_URL=... python -c "import django; django.setup();
        from bench.lists_data import generate; print(generate(1_000_000))"
"""

import random
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from django.db import connection
from django.utils import timezone

from yichuang.cases.models import Case, CaseEvent, CaseMaterial
from yichuang.catalog.models import Service
from yichuang.core.crypto import keyed_hash
from yichuang.org.models import Staff
from yichuang.workdays.clock import clock as case_clock
from yichuang.workdays.queries import hall_calendar

from .appraisal_tables import Loader, Table

RUNNING_PER_DEPARTMENT = 300
RUNNING_DAYS = 40  # running cases were received in the last RUNNING_DAYS days
# Of the running cases: waiting for intake, waiting for a supplement, in hand, suspended,
# awaiting the second check.
RUNNING_MIX = [("submitted", 15), ("supplement", 5), ("accepted", 60), ("suspended", 5)]
RUNNING_MIX += [("checking", 15)]
HOUR = timedelta(hours=1)


def generate(n: int, *, days: int = 730, seed: int = 7) -> dict:
    started = clock.time()
    rng = random.Random(seed)
    cal = hall_calendar()
    today = timezone.localdate()
    offset = timezone.localtime().utcoffset() or timedelta(0)

    @cache
    def deadline_of(start: date, running: int, stopped: int):
        c = case_clock(cal, start, running, stopped)
        return c.deadline, c.yellow_on

    def at(day: date, minutes: int) -> datetime:
        local = datetime.combine(day, time(8, 30)) + timedelta(minutes=minutes)
        return (local - offset).replace(tzinfo=UTC)

    services = list(
        Service.objects.filter(is_active=True).select_related("post").prefetch_related("materials")
    )
    materials = {s.pk: list(s.materials.all()) for s in services}
    checker = Staff.objects.filter(role_grants__role="reviewer").values_list("pk", flat=True)[0]
    enc = Case._meta.get_field("applicant_id_number").get_prep_value
    secret_id, secret_phone = enc("430104199801011234"), enc("13800000000")
    id_hash = keyed_hash("430104199801011234")
    codes = [f"Q{rng.randrange(16**7):07X}" for _ in range(997)]

    departments = len({s.department_id for s in services})
    running_total = min(n // 2, RUNNING_PER_DEPARTMENT * departments)
    # When each case was received: the history spread over `days`, the running ones over the
    # last RUNNING_DAYS; one time line, so ids grow with time as in a live hall.
    first_day = today - timedelta(days=days)
    timeline = [
        (first_day + timedelta(days=k * (days - RUNNING_DAYS) // (n - running_total)), False)
        for k in range(n - running_total)
    ]
    timeline += [
        (today - timedelta(days=rng.randrange(RUNNING_DAYS)), True) for _ in range(running_total)
    ]
    timeline.sort(key=lambda t: t[0])
    statuses = [s for s, weight in RUNNING_MIX for _ in range(weight)]

    loader = Loader(connection)
    cases = Table(
        Case,
        loader,
        applicant_name="测试申请人",
        applicant_id_number=secret_id,
        applicant_id_hash=id_hash,
        applicant_phone=secret_phone,
        channel="window",
    )
    events = Table(CaseEvent, loader, data="{}")
    case_materials = Table(CaseMaterial, loader)
    case_id = loader.next_id(Case)
    sample = []
    for day, running in timeline:
        loader.flush_if_full()
        case_id += 1
        received = at(day, rng.randrange(540))
        s = rng.choice(services)
        holder = s.post.holder_id
        row = {
            "id": case_id,
            "number": f"L{case_id:011d}",
            "query_code": codes[case_id % 997],
            "service_id": s.pk,
            "department_id": s.department_id,
            "post_id": s.post_id,
            "intake_by_id": holder,
            "received_at": received,
            "committed_days": s.committed_days,
            "channel": "online" if rng.random() < 0.2 else "window",
        }
        if not running:
            done = received + (
                HOUR / 6 if s.kind == "immediate" else timedelta(days=rng.randint(1, 20))
            )
            deadline, yellow = deadline_of(day, s.committed_days, 0)
            roll = rng.random()
            status = "rejected" if roll < 0.01 else "returned" if roll < 0.015 else "completed"
            row.update(
                status=status,
                assignee_id=holder,
                accepted_at=received if status == "completed" else None,
                clock_start=day if status == "completed" else None,
                deadline=deadline if status == "completed" else None,
                yellow_on=yellow if status == "completed" else None,
                completed_at=done,
                outcome="approved" if status == "completed" else "",
                reviewed_by_id=holder if status == "completed" else None,
                checked_by_id=checker if status == "completed" else None,
            )
            cases.add(**row)
            continue
        status = rng.choice(statuses)
        if s.kind == "immediate" and status != "submitted":
            status = "submitted"
        events.add(case_id=case_id, at=received, action="create", status="submitted", by_id=holder)
        for pos, m in enumerate(materials[s.pk]):
            case_materials.add(
                case_id=case_id,
                material_id=m.pk,
                name=m.name,
                required=m.required,
                provided=status != "supplement",
                position=pos,
            )
        if status in ("submitted", "supplement"):
            row.update(status=status)
            if status == "supplement":
                events.add(
                    case_id=case_id,
                    at=received + HOUR,
                    action="request_supplement",
                    status="supplement",
                    from_status="submitted",
                    by_id=holder,
                )
            cases.add(**row)
            if rng.random() < 0.05:
                sample.append(row["number"])
            continue
        stopped = rng.randint(1, 5) if status == "suspended" else 0
        deadline, yellow = deadline_of(day, s.committed_days, stopped)
        row.update(
            status=status,
            assignee_id=holder,
            accepted_at=received,
            clock_start=day,
            deadline=deadline,
            yellow_on=yellow,
            suspended_on=today - timedelta(days=stopped) if status == "suspended" else None,
            suspended_days=0,
            reviewed_by_id=holder if status == "checking" else None,
            review_decision="approved" if status == "checking" else "",
        )
        events.add(
            case_id=case_id,
            at=received,
            action="accept",
            status="accepted",
            from_status="submitted",
            by_id=holder,
        )
        if status in ("suspended", "checking"):
            events.add(
                case_id=case_id,
                at=received + HOUR,
                action="suspend" if status == "suspended" else "review",
                status=status,
                from_status="accepted",
                by_id=holder,
            )
        cases.add(**row)
    loader.flush_all()
    loader.finish()
    try:
        from yichuang.cases.tally import rebuild
    except ImportError:  # a checkout from before the tally
        pass
    else:
        rebuild()
    return {
        "cases": n,
        "running": running_total,
        "events": events.count,
        "seconds": round(clock.time() - started, 1),
        "sample": sample[:50],
    }
