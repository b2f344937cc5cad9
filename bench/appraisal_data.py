"""A hall's two years for the appraisal bench: N cases with their events, ratings (given,
default, voided), follow-ups of bad ratings, complaints, inquiries and visit samples.

Test data for a benchmark, written straight into the tables (COPY on PostgreSQL, executemany
on SQLite) with explicit ids: the app itself only ever changes state through its services.
Rows come out in time order, as a live hall writes them, so the tables' physical order
matches their timestamps the way it does in production.

    DATABASE_URL=... python -c "import django; django.setup();
        from bench.appraisal_data import generate; generate(1_000_000)"
"""

import random
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from django.db import connection, transaction
from django.utils import timezone

from yichuang.cases.models import Case, CaseEvent
from yichuang.catalog.models import Service
from yichuang.core.crypto import keyed_hash
from yichuang.feedback.models import Complaint, FollowUp, Rating, Visit, VisitSample, VisitScript
from yichuang.inquiries.models import Inquiry
from yichuang.org.models import Post, Staff
from yichuang.workdays.clock import clock as case_clock
from yichuang.workdays.queries import hall_calendar

from .appraisal_tables import Loader, Table

LEVELS = [5] * 60 + [4] * 25 + [3] * 10 + [2] * 3 + [1] * 2
HOUR = timedelta(hours=1)


def generate(n: int, *, days: int = 730, seed: int = 7) -> dict:
    started = clock.time()
    rng = random.Random(seed)
    cal = hall_calendar()
    today = timezone.localdate()
    now = timezone.now()
    offset = timezone.localtime().utcoffset() or timedelta(0)  # aware: never None

    @cache
    def add(day: date, k: int) -> date:
        return cal.add_working_days(day, k)

    @cache
    def deadline_of(start: date, running: int, stopped: int):
        c = case_clock(cal, start, running, stopped)
        return c.deadline, c.yellow_on

    def at(day: date, minutes: int) -> datetime:
        """Local wall time on `day`, `minutes` after 08:30, as an aware UTC datetime."""
        local = datetime.combine(day, time(8, 30)) + timedelta(minutes=minutes)
        return (local - offset).replace(tzinfo=UTC)

    services = list(Service.objects.filter(is_active=True).select_related("post"))
    backups = {p.pk: [b.staff_id for b in p.backup_links.all()] for p in Post.objects.all()}
    heads = dict(
        Staff.objects.filter(role_grants__role="department_head").values_list("department_id", "pk")
    )
    checker = Staff.objects.filter(role_grants__role="reviewer").values_list("pk", flat=True)[0]
    enc = Case._meta.get_field("applicant_id_number").get_prep_value
    secret_id, secret_phone = enc("430104199801011234"), enc("13800000000")
    id_hash = keyed_hash("430104199801011234")
    codes = [f"Q{rng.randrange(16**7):07X}" for _ in range(997)]

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
    ratings = Table(Rating, loader)
    events = Table(CaseEvent, loader, data="{}")
    follow_ups = Table(FollowUp, loader)
    complaints = Table(
        Complaint,
        loader,
        kind="complaint",
        channel="phone",
        name="投诉人",
        subject="办理慢",
        content="窗口办理时间长",
    )
    inquiries = Table(
        Inquiry,
        loader,
        channel="walk_in",
        asker_name="咨询人",
        matter="咨询事项",
        time_limit="immediate",
        days_unit="natural",
    )

    first_day = today - timedelta(days=days)
    sampled: dict[tuple[str, int], list[int]] = {}
    case_id = loader.next_id(Case)
    for k in range(n):
        loader.flush_if_full()
        case_id += 1
        day = first_day + timedelta(days=k * days // n)
        received = at(day, rng.randrange(540))
        s = rng.choice(services)
        dept, post, holder = s.department_id, s.post_id, s.post.holder_id
        row = {
            "id": case_id,
            "number": f"Z{case_id:011d}",
            "query_code": codes[k % 997],
            "service_id": s.pk,
            "department_id": dept,
            "post_id": post,
            "assignee_id": holder,
            "intake_by_id": holder,
            "received_at": received,
        }
        events.add(case_id=case_id, at=received, action="create", status="submitted", by_id=holder)
        roll = rng.random()
        if roll < 0.015:  # 不予受理 or 退件
            status = "rejected" if roll < 0.01 else "returned"
            row.update(status=status, completed_at=received + HOUR)
            events.add(
                case_id=case_id,
                at=received + HOUR,
                action=status[:-2],
                status=status,
                from_status="submitted",
                by_id=holder,
            )
            cases.add(**row)
            continue
        accepted, start, committed = received, day, s.committed_days
        if s.kind == "committed" and rng.random() < 0.08:  # 补件 first
            start = add(day, rng.choice((1, 2, 3)))
            accepted = at(start, 60)
            events.add(
                case_id=case_id,
                at=received + HOUR / 3,
                action="request_supplement",
                status="supplement",
                from_status="submitted",
                by_id=holder,
            )
        stopped = rng.randint(1, 5) if s.kind == "committed" and rng.random() < 0.03 else 0
        deadline, yellow = deadline_of(start, committed, stopped)
        row.update(
            accepted_at=accepted,
            clock_start=start,
            deadline=deadline,
            yellow_on=yellow,
            committed_days=committed,
            suspended_days=stopped,
            status="accepted",
        )
        events.add(
            case_id=case_id,
            at=accepted,
            action="accept",
            status="accepted",
            from_status="submitted",
            by_id=holder,
        )
        if s.kind == "immediate":
            done = received + HOUR / 6
        else:
            late = rng.random() < 0.07
            used = committed + rng.randint(1, 5) if late else rng.randint(committed // 3, committed)
            done = at(add(start, used + stopped), rng.randrange(480))
            if late and done.date() > today - timedelta(days=60) and rng.random() < 0.1:
                done = None  # still running, red
        if done is None or done >= now:
            cases.add(**row)
            continue
        row.update(
            status="completed",
            completed_at=done,
            outcome="approved",
            reviewed_by_id=holder,
            review_decision="approved",
            checked_by_id=checker,
        )
        cases.add(**row)
        backup = backups.get(post) or []
        if s.kind == "committed" and backup and rng.random() < 0.04:  # AB cover
            events.add(
                case_id=case_id,
                at=done - HOUR,
                action="review",
                status="checking",
                from_status="accepted",
                by_id=backup[0],
                covered_for_id=holder,
            )
        events.add(
            case_id=case_id,
            at=done,
            action="check",
            status="completed",
            from_status="checking",
            by_id=checker,
        )
        local_month = (done + offset).strftime("%Y-%m")
        if rng.random() < 0.05:
            sampled.setdefault((local_month, dept), []).append(case_id)
        _rate(rng, ratings, follow_ups, loader, now, done, accepted, case_id, row, heads, add)
        if rng.random() < 0.002:
            _complain(rng, complaints, loader, done, row, add)
        if k % 10 == 0:
            _inquire(rng, inquiries, loader, received, row, now, add)
    loader.flush_all()
    _visits(loader, sampled)
    loader.finish()
    return {
        "cases": n,
        "seconds": round(clock.time() - started, 1),
        **{
            t.model._meta.label: t.count
            for t in (cases, events, ratings, follow_ups, complaints, inquiries)
        },
    }


def _rate(rng, ratings, follow_ups, loader, now, done, accepted, case_id, row, heads, add):
    """55% given (some at the counter before completion), 30% default after 7 days."""
    roll = rng.random()
    common = {
        "case_id": case_id,
        "staff_id": row["assignee_id"],
        "department_id": row["department_id"],
        "post_id": row["post_id"],
    }
    if roll < 0.55:
        created = (
            accepted + HOUR / 12 if roll < 0.06 else done + timedelta(minutes=rng.randrange(4320))
        )
        if created >= now:
            return
        level = rng.choice(LEVELS)
        voided = created + timedelta(days=2) if rng.random() < 0.005 else None
        rating_id = loader.next_id(Rating, advance=True)
        ratings.add(
            id=rating_id,
            level=level,
            channel="sms",
            created_at=created,
            voided_at=voided if voided and voided < now else None,
            **common,
        )
        if level <= 2:
            opened = created.date()
            closed = created + timedelta(days=10)
            status = (
                "cancelled"
                if voided
                else "closed"
                if closed < now and rng.random() < 0.9
                else "rectifying"
            )
            follow_ups.add(
                rating_id=rating_id,
                case_id=case_id,
                department_id=row["department_id"],
                owner_id=heads.get(row["department_id"]),
                status=status,
                opened_at=created,
                verify_due=add(opened, 1),
                rectify_due=add(opened, 15),
                due=add(opened, 15),
                yellow_on=add(opened, 14),
                closed_at=closed if status == "closed" else None,
            )
    elif roll < 0.85:
        created = done + timedelta(days=7)
        if created < now:
            ratings.add(
                id=loader.next_id(Rating, advance=True),
                level=3,
                channel="default",
                is_default=True,
                created_at=created,
                **common,
            )


def _complain(rng, complaints, loader, done, row, add):
    received = done + timedelta(days=2)
    number = loader.next_id(Complaint, advance=True)
    complaints.add(
        id=number,
        number=f"TS{number:09d}",
        query_code="BENCH001",
        case_id=row["id"],
        department_id=row["department_id"],
        staff_id=row["assignee_id"],
        received_at=received,
        status="closed",
        due=add(received.date(), 15),
        yellow_on=add(received.date(), 10),
        outcome=rng.choice(("upheld", "partly_upheld", "not_upheld", "not_upheld")),
        verified_at=received + HOUR * 30,
        replied_at=received + HOUR * 50,
        closed_at=received + HOUR * 60,
    )


def _inquire(rng, inquiries, loader, received, row, now, add):
    number = loader.next_id(Inquiry, advance=True)
    day = received.date()
    late = rng.random() < 0.1
    finished = received + (timedelta(days=rng.randint(1, 3)) if late else HOUR / 4)
    done = finished < now
    inquiries.add(
        id=number,
        number=f"ZX{number:09d}",
        query_code="BENCH001",
        first_owner_id=row["assignee_id"],
        owner_id=row["assignee_id"],
        first_department_id=row["department_id"],
        department_id=row["department_id"],
        post_id=row["post_id"],
        received_at=received,
        due=add(day, 0),
        yellow_on=add(day, 0),
        status="answered" if done else "open",
        answer="已答复" if done else "",
        answered_at=finished if done else None,
        answered_by_id=row["assignee_id"] if done else None,
        outcome="answered" if done else "",
        finished_at=finished if done else None,
    )


def _visits(loader, sampled) -> None:
    script = VisitScript.objects.first() or VisitScript.objects.create(name="回访", opening="您好")
    with transaction.atomic():
        for (period, dept), case_ids in sorted(sampled.items()):
            sample = VisitSample.objects.create(
                period=period,
                department_id=dept,
                seed="bench",
                share_percent=5,
                population=len(case_ids) * 20,
            )
            Visit.objects.bulk_create(
                [
                    Visit(
                        sample=sample,
                        case_id=pk,
                        department_id=dept,
                        script=script,
                        status="done" if i % 5 else "pending",
                    )
                    for i, pk in enumerate(case_ids)
                ],
                batch_size=2000,
            )
