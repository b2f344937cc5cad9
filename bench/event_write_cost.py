"""The cost of writing the record: create + accept a case through the API, in one process, and
count its queries — a figure that does not move with the machine's other load, beside the
wall time per pair (median of rounds). Run against a prepared database (migrate, seed_demo):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yichuang_cost \\
        PYTHONPATH=. .venv/bin/python bench/event_write_cost.py --prepare --pairs 100 --rounds 5

Used to compare a checkout before and after a change to how events are written (issue 14:
the hash chain must cost less than 10% of create + accept).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")


def prepare() -> None:
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], check=True)
    subprocess.run(
        [py, "manage.py", "seed_demo", "--password", "bench-pass-2026", "--no-history"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.prepare:
        prepare()

    import django

    django.setup()
    from django.core import signals
    from django.db import close_old_connections, connection, reset_queries

    # One connection for the run, and a query log the requests do not reset (as Django's tests).
    signals.request_started.disconnect(reset_queries)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yichuang.catalog.models import Service
    from yichuang.core.models import ApiToken
    from yichuang.org.models import Staff

    service = (
        Service.objects.filter(kind="committed", is_active=True, department__code="jwc")
        .order_by("code")
        .first()
    )
    assert service is not None, "seed_demo's committed 教务处 service"
    body = json.dumps(
        {
            "service": service.code,
            "channel": "window",
            "applicant": {
                "name": "压测申请人",
                "id_number": "110101199003071233",
                "phone": "13812345678",
            },
            "materials": [m.pk for m in service.materials.all()],
        }
    )
    token = ApiToken.issue(Staff.objects.get(username="window1"))
    client = Client(headers={"Authorization": f"Bearer {token}"})

    def pair() -> None:
        r = client.post("/api/v1/cases", body, content_type="application/json")
        assert r.status_code == 201, r.content
        a = client.post(f"/api/v1/cases/{r.json()['number']}/accept")
        assert a.status_code == 200, a.content

    pair()  # warm up: first queries, caches
    with CaptureQueriesContext(connection) as queries:
        pair()
        counted = len(connection.queries_log) - queries.initial_queries
    per_round = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for _ in range(args.pairs):
            pair()
        per_round.append((time.perf_counter() - started) / args.pairs * 1000)
    print(
        json.dumps(
            {
                "queries_per_pair": counted,
                "ms_per_pair_median": round(statistics.median(per_round), 2),
                "ms_per_pair_rounds": [round(x, 2) for x in per_round],
                "database": connection.vendor,
            }
        )
    )


if __name__ == "__main__":
    main()
