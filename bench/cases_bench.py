"""Cases under load, served the way a deployment serves them (gunicorn, 2 sync workers,
DEBUG off), measured with wrk at 1 and 8 concurrent clients.

    .venv/bin/python bench/cases_bench.py --db sqlite --n 10000
    .venv/bin/python bench/cases_bench.py --db postgres --n 100000
    .venv/bin/python bench/cases_bench.py --db postgres --only "create + accept" --clients 8

Measures: a trivial JSON view (the ceiling), the public progress lookup, case creation,
creation + acceptance, and the staff list with lights. Figures go to bench/out/.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PORT = 8099
PASSWORD = "bench-pass-2026"


def database_url(db: str, n: int) -> str:
    if db == "sqlite":
        path = OUT / f"bench-{n}.sqlite3"
        return f"sqlite:///{path}"
    return f"postgres://postgres@127.0.0.1:5432/yichuang_bench_{n}"


def new_database(db: str, *, sqlite_file: Path, pg_name: str, env: dict) -> None:
    """An empty database (the SQLite file and its WAL removed, or the PostgreSQL database
    dropped and created), migrated, with the demo hall and no history: what every benchmark
    generates its cases into. `env` carries the DATABASE_URL naming the same database."""
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(sqlite_file) + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(
            "postgres://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {pg_name}")
            conn.execute(f"CREATE DATABASE {pg_name}")
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [py, "manage.py", "seed_demo", "--password", PASSWORD, "--no-history"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(db: str, n: int, env: dict) -> list:
    """Fresh database, migrated, demo hall, n cases; returns lookup samples."""
    new_database(
        db,
        sqlite_file=OUT / f"bench-{n}.sqlite3",
        pg_name=f"yichuang_bench_{n}",
        env=env,
    )
    py = sys.executable
    code = (
        "import django, json; django.setup();"
        "from bench.cases_data import generate_cases;"
        f"print(json.dumps(generate_cases({n})))"
    )
    started = time.time()
    out = subprocess.run(
        [py, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    print(f"  generated {n} cases in {time.time() - started:.0f}s", flush=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def serve(env: dict) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-w",
            "2",
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "yichuang.wsgi",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def token() -> str:
    req = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/api/v1/auth/token",
        data=json.dumps({"username": "window1", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    return json.load(urllib.request.urlopen(req))["token"]


def wrk(script: Path | None, path: str, clients: int, seconds: int, env_vars: dict) -> float:
    cmd = ["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    cmd.append(f"http://127.0.0.1:{PORT}{path}")
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **env_vars}).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"    ! {errors.group(1)} non-2xx responses", flush=True)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None:
        raise RuntimeError(f"wrk printed no rate:\n{out}")
    return float(rate.group(1))


LUA = {
    "lookup": """
local samples = {}
for pair in string.gmatch(os.getenv("SAMPLES"), "[^,]+") do table.insert(samples, pair) end
request = function()
  local s = samples[math.random(#samples)]
  local number, code = s:match("([^:]+):([^:]+)")
  return wrk.format("GET", "/api/v1/cases/" .. number .. "?query_code=" .. code)
end
""",
    "create": """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = os.getenv("BODY")
""",
    "create_accept": """
local pending = nil
request = function()
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN")}
  if pending then
    local path = "/api/v1/cases/" .. pending .. "/accept"
    pending = nil
    return wrk.format("POST", path, headers, "")
  end
  return wrk.format("POST", "/api/v1/cases", headers, os.getenv("BODY"))
end
response = function(status, headers, body)
  if status == 201 then pending = body:match('"number": ?"([^"]+)"') end
end
""",
    "list": """
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
""",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--only", default="", help="run the measures whose name contains this")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "yichuang.localkeys"], cwd=ROOT, check=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(args.db, args.n),
        "DEBUG": "false",
        # plain HTTP on the loopback; keys from the environment or this checkout's .env.local
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "yichuang.settings",
    }
    print(f"== {args.db}, {args.n} cases", flush=True)
    samples = prepare(args.db, args.n, env)
    for name, body in LUA.items():
        (OUT / f"{name}.lua").write_text(body)
    proc = serve(env)
    results = {}
    try:
        tok = token()
        import django  # noqa: F401  (materials of the benchmark service come from the database)

        body = json.dumps(service_payload(env))
        wrk_env = {
            "TOKEN": tok,
            "BODY": body,
            "SAMPLES": ",".join(f"{a}:{b}" for a, b in samples[:500]),
        }
        for clients in args.clients:
            for name, script, path in [
                ("trivial JSON view", None, "/healthz"),
                ("progress lookup", OUT / "lookup.lua", "/"),
                ("create case", OUT / "create.lua", "/api/v1/cases"),
                ("create + accept (requests)", OUT / "create_accept.lua", "/"),
                (
                    "staff list with lights",
                    OUT / "list.lua",
                    "/api/v1/cases?status=accepted&page_size=50",
                ),
            ]:
                if args.only not in name:
                    continue
                rps = wrk(script, path, clients, args.seconds, wrk_env)
                results[f"{name} @{clients}"] = rps
                print(f"  {name:<28} {clients} client(s): {rps:8.1f} req/s", flush=True)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
    (OUT / f"cases-{args.db}-{args.n}.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False)
    )
    if shutil.which("nproc"):
        print("  cores:", subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip())


def service_payload(env) -> dict:
    code = (
        "import django, json; django.setup();"
        "from yichuang.catalog.models import Service;"
        "s = Service.objects.filter(kind='committed', is_active=True, department__code='jwc').order_by('code').first();"
        "print(json.dumps({'service': s.code, 'materials': [m.pk for m in s.materials.all()]}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "service": data["service"],
        "channel": "window",
        "applicant": {
            "name": "压测申请人",
            "id_number": "110101199003071233",
            "phone": "13812345678",
        },
        "materials": data["materials"],
    }


if __name__ == "__main__":
    main()
