"""What test_replicas.py observes, run as its own process against a real primary and replica.

`python -m yichuang.core.tests.replica_scenario OUT.json`, with `DATABASE_URL` naming the
throw-away primary and `DATABASE_REPLICA_URLS` its streaming replica (pg_cluster.py). The
process is the web application itself (settings.py reads those variables; the router and the
pin middleware are on), driven by Django's test client. It migrates the primary, then plays
one story and writes down, request by request, the answer and the statements each database
received:

1. The replica's replay is paused, so anything written from then on is on the primary only:
   a read that misses it came from the replica, a read that sees it from the primary.
2. An applicant looks a case up (a lag-tolerant page): the replica answers, with the status
   it had before the pause.
3. alice (the clerk) accepts the case (a POST) and at once opens the same page: the primary
   answers (she is pinned to it), she sees 已受理; an anonymous applicant still sees the old
   status (replica).
4. REPLICA_PIN_SECONDS later (time-machine) alice reads the replica again.
5. Replay resumes: the applicant sees 已受理 from the replica, and the other public lookups
   (an inquiry's, the rating page) read it too.
6. The replica goes away in the middle of a request (between its two reads): the request is
   answered by the primary. While it is down the public lookups answer from the primary,
   and the process does not try it again before REPLICA_RETRY_SECONDS; started again, it is
   read again. Stopped between two requests (a kept connection), the primary answers.

On the way, the worker's monthly report (no request) reads its figures from the replica and
saves itself on the primary.

Every statement the replica's connection received is kept, to show no write ever went there.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

PAGE_STATUS = re.compile(r'class="status-(\w+)"')


def main(out: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.settings")
    import django

    django.setup()

    import time_machine
    from asgiref.sync import async_to_sync
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections, router
    from django.test import AsyncClient, Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from yichuang.core.tests.pg_cluster import Cluster, Server

    replica_alias = settings.DATABASE_REPLICA_ALIASES[0]
    facts: dict = {"replica_alias": replica_alias}

    def server(name: str, url: str) -> Server:
        return Server(name, urlparse(url).port or 5432, datadir=None)  # type: ignore[arg-type]

    cluster = Cluster(
        server("primary", os.environ["DATABASE_URL"]),
        server("replica", settings.DATABASE_REPLICA_URLS[0]),
    )
    cluster.replica.datadir = Path(os.environ["REPLICA_TEST_DATADIR"])

    # Every statement sent to the replica, from the first.
    replica_statements: list[str] = []

    def record(execute, sql, params, many, context):
        replica_statements.append(sql)
        return execute(sql, params, many, context)

    connections[replica_alias].execute_wrappers.append(record)

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    facts["migrate_seconds"] = round(time.monotonic() - started, 1)
    cluster.wait_replayed()
    # The replica has every migration by replication: nothing left to run there...
    try:
        call_command("migrate", database=replica_alias, check_unapplied=True, verbosity=0)
        facts["replica_has_every_migration"] = True
    except SystemExit:
        facts["replica_has_every_migration"] = False
    # ... and the router lets no migration touch it.
    from django.apps import apps

    labels = [a.label for a in apps.get_app_configs()]
    facts["apps_migrating_on_replica"] = [
        label for label in labels if router.allow_migrate(replica_alias, label) is not False
    ]
    facts["apps_migrating_on_primary"] = len(
        [label for label in labels if router.allow_migrate("default", label) is not False]
    )
    facts["app_count"] = len(labels)
    with connections[replica_alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        facts["replica_in_recovery"] = cursor.fetchone()[0]

    from yichuang.cases import services
    from yichuang.cases.tests.factories import all_required, applicant, make_service
    from yichuang.org.testing import make_hall

    hall = make_hall()
    service = make_service(hall)
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    page = f"/progress/{case.number}/?c={case.query_code}"
    alice = Client()
    alice.force_login(hall.alice)  # type: ignore[arg-type]  # the personas are untyped

    def get(client: Client | AsyncClient, path: str) -> dict:
        """One request: its status, the case status the page shows, the statements each
        database received, and whether the answer pins the browser. An AsyncClient goes
        through Django's ASGI handler (the middleware async, the view in a thread)."""
        with (
            CaptureQueriesContext(connections["default"]) as on_primary,
            CaptureQueriesContext(connections[replica_alias]) as on_replica,
        ):
            response: Any
            if isinstance(client, AsyncClient):
                response = async_to_sync(client.get)(path)
            else:
                response = client.get(path)
        shown = PAGE_STATUS.search(response.content.decode())
        return {
            "status": response.status_code,
            "shows": shown.group(1) if shown else None,
            "primary_queries": len(on_primary.captured_queries),
            "replica_queries": len(on_replica.captured_queries),
            "pins": "yc_primary" in response.cookies,
        }

    cluster.pause_replay()
    try:
        facts["anonymous_before"] = get(Client(), page)
        facts["alice_before_writing"] = get(alice, page)
        response = alice.post(f"/cases/{case.number}/act/accept/")
        facts["alice_accepts"] = {
            "status": response.status_code,
            "pins": "yc_primary" in response.cookies,
        }
        case.refresh_from_db(using="default")
        facts["status_on_primary"] = case.status
        facts["alice_right_after"] = get(alice, page)
        facts["anonymous_right_after"] = get(Client(), page)
        alice_asgi = AsyncClient()
        alice_asgi.cookies = alice.cookies
        facts["asgi_alice_right_after"] = get(alice_asgi, page)
        facts["asgi_anonymous_right_after"] = get(AsyncClient(), page)
        facts["staff_page_right_after"] = get(alice, f"/cases/{case.number}/")
        with CaptureQueriesContext(connections[replica_alias]) as on_replica:
            answer = Client().get(f"/api/v1/cases/{case.number}?query_code={case.query_code}")
        facts["api_anonymous_right_after"] = {
            "status": answer.status_code,
            "shows": answer.json().get("status"),
            "replica_queries": len(on_replica.captured_queries),
        }
        # The worker's monthly report, outside any request: its figures from the replica,
        # the report itself written on the primary. (Its PDF and workbook are not what this
        # is about, and rendering them costs seconds: left empty.)
        from unittest import mock

        from yichuang.appraisal.models import MonthlyReport
        from yichuang.appraisal.services import generate_monthly_report

        with (
            mock.patch("yichuang.appraisal.reports.pdf.render_report_pdf", return_value=b""),
            mock.patch("yichuang.appraisal.reports.excel.report_workbook", return_value=b""),
            CaptureQueriesContext(connections["default"]) as on_primary,
            CaptureQueriesContext(connections[replica_alias]) as on_replica,
        ):
            generate_monthly_report(month=timezone.localdate())
        facts["monthly_report"] = {
            "replica_queries": len(on_replica.captured_queries),
            "primary_writes": len(
                [q for q in on_primary.captured_queries if q["sql"].startswith("INSERT")]
            ),
            "saved_on_primary": MonthlyReport.objects.using("default").count(),
        }
        later = timezone.now() + timedelta(seconds=settings.REPLICA_PIN_SECONDS + 1)
        with time_machine.travel(later, tick=True):
            facts["alice_after_pin"] = get(alice, page)
    finally:
        cluster.resume_replay()
    facts["anonymous_after_replay"] = get(Client(), page)

    from yichuang.inquiries.services import ask_online

    inquiry = ask_online(
        asker={"name": "李小明", "phone": "13812345678"}, matter="在读证明", department=hall.jwc
    )
    cluster.wait_replayed()
    inquiry_page = f"/inquiries/lookup/?number={inquiry.number}&code={inquiry.query_code}"
    facts["inquiry_lookup"] = get(Client(), inquiry_page)
    facts["rating_page"] = get(Client(), f"/feedback/rate/{case.number}/?c={case.query_code}")

    facts["replica_writes"] = [
        sql
        for sql in replica_statements
        if not re.match(r"\s*(SELECT|SHOW|SET|WITH\b[^;]*\bSELECT)\b", sql, re.IGNORECASE)
    ]
    facts["replica_statement_count"] = len(replica_statements)
    # Even a write sent there on purpose is refused: the connection is read-only.
    connections[replica_alias].execute_wrappers.remove(record)
    try:
        with connections[replica_alias].cursor() as cursor:
            cursor.execute("CREATE TABLE not_here (id int)")
        facts["replica_refuses_a_write"] = None
    except Exception as exc:  # the refusal is the fact
        facts["replica_refuses_a_write"] = str(exc)
    replica_down(facts, cluster, case, page, inquiry_page)
    with open(out, "w") as f:
        json.dump(facts, f, indent=2, ensure_ascii=False)


def replica_down(facts, cluster, case, page, inquiry_page) -> None:
    """Step 6: the replica stops, the pages answer from the primary, it starts, it is read."""
    import logging

    from django.conf import settings
    from django.db import connections, router
    from django.http import HttpResponse
    from django.test import Client, RequestFactory

    from yichuang.cases.models import Case
    from yichuang.core import db_routing
    from yichuang.core.tests import pg_cluster

    replica_alias = settings.DATABASE_REPLICA_ALIASES[0]
    warnings: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            warnings.append(record.getMessage())

    logging.getLogger("yichuang.core.db_routing").addHandler(Keep())
    primary_statements: list[str] = []
    replica_statements: list[str] = []

    def recorder(statements):
        def record(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        return record

    connections["default"].execute_wrappers.append(recorder(primary_statements))
    connections[replica_alias].execute_wrappers.append(recorder(replica_statements))
    attempts: list[float] = []
    replica = connections[replica_alias]
    connect = replica.get_new_connection

    def counted(params):
        attempts.append(time.monotonic())
        return connect(params)

    replica.get_new_connection = counted  # type: ignore[method-assign]

    def measured(answer, started, before) -> dict:
        """CaptureQueriesContext would open the stopped replica's connection itself: the
        statements are counted by the execute wrappers instead."""
        shown = PAGE_STATUS.search(answer.content.decode()) if answer.content else None
        return {
            "status": answer.status_code,
            "shows": shown.group(1) if shown else None,
            "seconds": round(time.monotonic() - started, 3),
            "replica_queries": len(replica_statements) - before[0],
            "primary_queries": len(primary_statements) - before[1],
            "connect_attempts": len(attempts) - before[2],
        }

    def get(path: str) -> dict:
        before = (len(replica_statements), len(primary_statements), len(attempts))
        started = time.monotonic()
        return measured(Client().get(path), started, before)

    # The request reads the replica once, the replica stops, its second read fails.
    runs: list[str] = []

    @db_routing.reads_may_lag
    def two_reads(request):
        runs.append(router.db_for_read(Case))
        first = Case.objects.filter(pk=case.pk).values_list("status", flat=True).first()
        if len(runs) == 1:
            pg_cluster.stop(cluster.replica)
        second = Case.objects.filter(pk=case.pk).values_list("status", flat=True).first()
        return HttpResponse(f"{first} {second}")

    before = (len(replica_statements), len(primary_statements), len(attempts))
    started = time.monotonic()
    answer = db_routing.ReplicaPinMiddleware(two_reads)(RequestFactory().get("/x/"))
    facts["replica_drops_mid_request"] = {
        **measured(answer, started, before),
        "body": answer.content.decode(),
        "runs": runs,
    }
    # A process that has not met the replica yet (the first request waits for the refusal),
    # then the requests within REPLICA_RETRY_SECONDS (no new attempt).
    db_routing._down_since.clear()
    facts["down_first"] = get(page)
    down_at = time.monotonic()
    facts["down_again"] = get(page)
    facts["down_api"] = get(f"/api/v1/cases/{case.number}?query_code={case.query_code}")
    facts["down_inquiry_lookup"] = get(inquiry_page)
    pg_cluster.start(cluster.replica)
    cluster.wait_replayed()
    time.sleep(max(0.0, settings.REPLICA_RETRY_SECONDS - (time.monotonic() - down_at)) + 0.1)
    facts["back"] = get(page)
    # It stops between two requests: the kept connection fails its health check.
    pg_cluster.stop(cluster.replica)
    facts["stopped_between_requests"] = get(page)
    facts["routing_warnings"] = warnings
    replica.get_new_connection = connect  # type: ignore[method-assign]


if __name__ == "__main__":
    main(sys.argv[1])
