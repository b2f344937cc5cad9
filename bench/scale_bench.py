"""What a request costs as the hall's history grows: 100k, 1M and 10M cases on PostgreSQL, side
by side (issue 18). Each cost should follow the work asked for (one case, one page, one
period), not the table: each within 25% of its 100k figure.

    .venv/bin/python bench/scale_bench.py                      # 100k, 1M, 10M (generated once)
    .venv/bin/python bench/scale_bench.py --sizes 100000 1000000 --repeat 15
    .venv/bin/python bench/scale_bench.py --fresh              # generate the databases again
    .venv/bin/python bench/scale_bench.py --checkout /path/to/other/checkout --label main

Databases yc_bench_100k, yc_bench_1m, yc_bench_10m (bench/scale_data.py: made by PostgreSQL
with generate_series, four years of a hall, the work in hand the same at every size, with as
many inquiries as cases and complaints about 0.2% of them — added to a database generated
before they were, `generate_inquiries`, `generate_complaints`), kept between runs and
migrated to the checkout's schema first; the figures' daily summary is then counted where it
is not (`manage.py refresh_figures`, every day the first time).

Timed in one process per size (Django's test client, DEBUG off, warm: one untimed request
first), median of --repeat requests, milliseconds from the request to the rendered answer:
- public lookup: GET /api/v1/cases/<number>?query_code=… for a different case each time;
- case creation: POST /api/v1/cases as window1 (token);
- staff list: /cases/ledger/ (the case list page) as the hall office, who sees every case,
  and the API's unfiltered list GET /api/v1/cases?page_size=50;
- month and year figures: the appraisal dashboard /appraisal/?preset=month|year as the hall
  office (the figures by department and the previous period for the comparison, rendered).
Figures go to bench/out/scale-<label>.json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PASSWORD = "bench-pass-2026"
NAMES = {100_000: "100k", 1_000_000: "1m", 10_000_000: "10m"}


def db_name(n: int) -> str:
    return f"yc_bench_{NAMES.get(n, n)}"


def env_for(n: int, checkout: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name(n)}",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "PYTHONPATH": str(checkout),
        "DJANGO_SETTINGS_MODULE": "yichuang.settings",
    }


def exists(n: int) -> bool:
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        found = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name(n)]).fetchone()
    if not found:
        return False
    with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{db_name(n)}") as c:
        try:
            row = c.execute("SELECT count(*) FROM cases_case").fetchone()
            return row is not None and row[0] >= n
        except psycopg.Error:
            return False


def prepare(n: int, fresh: bool) -> None:
    env = env_for(n, ROOT)
    if fresh or not exists(n):
        from bench.cases_bench import new_database

        new_database("postgres", sqlite_file=OUT / "unused", pg_name=db_name(n), env=env)
        _generate(env, f"generate({n})")
    if not has_inquiries(n):  # a database generated before they were
        _generate(env, "generate_inquiries()")
        _generate(env, "generate_complaints()")


def _generate(env: dict, call: str) -> None:
    code = (
        "import django, json; django.setup(); from bench import scale_data;"
        f"print(json.dumps(scale_data.{call}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, text=True, capture_output=True
    )
    print(f"  {call}: {out.stdout.strip().splitlines()[-1]}", flush=True)


def has_inquiries(n: int) -> bool:
    import psycopg

    with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{db_name(n)}") as c:
        row = c.execute("SELECT 1 FROM inquiries_inquiry WHERE number LIKE 'BZX%' LIMIT 1")
        return row.fetchone() is not None


def migrate(n: int, checkout: Path) -> None:
    py, env = sys.executable, env_for(n, checkout)
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=checkout, env=env, check=True)
    if (checkout / "yichuang" / "appraisal" / "summary.py").exists():
        started = time.time()
        subprocess.run([py, "manage.py", "refresh_figures"], cwd=checkout, env=env, check=True)
        print(f"  summary counted in {time.time() - started:.0f}s", flush=True)


MEASURE = r"""
import json, random, statistics, sys, time
import django
django.setup()
from django.test import Client
from yichuang.cases.models import Case
from yichuang.catalog.models import Service
from yichuang.org.models import Staff

repeat = int(sys.argv[1])
password = sys.argv[2]
office = Client()
office.force_login(Staff.objects.get(username="office1"))
api = Client()
token = api.post("/api/v1/auth/token", {"username": "window1", "password": password},
                 content_type="application/json").json()["token"]
auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
office_api = Client()
office_token = office_api.post("/api/v1/auth/token", {"username": "office1", "password": password},
                               content_type="application/json").json()["token"]
office_auth = {"HTTP_AUTHORIZATION": f"Bearer {office_token}"}
top = Case.objects.order_by("-id").values_list("id", flat=True).first()
rng = random.Random(7)
samples = []
while len(samples) < repeat + 1:
    row = Case.objects.filter(pk=rng.randrange(1, top)).values_list("number", "query_code").first()
    if row:
        samples.append(row)
s = Service.objects.filter(kind="committed", is_active=True, department__code="jwc").order_by("code").first()
body = json.dumps({"service": s.code, "channel": "window",
    "applicant": {"name": "压测申请人", "id_number": "110101199003071233", "phone": "13812345678"},
    "materials": [m.pk for m in s.materials.all()]})

def timed(fn):
    fn(0)
    runs = []
    for i in range(1, repeat + 1):
        t = time.perf_counter()
        fn(i)
        runs.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(runs), 1)

def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:300])

results = {
    "public lookup": timed(lambda i: ok(Client().get(
        f"/api/v1/cases/{samples[i][0]}?query_code={samples[i][1]}"))),
    "case creation": timed(lambda i: ok(api.post("/api/v1/cases", body,
        content_type="application/json", **auth), 201)),
    "staff list /cases/ledger/": timed(lambda i: ok(office.get("/cases/ledger/"))),
    "staff list API (unfiltered)": timed(lambda i: ok(office_api.get(
        "/api/v1/cases?page_size=50", **office_auth))),
    "month figures /appraisal/?preset=month": timed(lambda i: ok(office.get("/appraisal/?preset=month"))),
    "year figures /appraisal/?preset=year": timed(lambda i: ok(office.get("/appraisal/?preset=year"))),
}
print(json.dumps(results))
"""


def measure(n: int, checkout: Path, repeat: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(repeat), PASSWORD],
        cwd=checkout,
        env=env_for(n, checkout),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=list(NAMES))
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--rounds", type=int, default=3, help="runs per size; medians kept")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    table: dict[int, dict] = {}
    for n in args.sizes:
        print(f"== {n:,} cases ({db_name(n)})", flush=True)
        prepare(n, args.fresh)
        migrate(n, args.checkout)
        rounds = [measure(n, args.checkout, args.repeat) for _ in range(args.rounds)]
        table[n] = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
        for k, v in table[n].items():
            print(f"  {k:<40} {v:8.1f} ms", flush=True)
    first = args.sizes[0]
    header = f"{'ms (median)':<40}" + "".join(f"{NAMES.get(n, n):>10}" for n in args.sizes)
    print("\n" + header + f"{'max/' + NAMES.get(first, str(first)):>12}")
    for k in table[first]:
        cells = "".join(f"{table[n][k]:>10.1f}" for n in args.sizes)
        worst = max(table[n][k] for n in args.sizes) / table[first][k]
        print(f"{k:<40}{cells}{worst:>11.0%}")
    label = f"-{args.label}" if args.label else ""
    (OUT / f"scale{label}.json").write_text(json.dumps(table, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
