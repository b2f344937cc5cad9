"""Push under load (issue 18): 400 connected pages — hall screens and applicants' phones on
their ticket pages — each holding a server-sent-events stream, served as a deployment serves
them (gunicorn with uvicorn workers, DEBUG off, Redis pub/sub between the workers).

    .venv/bin/python bench/push_bench.py                      # SQLite in bench/out/, 2 workers
    .venv/bin/python bench/push_bench.py --clients 400 --screens 8 --calls 20 --interval 3
    .venv/bin/python bench/push_bench.py --db postgres        # yichuang_bench_push on 127.0.0.1

The demo hall (7 queues, one window each) with one waiting ticket per phone (392 over the 7
queues: 56 phones a queue) and 8 screens.

Measures
- call-to-screen latency: a window's client presses "next" (POST /api/v1/windows/N/call-next
  as the hall office; the clock starts before the request is sent) every --interval seconds,
  round the queues. Each page the call concerns — every screen, and the phones of the called
  queue — receives an event ("event"), then fetches its fragment as core/js/push.js does:
  "now" (30 ms later) for the screens and the phone whose ticket was called ("shown now":
  the call-to-screen latency), "later" (30 ms + up to 3 s at random, data-push-spread) for
  the other phones of the queue, whose "ahead" count changed ("shown later"). p50/p95/max
  over every page and call; each screen's fragment is checked to show the called number.
- the throughput of another page (`wrk -t2 -c32 -d<seconds>s` on --page, /api/v1/services by
  default) with no stream open and with the 400 streams open and idle (heartbeats), taken
  alternately --rounds times (medians compared), then with the streams open while a call is
  made every --busy-interval seconds.

The machine's 2 cores serve the workers, Redis, this script's 400 clients and wrk at once —
and, where this was written, other people's work: the figures are of that shared machine.
They go to bench/out/push.json; the exit status is 1 when a p95 is 1 s or more.
"""

import argparse
import asyncio
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from bench.cases_bench import PASSWORD, new_database  # noqa: E402

HOST = "127.0.0.1"
PHONE_SPREAD = 3.0  # seconds: data-push-spread="3000" on the ticket page ("later" events)
DELAY = 0.03  # push.js's coalescing delay
# wrk's keep-alive connections stay with the worker that accepted them: with 8, all of them
# sometimes land on one of the two workers and the rate halves (seen: 69 or 128 req/s in
# alternate rounds on a quiet machine), which drowns a 10% effect. --connections sets it.
CONNECTIONS = 32


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def prepare(env: dict, *, phones: int) -> dict:
    """Fresh database with the demo hall; `phones` waiting tickets over the demo's groups.
    Returns the tickets (id, code, group) and each group's window."""
    new_database(
        env["BENCH_DB"],
        sqlite_file=OUT / "push.sqlite3",
        pg_name="yichuang_bench_push",
        env=env,
    )
    code = f"""
import django, json; django.setup()
from yichuang.appointments import services
from yichuang.appointments.models import ServiceGroup
groups = list(ServiceGroup.objects.filter(is_active=True).prefetch_related("windows"))
tickets = []
for n in range({phones}):
    g = groups[n % len(groups)]
    t = services.issue_ticket(group=g)
    tickets.append([t.pk, t.code, g.code])
print(json.dumps({{"tickets": tickets,
    "windows": {{g.code: g.windows.all()[0].number for g in groups if g.windows.exists()}}}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def serve(env: dict, port: int, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "yichuang.asgi:application",
            "-k",
            "uvicorn_worker.UvicornWorker",
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2)
            return proc
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def token(port: int) -> str:
    req = urllib.request.Request(
        f"http://{HOST}:{port}/api/v1/auth/token",
        data=json.dumps({"username": "office1", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    return json.load(urllib.request.urlopen(req))["token"]


async def wrk(port: int, path: str, seconds: int) -> float:
    proc = await asyncio.create_subprocess_exec(
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        f"http://{HOST}:{port}{path}",
        stdout=asyncio.subprocess.PIPE,
    )
    out = (await proc.communicate())[0].decode()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"    ! {errors.group(1)} non-2xx responses", flush=True)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None:
        raise RuntimeError(f"wrk printed no rate:\n{out}")
    return float(rate.group(1))


async def get(port: int, path: str, headers: str = "") -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n{headers}\r\n".encode()
    )
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data.split(b" ", 2)[1]) if data else 0
    return status, data


class Page:
    """One connected page: its stream, and the fragment it fetches on each event."""

    def __init__(self, kind: str, stream: str, fragment: str, group: str | None, spread: float):
        self.kind, self.stream, self.fragment = kind, stream, fragment
        self.group, self.spread = group, spread
        self.events: list[tuple[float, bool]] = []
        self.shown: list[tuple[float, float, bytes, bool]] = []
        self.subscribed = asyncio.Event()
        self.pending: asyncio.Task | None = None

    async def run(self, port: int) -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(
            f"GET {self.stream} HTTP/1.1\r\nHost: {HOST}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        status = await reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"{self.stream}: {status!r}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        buffer = b""
        try:
            while True:
                size = int((await reader.readline()).strip() or b"0", 16)
                if size == 0:
                    return  # the stream's lifetime ended
                buffer += await reader.readexactly(size + 2)
                *blocks, buffer = buffer.replace(b"\r\n", b"\n").split(b"\n\n")
                for block in blocks:
                    if block.startswith(b":") or b"\n:" in block:
                        self.subscribed.set()
                    if b"event: queue" in block:
                        now = b"data: later" not in block
                        self.events.append((time.monotonic(), now))
                        if self.pending is None or self.pending.done():
                            self.pending = asyncio.create_task(
                                self.refresh(port, self.events[-1][0], now)
                            )
        finally:
            writer.close()

    async def refresh(self, port: int, heard: float, now: bool) -> None:
        await asyncio.sleep(DELAY + (0 if now else random.uniform(0, self.spread)))
        _status, body = await get(port, self.fragment, "HX-Request: true\r\nX-Background: 1\r\n")
        self.shown.append((heard, time.monotonic(), body, now))


async def call(port: int, tok: str, window: str) -> tuple[float, str | None]:
    started = time.monotonic()
    body = b""
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(
        (
            f"POST /api/v1/windows/{window}/call-next HTTP/1.1\r\nHost: {HOST}\r\n"
            f"Authorization: Bearer {tok}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    body = await reader.read()
    writer.close()
    payload = json.loads(body.split(b"\r\n\r\n", 1)[1] or b"{}")
    return started, (payload.get("ticket") or {}).get("number")


async def connect(args, port: int, data: dict) -> tuple[list[Page], list[asyncio.Task]]:
    screens = [
        Page("screen", "/queue/screen/events/", "/queue/screen/calls/", None, 0.0)
        for _ in range(args.screens)
    ]
    phones = [
        Page(
            "phone",
            f"/queue/ticket/{pk}/events/?c={code}",
            f"/queue/ticket/{pk}/?c={code}",
            group,
            PHONE_SPREAD,
        )
        for pk, code, group in data["tickets"][: args.clients - args.screens]
    ]
    pages = screens + phones
    tasks = []
    for page in pages:
        tasks.append(asyncio.create_task(page.run(port)))
        await asyncio.sleep(0.005)  # a hall's pages do not all connect in the same millisecond
    await asyncio.wait_for(asyncio.gather(*(p.subscribed.wait() for p in pages)), timeout=120)
    await asyncio.sleep(2)
    return pages, tasks


async def bench(args, port: int, data: dict) -> dict:
    """Throughput alone and with the streams open, alternately (`--rounds` times: the
    machine is shared, so each pair is taken close together and the medians compared); then
    the calls, with the last round's streams still open."""
    results: dict = {}
    path = args.page
    alone, idle = [], []
    for r in range(args.rounds):
        print(f"  round {r + 1}: throughput of {path}, no stream open …", flush=True)
        alone.append(await wrk(port, path, args.seconds))
        pages, tasks = await connect(args, port, data)
        print(f"  round {r + 1}: … with {len(pages)} streams open (idle)", flush=True)
        idle.append(await wrk(port, path, args.seconds))
        if r < args.rounds - 1:
            for t in tasks:
                t.cancel()
            await asyncio.sleep(2)
    results["rps_alone_rounds"] = alone
    results["rps_connected_idle_rounds"] = idle
    results["rps_alone"] = statistics.median(alone)
    results["rps_connected_idle"] = statistics.median(idle)
    screens = [p for p in pages if p.kind == "screen"]
    phones = [p for p in pages if p.kind == "phone"]

    tok = token(port)
    windows = data["windows"]
    order = list(windows)
    calls = []
    print(f"  {args.calls} calls, one every {args.interval}s …", flush=True)
    for n in range(args.calls):
        group = order[n % len(order)]
        started, number = await call(port, tok, windows[group])
        calls.append((started, group, number))
        await asyncio.sleep(args.interval)
    await asyncio.sleep(1.5)

    # Each page's first event after a call (and before the next) answers that call; the
    # fragment it then fetched is what the page shows. "now": the hall screens, and the phone
    # whose own ticket was called; "later": the other phones of the queue (ahead count).
    event_latency: list[float] = []
    now_shown: list[float] = []
    later_shown: list[float] = []
    screen_shown: list[float] = []
    wrong = 0
    bounds = [c[0] for c in calls] + [float("inf")]
    for k, (started, group, number) in enumerate(calls):
        until = bounds[k + 1]
        for page in pages:
            if page.kind == "phone" and page.group != group:
                continue
            got = [t for t, _now in page.events if started <= t < until]
            if not got:
                continue
            event_latency.append(got[0] - started)
            for heard, shown, body, now in page.shown:
                if heard != got[0]:
                    continue
                (now_shown if now else later_shown).append(shown - started)
                if page.kind == "screen":
                    screen_shown.append(shown - started)
                    if number and number.encode() not in body:
                        wrong += 1
    results.update(
        {
            "pages": len(pages),
            "screens": len(screens),
            "phones": len(phones),
            "calls": len(calls),
            "deliveries": len(event_latency),
            "event_p50_ms": 1000 * percentile(event_latency, 50),
            "event_p95_ms": 1000 * percentile(event_latency, 95),
            "event_max_ms": 1000 * max(event_latency, default=float("nan")),
            "shown_now_count": len(now_shown),
            "shown_now_p50_ms": 1000 * percentile(now_shown, 50),
            "shown_now_p95_ms": 1000 * percentile(now_shown, 95),
            "shown_now_max_ms": 1000 * max(now_shown, default=float("nan")),
            "screen_shown_p95_ms": 1000 * percentile(screen_shown, 95),
            "shown_later_count": len(later_shown),
            "shown_later_p50_ms": 1000 * percentile(later_shown, 50),
            "shown_later_p95_ms": 1000 * percentile(later_shown, 95),
            "screens_showing_another_number": wrong,
        }
    )

    print(f"  throughput, streams open, a call every {args.busy_interval}s …", flush=True)

    async def keep_calling():
        n = 0
        while True:
            group = order[n % len(order)]
            await call(port, tok, windows[group])
            n += 1
            await asyncio.sleep(args.busy_interval)

    caller = asyncio.create_task(keep_calling())
    results["rps_connected_busy"] = await wrk(port, path, args.seconds)
    caller.cancel()
    still = sum(1 for t in tasks if not t.done())
    results["streams_still_open"] = still
    for t in tasks:
        t.cancel()
    results["drop_idle_pct"] = 100 * (1 - results["rps_connected_idle"] / results["rps_alone"])
    results["drop_busy_pct"] = 100 * (1 - results["rps_connected_busy"] / results["rps_alone"])
    return results


def main() -> None:
    global CONNECTIONS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--screens", type=int, default=8)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between calls")
    parser.add_argument("--busy-interval", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--page", default="/api/v1/services", help="the page wrk measures")
    parser.add_argument("--seconds", type=int, default=6, help="each wrk run")
    parser.add_argument("--connections", type=int, default=CONNECTIONS, help="wrk's -c")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8098)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    CONNECTIONS = args.connections
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "yichuang.localkeys"], cwd=ROOT, check=True)
    database = (
        f"sqlite:///{OUT / 'push.sqlite3'}"
        if args.db == "sqlite"
        else "postgres://postgres@127.0.0.1:5432/yichuang_bench_push"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "BENCH_DB": args.db,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "yichuang.settings",
    }
    env.pop("REDIS_URL", None)
    print(f"== push, {args.db}, {args.clients} pages, {args.workers} workers", flush=True)
    data = prepare(env, phones=args.clients - args.screens)
    server_env = {**env, "REDIS_URL": args.redis} if args.redis else env
    proc = serve(server_env, args.port, args.workers)
    try:
        results = asyncio.run(bench(args, args.port, data))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    results.update({"db": args.db, "workers": args.workers, "redis": bool(args.redis)})
    (OUT / "push.json").write_text(json.dumps(results, indent=2))
    for name, value in results.items():
        shown = f"{value:.1f}" if isinstance(value, float) else value
        print(f"  {name:34} {shown}")
    ok = results["event_p95_ms"] < 1000 and results["shown_now_p95_ms"] < 1000
    print(f"  p95 < 1 s: {'yes' if ok else 'NO'}; idle drop {results['drop_idle_pct']:.1f}%")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
