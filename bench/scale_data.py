"""Millions of cases for bench/scale_bench.py, made by PostgreSQL itself (INSERT … SELECT over
generate_series, no row passes through Python or the ORM): 10 million cases with their
events and ratings took 44 min on two cores shared with a load of 7-10 (1M: 2.2 min).

    DATABASE_URL=postgres://…/yc_bench_10m python -c "import django; django.setup();
        from bench.scale_data import generate; print(generate(10_000_000))"

The database must be migrated and seeded (`seed_demo --no-history`) and hold no case yet.
What the rows look like (test data, written around the services on purpose):
- N cases over YEARS years ending yesterday, on working days (Monday-Friday), 08:30-17:30
  local time, spread evenly over the demo hall's active services (so over its departments,
  posts and holders), the same number of cases each day: a bigger N is a busier hall;
- about RUNNING cases still running (drawn among the last 60 days' cases; some past their
  deadline, some yellow), whatever N is: the work in hand does not grow with the history;
- of the others 1% rejected (不予受理), 0.5% returned (退件), the rest completed: immediate
  services on the spot, committed ones within their committed days (deadline in calendar
  days ×7/5, 7% late by 1-5 days), 8% of committed cases after a supplement (补件);
- events: create, accept (or reject/return), request_supplement where asked, a review by the
  post's backup for 4% of committed cases (AB岗), check at completion — 3.2 per case;
- ratings: 55% given (levels 60% 5, 25% 4, 10% 3, 3% 2, 2% 1; 0.5% voided), 30% default
  (level 3, seven days after completion), 15% none; follow-ups of the bad ratings given.
The secondary indexes of the three big tables are dropped during the load and built again
after it (as `pg_indexes` defined them), then the tables are analyzed and the tallies
(cases.tally) counted again; scale_bench.py counts the figures' monthly summary after it
migrates the database to the checkout's schema.

`generate_inquiries()` and `generate_complaints()` then add, to a database holding the
cases (and none of the rows they write, numbered BZX…, BTS…, BJY…; the demo's own stay),
what a real hall has beside them — as many inquiries (咨询) as cases and a complaint for
0.2% of them:

    … from bench.scale_data import generate_inquiries, generate_complaints;
        print(generate_inquiries(), generate_complaints())

- inquiries: one per case, asked half an hour before it at its post (its holder the first
  owner and owner); 80% to be answered at once (due the day asked), 17% after
  investigation (due in 15 days), 3% complex (30 days); 95% answered or referred (3%)
  within the due date, 4% late by 1-5 days, 1% closed without an answer; about
  RUNNING_INQUIRIES still open, drawn among the last 60 days' (most past their due date);
- complaints: about 0.2% of the cases (nine in ten complaints, one a suggestion), received
  two days after the case, assigned to its department and handler; those older than 20
  days verified (30% upheld, 15% partly, the rest not), replied to and closed, the others
  still in hand. No events, ratings or hand-offs for either: the figures read none.
"""

import time as clock
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection
from django.utils import timezone

YEARS = 4
RUNNING = 1800
RUNNING_INQUIRIES = 100
BIG = ("cases_case", "cases_caseevent", "feedback_rating", "feedback_followup")


def generate(n: int, *, years: int = YEARS, running: int = RUNNING) -> dict:
    from yichuang.cases.models import Case
    from yichuang.core.crypto import keyed_hash

    started = clock.time()
    tz = timezone.get_current_timezone_name()
    last_day = timezone.localdate() - timedelta(days=1)
    first_day = last_day - timedelta(days=round(365.25 * years))
    enc = Case._meta.get_field("applicant_id_number").get_prep_value
    params = {
        "n": n,
        # The running cases: one in `step` of the cases received in the last 60 days.
        "recent": (recent := max(1, n * 60 // ((last_day - first_day).days + 1))),
        "step": max(1, recent // running),
        "first": first_day,
        "last": last_day,
        "span": (last_day - first_day).days + 1,
        "tz": tz,
        "id_number": enc("430104199801011234"),
        "phone": enc("13800000000"),
        "id_hash": keyed_hash("430104199801011234"),
        "phone_hash": keyed_hash("13800000000"),
    }
    steps: dict[str, float] = {}
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case")
        if cur.fetchone()[0]:
            raise RuntimeError("the database already holds cases")
        with _loading(cur, BIG, steps):

            def run(label: str, sql: str) -> None:
                _run(cur, steps, label, sql, params)

            run("services", SERVICES)
            run("cases", CASES)
            run("events", EVENTS)
            run("ratings", RATINGS)
            run("follow-ups", FOLLOW_UPS)
        cur.execute("SELECT count(*) FROM cases_caseevent")
        events = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM feedback_rating")
        ratings = cur.fetchone()[0]
    from yichuang.cases import tally

    tally.rebuild(by=None)
    return {
        "cases": n,
        "events": events,
        "ratings": ratings,
        "first_day": first_day.isoformat(),
        "steps": steps,
        "seconds": round(clock.time() - started, 1),
    }


def _run(cur, steps: dict, label: str, sql: str, params: dict) -> None:
    t = clock.time()
    cur.execute(sql, params)
    steps[label] = round(clock.time() - t, 1)
    print(f"  {label}: {steps[label]}s", flush=True)


@contextmanager
def _loading(cur, tables, steps: dict):
    """Load `tables` without FK checks, triggers or secondary indexes (dropped, then built
    again as `pg_indexes` defined them); then their sequences past the rows and ANALYZE."""
    cur.execute("SET session_replication_role = replica")  # no FK checks, no triggers
    cur.execute("SET maintenance_work_mem = '512MB'")
    cur.execute("SET jit = off")
    cur.execute(
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [list(tables)],
    )
    indexes = cur.fetchall()
    for _table, name, _sql in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    yield
    t = clock.time()
    for _table, _name, sql in indexes:
        cur.execute(sql)
    steps["indexes"] = round(clock.time() - t, 1)
    print(f"  indexes: {steps['indexes']}s", flush=True)
    for table in tables:
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
        )
    cur.execute("SET session_replication_role = origin")
    t = clock.time()
    cur.execute("ANALYZE")
    steps["analyze"] = round(clock.time() - t, 1)


def _params() -> dict:
    from yichuang.core.crypto import keyed_hash
    from yichuang.inquiries.models import Inquiry

    enc = Inquiry._meta.get_field("asker_phone").get_prep_value
    return {
        "tz": timezone.get_current_timezone_name(),
        "last": timezone.localdate() - timedelta(days=1),
        "phone": enc("13800000000"),
        "phone_hash": keyed_hash("13800000000"),
    }


def _empty(cur, table: str, prefix: str) -> None:
    """Cases there, and none of the rows about to be written (numbered `prefix`…; the demo's
    own, seeded with the hall, are left as they are)."""
    cur.execute("SELECT count(*) FROM cases_case")
    if not cur.fetchone()[0]:
        raise RuntimeError("the database holds no case: run generate() first")
    cur.execute(f"SELECT count(*) FROM {table} WHERE number LIKE %s", [prefix + "%"])
    if cur.fetchone()[0]:
        raise RuntimeError(f"the database already holds generated rows in {table}")


def generate_inquiries(*, running: int = RUNNING_INQUIRIES) -> dict:
    """One inquiry per case of the database (see the module's docstring). Returns the
    inquiries written, how many still running, and the seconds of each step."""
    started, steps = clock.time(), dict[str, float]()
    params = _params()
    with connection.cursor() as cur:
        _empty(cur, "inquiries_inquiry", "BZX")
        cur.execute(
            "SELECT count(*) FROM cases_case WHERE received_at >= now() - interval '60 days'"
        )
        params["step"] = max(1, cur.fetchone()[0] // running)
        with _loading(cur, ("inquiries_inquiry",), steps):
            _run(cur, steps, "inquiries", INQUIRIES, params)
        cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'open') FROM inquiries_inquiry "
            "WHERE number LIKE %s",
            ["BZX%"],
        )
        total, still = cur.fetchone()
    return {
        "inquiries": total,
        "running": still,
        "steps": steps,
        "seconds": round(clock.time() - started, 1),
    }


def generate_complaints(*, per_mille: int = 2) -> dict:
    """Complaints about `per_mille` ‰ of the cases (see the module's docstring)."""
    started, steps = clock.time(), dict[str, float]()
    params = {**_params(), "every": max(1, 1000 // per_mille)}
    with connection.cursor() as cur:
        _empty(cur, "feedback_complaint", "BTS")
        with _loading(cur, ("feedback_complaint",), steps):
            _run(cur, steps, "complaints", COMPLAINTS, params)
        cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE outcome IN ('upheld', 'partly_upheld')) "
            "FROM feedback_complaint WHERE kind = 'complaint' AND number LIKE %s",
            ["BTS%"],
        )
        total, upheld = cur.fetchone()
    return {
        "complaints": total,
        "upheld": upheld,
        "steps": steps,
        "seconds": round(clock.time() - started, 1),
    }


# The active services numbered 0…k-1 with what a case copies from them.
SERVICES = """
DROP TABLE IF EXISTS bench_service;
CREATE TEMP TABLE bench_service AS
SELECT (row_number() OVER (ORDER BY s.id)) - 1 AS k, s.id, s.kind, s.committed_days,
       s.department_id, s.post_id, p.holder_id,
       (SELECT b.staff_id FROM org_postbackup b WHERE b.post_id = p.id ORDER BY b.id LIMIT 1)
           AS backup_id,
       (SELECT r.staff_id FROM org_rolegrant r WHERE r.role = 'reviewer' ORDER BY r.id LIMIT 1)
           AS checker_id
FROM catalog_service s JOIN org_post p ON p.id = s.post_id
WHERE s.is_active;
"""

# One row per case; the working day, the minute of the day and the fate of each case come
# from its number g (hashes of g, so the same N always gives the same rows).
CASES = """
WITH k AS (SELECT count(*) AS n FROM bench_service),
g AS (
    SELECT gb::int AS g,
           %(first)s::date + ((gb - 1) * %(span)s / %(n)s)::int AS d0,
           (hashint8(gb) & 2147483647) / 2147483648.0 AS r1,
           (hashint8(gb * 7 + 1) & 2147483647) / 2147483648.0 AS r2,
           (hashint8(gb * 7 + 2) & 2147483647) / 2147483648.0 AS r3,
           gb > %(n)s - %(recent)s AND hashint8(gb * 7 + 5) %% %(step)s = 0 AS is_running
    FROM generate_series(1::bigint, %(n)s::bigint) gb
),
c AS (
    SELECT g.*, s.*,
           (d0 - CASE extract(isodow FROM d0) WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END) AS day,
           ((d0 - CASE extract(isodow FROM d0) WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END)
               + time '08:30' + make_interval(mins => (r1 * 540)::int))
               AT TIME ZONE %(tz)s AS received
    FROM g JOIN bench_service s ON s.k = (hashint8(g.g * 7 + 3) & 2147483647) %% (SELECT n FROM k)
),
f AS (
    SELECT c.*,
        CASE WHEN NOT is_running AND r2 < 0.01 THEN 'rejected'
             WHEN NOT is_running AND r2 < 0.015 THEN 'returned'
             WHEN is_running THEN 'accepted' ELSE 'completed' END AS status,
        (kind = 'committed' AND r3 < 0.08) AS supplemented,
        CASE WHEN kind = 'committed' AND r3 < 0.08 THEN 1 + (g %% 3) ELSE 0 END AS wait
    FROM c
),
t AS (
    SELECT f.*,
        received + make_interval(days => wait) + CASE WHEN wait > 0 THEN interval '1 hour'
            ELSE interval '0' END AS accepted,
        day + wait AS start,
        day + wait + ceil(committed_days * 7 / 5.0)::int AS deadline,
        CASE WHEN kind = 'immediate' THEN 0
             WHEN r2 > 0.93 THEN committed_days + 1 + (g %% 5)
             ELSE greatest(committed_days / 3, (r1 * committed_days)::int) END AS used
    FROM f
)
INSERT INTO cases_case (
    id, number, query_code, service_version, channel, status, applicant_name,
    applicant_id_number, applicant_id_hash, applicant_phone, applicant_phone_hash,
    applicant_email, review_decision, received_at, accepted_at, clock_start, deadline,
    yellow_on, deadline_provisional, committed_days, extended_days, suspended_days,
    completed_at, outcome, is_joint, note, assignee_id, checked_by_id, department_id,
    intake_by_id, post_id, reviewed_by_id, service_id, public_events)
SELECT g, 'Z' || lpad(g::text, 11, '0'), 'Q' || upper(lpad(to_hex(g %% 997 * 16127), 7, '0')),
    1, CASE WHEN r3 > 0.7 THEN 'online' ELSE 'window' END, status, '测试申请人',
    %(id_number)s, %(id_hash)s, %(phone)s, %(phone_hash)s,
    '', CASE WHEN status = 'completed' THEN 'approved' ELSE '' END, received,
    CASE WHEN status IN ('accepted', 'completed') THEN accepted END,
    CASE WHEN status IN ('accepted', 'completed') THEN start END,
    CASE WHEN status IN ('accepted', 'completed') THEN
        CASE WHEN is_running THEN current_date + (g %% 9) - 4 ELSE deadline END END,
    CASE WHEN status IN ('accepted', 'completed') THEN
        CASE WHEN is_running THEN current_date + (g %% 9) - 6 ELSE deadline - 2 END END,
    false, committed_days, 0, 0,
    CASE WHEN status = 'completed' THEN
        CASE WHEN kind = 'immediate' THEN received + interval '10 minutes'
        ELSE least(((start + ceil(used * 7 / 5.0)::int) + time '08:30'
                    + make_interval(mins => (r3 * 480)::int)) AT TIME ZONE %(tz)s,
                   (%(last)s::date + time '17:30') AT TIME ZONE %(tz)s) END
    WHEN status IN ('rejected', 'returned') THEN received + interval '1 hour' END,
    CASE WHEN status = 'completed' THEN 'approved' ELSE '' END, false, '',
    holder_id, CASE WHEN status = 'completed' THEN checker_id END, department_id,
    holder_id, post_id, CASE WHEN status = 'completed' THEN holder_id END, id,
    jsonb_build_array(jsonb_build_object('at', received, 'action', 'create',
                                         'status', 'submitted'))
    || CASE WHEN status IN ('accepted', 'completed') THEN jsonb_build_array(jsonb_build_object(
           'at', accepted, 'action', 'accept', 'status', 'accepted')) ELSE '[]' END
FROM t
"""

# Events from the cases written: create; accept or reject/return; request_supplement;
# a backup's review (AB岗) for 4% of committed cases; check at completion.
EVENTS = """
INSERT INTO cases_caseevent (at, action, from_status, status, note, data, by_id, case_id,
                             covered_for_id, hash, prev_hash)
SELECT e.at, e.action, e.from_status, e.status, '', '{}', e.by_id, c.id, e.covered_for_id,
       '', ''
FROM cases_case c
JOIN bench_service s ON s.id = c.service_id
CROSS JOIN LATERAL (VALUES
    (c.received_at, 'create', '', 'submitted', c.intake_by_id, NULL::bigint, true),
    (c.received_at + interval '20 minutes', 'request_supplement', 'submitted', 'supplement',
     c.assignee_id, NULL, c.accepted_at - c.received_at > interval '20 hours'),
    (c.accepted_at, 'accept', 'submitted', 'accepted', c.assignee_id, NULL,
     c.accepted_at IS NOT NULL),
    (c.completed_at, CASE c.status WHEN 'rejected' THEN 'reject' ELSE 'return' END,
     'submitted', c.status, c.assignee_id, NULL, c.status IN ('rejected', 'returned')),
    (c.completed_at - interval '1 hour', 'review', 'accepted', 'checking', s.backup_id,
     c.assignee_id, c.status = 'completed' AND s.kind = 'committed' AND s.backup_id IS NOT NULL
     AND hashint8(c.id * 11) %% 25 = 0),
    (c.completed_at, 'check', 'checking', 'completed', c.checked_by_id, NULL,
     c.status = 'completed')
) AS e(at, action, from_status, status, by_id, covered_for_id, keep)
WHERE e.keep
ORDER BY c.id, e.at
"""

RATINGS = """
INSERT INTO feedback_rating (level, channel, comment, created_at, is_default, voided_at,
    void_reason, case_id, department_id, post_id, staff_id, indicator_set, indicators)
SELECT CASE WHEN r < 0.55 THEN
           CASE WHEN l < 0.60 THEN 5 WHEN l < 0.85 THEN 4 WHEN l < 0.95 THEN 3
                WHEN l < 0.98 THEN 2 ELSE 1 END
       ELSE 3 END,
       CASE WHEN r < 0.55 THEN 'sms' ELSE 'default' END, '',
       CASE WHEN r < 0.55 THEN c.completed_at + make_interval(mins => (l * 4320)::int)
            ELSE c.completed_at + interval '7 days' END,
       r >= 0.55,
       CASE WHEN r < 0.55 AND hashint8(c.id * 13) %% 200 = 0
            THEN c.completed_at + interval '3 days' END,
       '', c.id, c.department_id, c.post_id, c.assignee_id, '', '{}'
FROM cases_case c
CROSS JOIN LATERAL (SELECT (hashint8(c.id * 5) & 2147483647) / 2147483648.0 AS r,
                           (hashint8(c.id * 5 + 1) & 2147483647) / 2147483648.0 AS l) x
WHERE c.status = 'completed' AND r < 0.85
  AND (r < 0.55 OR c.completed_at + interval '7 days' < now())
  AND c.completed_at + interval '3 days' < now()
ORDER BY c.id
"""

FOLLOW_UPS = """
INSERT INTO feedback_followup (status, opened_at, verify_due, rectify_due, due, yellow_on,
    finding, rectification, reply, closed_at, case_id, department_id, rating_id)
SELECT CASE WHEN r.voided_at IS NOT NULL THEN 'cancelled'
            WHEN r.created_at < now() - interval '20 days' THEN 'closed' ELSE 'rectifying' END,
       r.created_at, (r.created_at AT TIME ZONE %(tz)s)::date + 1,
       (r.created_at AT TIME ZONE %(tz)s)::date + 21, (r.created_at AT TIME ZONE %(tz)s)::date + 21,
       (r.created_at AT TIME ZONE %(tz)s)::date + 19, '', '', '',
       CASE WHEN r.voided_at IS NULL AND r.created_at < now() - interval '20 days'
            THEN r.created_at + interval '12 days' END,
       r.case_id, r.department_id, r.id
FROM feedback_rating r
WHERE r.level <= 2 AND NOT r.is_default
ORDER BY r.id
"""

# One inquiry per case, from the case's number (hashes of its id, as the cases): asked half an
# hour before the case at its post; the due date by the time limit in natural days; answered,
# referred or closed by the fate drawn, the late ones 1-5 days after the due date, none
# after yesterday's close; RUNNING_INQUIRIES of the last 60 days' left open.
INQUIRIES = """
WITH c AS (
    SELECT c.id, c.received_at - interval '30 minutes' AS asked, c.post_id, c.department_id,
           c.assignee_id AS owner_id, c.service_id,
           (hashint8(c.id * 19) & 2147483647) / 2147483648.0 AS r,
           (hashint8(c.id * 19 + 1) & 2147483647) / 2147483648.0 AS l,
           c.received_at >= now() - interval '60 days'
               AND hashint8(c.id * 19 + 2) %% %(step)s = 0 AS is_running
    FROM cases_case c
),
d AS (
    SELECT c.*, (asked AT TIME ZONE %(tz)s)::date AS day,
           CASE WHEN r < 0.80 THEN 'immediate' WHEN r < 0.97 THEN 'investigation'
                ELSE 'complex' END AS time_limit,
           CASE WHEN r < 0.80 THEN 0 WHEN r < 0.97 THEN 15 ELSE 30 END AS days,
           CASE WHEN is_running THEN 'open' WHEN l < 0.01 THEN 'closed'
                WHEN l < 0.04 THEN 'referred' ELSE 'answered' END AS status
    FROM c
),
f AS (
    SELECT d.*, day + days AS due,
           CASE WHEN status = 'open' THEN NULL
                WHEN l > 0.96 THEN least(((day + days + 1 + (id %% 5)::int) + time '10:00')
                    AT TIME ZONE %(tz)s, (%(last)s::date + time '17:30') AT TIME ZONE %(tz)s)
                WHEN days = 0 THEN asked + make_interval(mins => 5 + (l * 20)::int)
                ELSE least(((day + (l * days)::int) + time '15:00') AT TIME ZONE %(tz)s,
                           (%(last)s::date + time '17:30') AT TIME ZONE %(tz)s)
           END AS finished
    FROM d
)
INSERT INTO inquiries_inquiry (number, query_code, channel, status, asker_name, asker_phone,
    asker_phone_hash, asker_email, matter, category, time_limit, days_unit, received_at, due,
    yellow_on, answer, answered_at, outcome, referred_unit, referred_contact, finished_at,
    note, answered_by_id, department_id, first_department_id, first_owner_id, owner_id,
    post_id, service_id)
SELECT 'BZX' || lpad(id::text, 12, '0'), 'Q' || upper(lpad(to_hex(id %% 997 * 16127), 7, '0')),
       CASE WHEN r * 10 %% 1 < 0.6 THEN 'walk_in' ELSE 'phone' END, status, '测试咨询人',
       %(phone)s, %(phone_hash)s, '', '测试咨询事项', '', time_limit, 'natural', asked, due,
       CASE WHEN days = 0 THEN due ELSE due - 3 END,
       CASE WHEN status = 'answered' THEN '已答复' ELSE '' END,
       CASE WHEN status IN ('answered', 'referred') THEN finished END,
       CASE status WHEN 'answered' THEN 'answered' WHEN 'referred' THEN 'referred' ELSE '' END,
       CASE WHEN status = 'referred' THEN '测试承办单位' ELSE '' END,
       CASE WHEN status = 'referred' THEN '12345' ELSE '' END,
       CASE WHEN status = 'closed' THEN asked + interval '1 hour' ELSE finished END, '',
       CASE WHEN status IN ('answered', 'referred') THEN owner_id END, department_id,
       department_id, owner_id, owner_id, post_id, service_id
FROM f
ORDER BY id
"""

# Complaints about one case in `every`: two days after the case, at its department and about
# its handler; those older than 20 days verified, replied to and closed.
COMPLAINTS = """
WITH c AS (
    SELECT c.id, c.received_at + interval '2 days' AS received, c.department_id,
           c.assignee_id, (hashint8(c.id * 23) & 2147483647) / 2147483648.0 AS r
    FROM cases_case c
    WHERE hashint8(c.id * 23 + 1) %% %(every)s = 0 AND c.received_at + interval '2 days' < now()
),
d AS (
    SELECT c.*, (received AT TIME ZONE %(tz)s)::date AS day,
           received < now() - interval '20 days' AS done,
           CASE WHEN r < 0.1 THEN 'suggestion' ELSE 'complaint' END AS kind
    FROM c
)
INSERT INTO feedback_complaint (number, query_code, kind, channel, status, name, phone,
    phone_hash, email, subject, content, received_at, message_id, due, yellow_on,
    verification, outcome, verified_at, reply, replied_at, closed_at, case_id, department_id,
    staff_id)
SELECT CASE kind WHEN 'complaint' THEN 'BTS' ELSE 'BJY' END || lpad(id::text, 12, '0'),
       'Q' || upper(lpad(to_hex(id %% 991 * 16183), 7, '0')), kind, 'phone',
       CASE WHEN done THEN 'closed' ELSE 'handling' END, '测试投诉人', %(phone)s,
       %(phone_hash)s, '', '测试主题', '测试内容', received, '', day + 21, day + 19,
       CASE WHEN done THEN '已核实' ELSE '' END,
       CASE WHEN NOT done THEN '' WHEN r < 0.40 THEN 'upheld' WHEN r < 0.55 THEN 'partly_upheld'
            ELSE 'not_upheld' END,
       CASE WHEN done THEN received + interval '5 days' END,
       CASE WHEN done THEN '已答复' ELSE '' END,
       CASE WHEN done THEN received + interval '8 days' END,
       CASE WHEN done THEN received + interval '10 days' END,
       id, department_id, assignee_id
FROM d
ORDER BY id
"""
