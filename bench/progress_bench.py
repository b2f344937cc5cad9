"""The applicant's progress page beside its API, same case, same harness (issue 18): the page
people reload most should serve at least 60% of what its API serves. Served the way a
deployment serves them (gunicorn, 2 sync workers, DEBUG off; bench/cases_bench.py's harness),
measured with wrk, each request a random case of a sample of 500 with its query code:

    page  GET /progress/<number>/?c=<query code>        (portal frame, HTML)
    API   GET /api/v1/cases/<number>?query_code=<code>   (JSON)

    .venv/bin/python bench/progress_bench.py                      # SQLite, 10k cases
    .venv/bin/python bench/progress_bench.py --db postgres --database yc_progress_10000
    ... --rounds 5 --seconds 10 --clients 8 --port 8099 --fresh

The database is generated once (bench/out/progress-N.sqlite3 or the PostgreSQL database
named, with bench/cases_data.py's cases) and kept; each run migrates it first. The rounds
alternate page and API so that other load on the machine falls on both alike; the figures
are the medians of the rounds, and the ratio is page ÷ API.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cases_bench as harness  # noqa: E402

ROOT = harness.ROOT
OUT = harness.OUT

LUA = """
local samples = {}
for pair in string.gmatch(os.getenv("SAMPLES"), "[^,]+") do table.insert(samples, pair) end
local page = os.getenv("PAGE") == "1"
request = function()
  local s = samples[math.random(#samples)]
  local number, code = s:match("([^:]+):([^:]+)")
  if page then
    return wrk.format("GET", "/progress/" .. number .. "/?c=" .. code)
  end
  return wrk.format("GET", "/api/v1/cases/" .. number .. "?query_code=" .. code)
end
"""


def prepare(args, env: dict) -> list:
    """The kept database and its lookup samples, generated when missing (or --fresh)."""
    samples_file = OUT / f"progress-{args.db}-{args.n}.samples.json"
    if args.fresh or not samples_file.exists():
        samples_file.unlink(missing_ok=True)
        harness.new_database(
            args.db,
            sqlite_file=OUT / f"progress-{args.n}.sqlite3",
            pg_name=args.database,
            env=env,
        )
        code = (
            "import django, json; django.setup();"
            "from bench.cases_data import generate_cases;"
            f"print(json.dumps(generate_cases({args.n})))"
        )
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        print(f"  generated {args.n} cases in {time.time() - started:.0f}s", flush=True)
        samples_file.write_text(out.stdout.strip().splitlines()[-1])
    else:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
    return json.loads(samples_file.read_text())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database", default="", help="PostgreSQL database name")
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=harness.PORT)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    args.database = args.database or f"yichuang_progress_{args.n}"
    harness.PORT = args.port
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "yichuang.localkeys"], cwd=ROOT, check=True)
    if args.db == "sqlite":
        url = f"sqlite:///{OUT / f'progress-{args.n}.sqlite3'}"
    else:
        url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "yichuang.settings",
    }
    print(f"== {args.db}, {args.n} cases, {args.clients} clients, {args.rounds} rounds", flush=True)
    samples = prepare(args, env)
    script = OUT / "progress.lua"
    script.write_text(LUA)
    wrk_env = {"SAMPLES": ",".join(f"{a}:{b}" for a, b in samples[:500])}
    proc = harness.serve(env)
    figures: dict[str, list[float]] = {"page": [], "api": []}
    try:
        # warm both workers (templates compiled, translations loaded) before timing
        harness.wrk(script, "/", 2, 2, {**wrk_env, "PAGE": "1"})
        harness.wrk(script, "/", 2, 2, {**wrk_env, "PAGE": "0"})
        for r in range(args.rounds):
            for name in ("page", "api"):
                rps = harness.wrk(
                    script,
                    "/",
                    args.clients,
                    args.seconds,
                    {**wrk_env, "PAGE": "1" if name == "page" else "0"},
                )
                figures[name].append(rps)
            print(
                f"  round {r + 1}: page {figures['page'][-1]:7.1f}  "
                f"API {figures['api'][-1]:7.1f} req/s",
                flush=True,
            )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
    page, api = statistics.median(figures["page"]), statistics.median(figures["api"])
    print(
        f"  median: page {page:.1f} req/s, API {api:.1f} req/s, page/API {page / api:.0%}",
        flush=True,
    )
    (OUT / f"progress-{args.db}-{args.n}.json").write_text(
        json.dumps({**figures, "median_page": page, "median_api": api}, indent=2)
    )


if __name__ == "__main__":
    main()
