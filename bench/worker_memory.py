"""A worker's memory (issue 18): at start, and after 1,000 mixed requests under gunicorn.

    PYTHONPATH=. .venv/bin/python bench/worker_memory.py               # at start, one process
    .venv/bin/python bench/worker_memory.py --serve                     # gunicorn, 1,000 requests
    ... --serve --requests 1000 --rounds 3 --port 8099 --n 10000

At start: load settings, every URL pattern and the API's OpenAPI schema (what a worker does
before the first request), then print the peak resident size and which heavy libraries were
imported on the way. Heavy libraries (pinyin, PDF, Excel, QR, calendar data, search, HTTP
clients) should load only when a request needs them.

--serve: the way a deployment serves (gunicorn, 2 sync workers, DEBUG off; bench/cases_bench.py's
harness, with bench/progress_bench.py's database: the demo hall and N cases), 1,000 requests
spread over both workers, a mix of what a hall's day asks: the portal's pages (home, service
guide and an item, the progress page, the staff board, notices, map, FAQ, booking, public
figures, the hall screen), the applicant's progress by the API, and a clerk's pages (inbox, my
cases, monitor, ledger, catalogue, calendar, a case) and the API's case list. No exports, PDFs
or catalogue edits: those load their libraries on purpose, in the worker that serves them.
Prints each worker's resident size (VmRSS) after the mix, per round (a fresh gunicorn each
round) and the median; and, from one process that ran the same mix with Django's test client,
which heavy libraries the mix imported.
"""

import argparse
import json
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HEAVY = (
    "pypinyin",
    "reportlab",
    "openpyxl",
    "segno",
    "jieba",
    "bm25s",
    "chinese_calendar",
    "holidays",
    "pypdf",
    "PIL",
    "lxml",
    "requests",
    "mozilla_django_oidc",
    "cas",
    "jwt",
    "gmssl",
    "redis",
    "rq",
    "numpy",
    "scipy",
)


def loaded_heavy() -> list[str]:
    return [name for name in HEAVY if name in sys.modules]


def at_start() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.settings")
    import django

    django.setup()

    from django.urls import get_resolver

    from yichuang.api import api

    get_resolver().url_patterns  # resolving them imports every view module  # noqa: B018
    api.get_openapi_schema()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak resident size {peak_mib:.0f} MiB; "
        f"heavy libraries loaded at start: {loaded_heavy() or 'none'}"
    )


def mix(samples: list, service: str, case_number: str, n: int) -> list[tuple[str, str]]:
    """n requests as (who, path): who is "anon", "session" (window1) or "token" (window1)."""
    public = [
        "/",
        "/services/",
        f"/services/{service}/",
        "/board/",
        "/notices/",
        "/map/",
        "/inquiries/faq/",
        "/queue/book/",
        "/appraisal/public/",
        "/screen/",
        "/commitments/",
    ]
    staff = [
        "/staff/",
        "/cases/mine/",
        "/cases/monitor/",
        "/cases/ledger/",
        "/catalog/",
        "/calendar/",
        f"/cases/{case_number}/",
        "/staff/notices/",
    ]
    out: list[tuple[str, str]] = []
    i = 0
    while len(out) < n:
        number, code = samples[i % len(samples)]
        # Per 20: 6 progress pages, 4 API lookups, 5 public pages, 4 staff pages, 1 API list.
        out += [("anon", f"/progress/{number}/?c={code}")] * 3
        out += [("anon", f"/api/v1/cases/{number}?query_code={code}")] * 2
        out += [("anon", public[(i * 5 + k) % len(public)]) for k in range(5)]
        out += [("session", staff[(i * 4 + k) % len(staff)]) for k in range(4)]
        out += [("anon", f"/progress/{number}/?c={code}")] * 3
        out += [("anon", f"/api/v1/cases/{number}?query_code={code}")] * 2
        out += [("token", "/api/v1/cases?page_size=50")]
        i += 1
    return out[:n]


def in_process(env_file: Path) -> None:
    """The mix in one process (Django's test client): which heavy libraries it imports."""
    import django

    django.setup()
    from django.test import Client

    from yichuang.org.models import Staff

    data = json.loads(env_file.read_text())
    anon = Client()
    session = Client()
    session.force_login(Staff.objects.get(username="window1"))
    token = anon.post(
        "/api/v1/auth/token",
        {"username": "window1", "password": data["password"]},
        content_type="application/json",
    ).json()["token"]
    statuses: dict[int, int] = {}
    for who, path in mix(data["samples"], data["service"], data["case"], 200):
        client = session if who == "session" else anon
        headers = {"Authorization": f"Bearer {token}"} if who == "token" else {}
        status = client.get(path, headers=headers).status_code
        statuses[status] = statuses.get(status, 0) + 1
    print(json.dumps({"heavy": loaded_heavy(), "statuses": statuses}))


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    assert match is not None
    return int(match.group(1)) / 1024


def workers_of(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    ).stdout
    return [int(p) for p in out.split()]


def serve_and_measure(args) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench import cases_bench as harness
    from bench import lists_bench

    harness.PORT = args.port
    root = harness.ROOT
    harness.OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "yichuang.localkeys"], cwd=root, check=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{harness.OUT / f'progress-{args.n}.sqlite3'}",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PYTHONPATH": str(root),
        "DJANGO_SETTINGS_MODULE": "yichuang.settings",
    }
    # The database of bench/progress_bench.py (generated there when missing).
    from bench import progress_bench

    samples = progress_bench.prepare(
        argparse.Namespace(db="sqlite", n=args.n, fresh=False, database=""), env
    )[:200]
    code = (
        "import django, json; django.setup();"
        "from yichuang.catalog.models import Service; from yichuang.cases.models import Case;"
        "s = Service.objects.filter(is_active=True).order_by('code').first();"
        "c = Case.objects.filter(department__code='jwc').order_by('-pk').first();"
        "print(json.dumps({'service': s.code, 'case': c.number}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, check=True, capture_output=True, text=True
    )
    found = json.loads(out.stdout.strip().splitlines()[-1])
    cookie = lists_bench.session_cookie(env)
    figures: list[list[float]] = []
    for r in range(args.rounds):
        proc = harness.serve(env)
        try:
            token = harness.token()
            requests = mix(samples, found["service"], found["case"], args.requests)
            statuses: dict[int, int] = {}
            started = time.time()
            for who, path in requests:
                headers = {}
                if who == "session":
                    headers["Cookie"] = f"sessionid={cookie}"
                elif who == "token":
                    headers["Authorization"] = f"Bearer {token}"
                req = urllib.request.Request(f"http://127.0.0.1:{args.port}{path}", headers=headers)
                try:
                    with urllib.request.urlopen(req, timeout=60) as response:
                        response.read()
                        status = response.status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                statuses[status] = statuses.get(status, 0) + 1
            sizes = [rss_mib(pid) for pid in workers_of(proc.pid)]
            figures.append(sizes)
            print(
                f"  round {r + 1}: {len(requests)} requests in {time.time() - started:.0f}s "
                f"(statuses {statuses}); worker RSS " + ", ".join(f"{s:.0f} MiB" for s in sizes),
                flush=True,
            )
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
    every = [s for sizes in figures for s in sizes]
    print(
        f"  median worker RSS after {args.requests} mixed requests: "
        f"{statistics.median(every):.0f} MiB (max {max(every):.0f})",
        flush=True,
    )
    env_file = harness.OUT / "worker_memory_mix.json"
    env_file.write_text(json.dumps({"samples": samples, "password": harness.PASSWORD, **found}))
    out = subprocess.run(
        [sys.executable, __file__, "--in-process", str(env_file)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode == 0:
        print(f"  heavy libraries the mix imported (one process): {out.stdout.strip()}")
    else:
        print(out.stderr[-2000:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--in-process", default="")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--n", type=int, default=10000)
    args = parser.parse_args()
    if args.in_process:
        in_process(Path(args.in_process))
    elif args.serve:
        serve_and_measure(args)
    else:
        at_start()


if __name__ == "__main__":
    main()
