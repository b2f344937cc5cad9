"""The pages a clerk lives in, over a growing history: each must cost what the clerk's running
work costs, not what the hall's past costs (issue 15). Served the way a deployment serves them
(gunicorn, 2 sync workers, DEBUG off; bench/cases_bench.py's harness), measured with wrk at 8
connections, logged in as window1 of the demo hall (a session for the pages, a token for the
API):

    .venv/bin/python bench/lists_bench.py --db sqlite --n 10000
    .venv/bin/python bench/lists_bench.py --db postgres --n 1000000
    ... --fresh       generate the database again instead of reusing bench/out's / yc_lists_N
    ... --only mine   run the measures whose name contains this

The data (bench/lists_data.py): N cases over two years, RUNNING_PER_DEPARTMENT of them running
in each department whatever N is, so a bigger N is more history and the same work in hand.
Each database is generated once per N and kept (bench/out/lists-N.sqlite3, PostgreSQL database
yc_lists_N); each run migrates it first, so a later checkout measures the same rows.

main → this branch, req/s, 8 connections, 10 s each, window1, RUNNING_PER_DEPARTMENT=300
(1800 running cases in all at every size). Measured 2026-12-02 on the shared 2-core machine
with a load average of 5-7 from other work (the full test suite ran during the sqlite 1M run
of this branch): the figures wander by ±40% from one run to the next, so read the columns
against each other, not as absolutes. Command per cell:
    .venv/bin/python bench/lists_bench.py --db {sqlite|postgres} --n {10000|100000|1000000}
(and the same from a checkout of main with --label main for the left-hand figures).

sqlite   | page                      |            10k |           100k |             1M | 1M/10k
         | inbox /staff/             |   6.9 →   3.1 |   3.1 →   1.9 |   2.2 →   1.8 | 58%
         | my cases /cases/mine/     |   1.8 →   1.1 |   1.0 →   0.9 |   0.8 →   0.6 | 54%
         | monitor /cases/monitor/   |   1.8 →   1.5 |   1.0 →   1.0 |   1.1 →   0.9 | 60%
         | case list /cases/ledger/  |   4.5 →   3.6 |   2.0 →   2.3 |   2.1 →   3.0 | 83%
         | API list (all statuses)   |  65.9 →  17.1 |   5.2 →  15.4 |   0.5 →  17.3 | 101%
postgres | page                      |            10k |           100k |             1M | 1M/10k
         | inbox /staff/             |   3.4 →   2.7 |   2.2 →   2.0 |   2.6 →   4.8 | 178%
         | my cases /cases/mine/     |   1.2 →   1.2 |   0.9 →   1.1 |   0.9 →   1.4 | 116%
         | monitor /cases/monitor/   |   1.4 →   1.2 |   0.8 →   1.0 |   0.8 →   1.4 | 117%
         | case list /cases/ledger/  |   2.6 →   3.2 |   2.2 →   2.2 |   1.0 →   3.1 | 97%
         | API list (all statuses)   |  14.4 →  13.7 |   6.4 →   9.1 |   0.6 →  13.7 | 100%

What the figures say: on main the API list fell 14.4 → 0.6 req/s (PostgreSQL) and 65.9 → 0.5
(SQLite) from 10k to 1M cases, and the ledger 2.6 → 1.0; on this branch both hold their 10k
figure at 1M (the tally answers the count, the keyset page reads its own 50 rows). The inbox,
my cases and the monitor read running work only: timed in one process (Django's test client,
the queries logged), their SQL is 15-100 ms at 1M as at 10k on SQLite (inbox 100 → 15 ms,
mine 55 → 37, monitor 81 → 52, ledger 14 → 33, API 0 → 20; 11-16 queries each) while a
page takes 0.4-3 s: what they cost is rendering the clerk's ~300 running cases, the same at
every size, and the low SQLite 1M column above is the machine's load, not the data.
On a quiet machine at the end of the session (nothing else running), the same command, req/s
10k → 1M:
sqlite   inbox 22.0 → 24.4 (111%), my cases 6.9 → 6.8 (99%), monitor 8.1 → 8.2 (101%),
         ledger 21.0 → 20.1 (96%), API 103.7 → 103.4 (100%)
postgres inbox 17.1 → 16.1 (94%), my cases 6.1 → 6.4 (105%), monitor 6.6 → 6.9 (105%),
         ledger 16.7 → 15.7 (94%), API 65.4 → 69.1 (106%)
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cases_bench as harness  # noqa: E402

ROOT = harness.ROOT
OUT = harness.OUT
harness.PORT = 8187  # not cases_bench's port: both may run on one machine

PAGES = [
    ("inbox /staff/", "session", "/staff/"),
    ("my cases /cases/mine/", "session", "/cases/mine/"),
    ("monitor /cases/monitor/", "session", "/cases/monitor/"),
    ("case list /cases/ledger/", "session", "/cases/ledger/"),
    ("API list (all statuses)", "token", "/api/v1/cases?page_size=50"),
]


def database_url(db: str, n: int) -> str:
    if db == "sqlite":
        return f"sqlite:///{OUT / f'lists-{n}.sqlite3'}"
    return f"postgres://postgres@127.0.0.1:5432/yc_lists_{n}"


def ready_mark(db: str, n: int) -> Path:
    """Written once the database is whole: a run stopped half-way generates it again."""
    return OUT / f"lists-{db}-{n}.ready"


def prepare(db: str, n: int, env: dict, fresh: bool) -> None:
    py = sys.executable
    if fresh or not ready_mark(db, n).exists():
        ready_mark(db, n).unlink(missing_ok=True)
        harness.new_database(
            db,
            sqlite_file=OUT / f"lists-{n}.sqlite3",
            pg_name=f"yc_lists_{n}",
            env=env,
        )
        code = (
            "import django, json; django.setup();"
            "from bench.lists_data import generate;"
            f"print(json.dumps(generate({n})))"
        )
        out = subprocess.run(
            [py, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        made = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"  generated {made['cases']} cases ({made['running']} running) "
            f"in {made['seconds']:.0f}s",
            flush=True,
        )
        ready_mark(db, n).write_text(json.dumps(made))
    else:
        # The same rows, this checkout's schema (its indexes, its tally), and the planner's
        # statistics of the indexes it added, as the generator left them for the others.
        subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        code = "import django; django.setup(); from django.db import connection;"
        code += "connection.cursor().execute('ANALYZE')"
        subprocess.run([py, "-c", code], cwd=ROOT, env=env, check=True)


def session_cookie(env: dict) -> str:
    code = (
        "import django; django.setup();"
        "from django.test import Client; from yichuang.org.models import Staff;"
        "c = Client(); c.force_login(Staff.objects.get(username='window1'));"
        "print(c.cookies['sessionid'].value)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


LUA = {
    "session": """
wrk.headers["Cookie"] = "sessionid=" .. os.getenv("SESSION")
""",
    "token": """
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
""",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--only", default="")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--label", default="", help="suffix of the result file (e.g. main)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "yichuang.localkeys"], cwd=ROOT, check=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(args.db, args.n),
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "yichuang.settings",
    }
    print(f"== {args.db}, {args.n} cases", flush=True)
    started = time.time()
    prepare(args.db, args.n, env, args.fresh)
    print(f"  ready in {time.time() - started:.0f}s", flush=True)
    for name, body in LUA.items():
        (OUT / f"lists-{name}.lua").write_text(body)
    cookie = session_cookie(env)
    proc = harness.serve(env)
    results = {}
    try:
        wrk_env = {"TOKEN": harness.token(), "SESSION": cookie}
        for name, auth, path in PAGES:
            if args.only not in name:
                continue
            # One request first, so a wrong login shows as an error rather than a fast 302.
            check = subprocess.run(
                [
                    "curl",
                    "-s",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                    "-H",
                    f"Cookie: sessionid={cookie}",
                    "-H",
                    f"Authorization: Bearer {wrk_env['TOKEN']}",
                    f"http://127.0.0.1:{harness.PORT}{path}",
                ],
                capture_output=True,
                text=True,
            ).stdout
            if check != "200":
                print(f"    ! {path} answered {check}", flush=True)
            script = OUT / f"lists-{auth}.lua"
            rps = harness.wrk(script, path, args.clients, args.seconds, wrk_env)
            results[name] = rps
            print(f"  {name:<28} {rps:8.1f} req/s", flush=True)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
    suffix = f"-{args.label}" if args.label else ""
    (OUT / f"lists-{args.db}-{args.n}{suffix}.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False)
    )


if __name__ == "__main__":
    main()
