"""A real ASGI server for the tests of push (issue 18): `uvicorn yichuang.asgi:application`
started as another process against this test run's database (a file on SQLite: tests marked
`worker` get one, see conftest.py), with the same keys, on a free port of PUSH_TEST_PORTS
(default 8750-8799). And a small server-sent-events client reading a stream in a thread."""

import http.client
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.conf import settings

from . import processes
from .processes import child_environment

READY_SECONDS = 60  # a start-up bound, not a timed assertion


def free_port() -> int:
    return processes.free_port("PUSH_TEST_PORTS", "8750-8799")


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text()[-4000:]


@contextmanager
def running_asgi_server(folder: Path, **env_extra: str):

    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = child_environment(
        folder, **{"TASKS_BACKEND": "immediate", "PUSH_HEARTBEAT_SECONDS": "2", **env_extra}
    )
    if "REDIS_URL" not in env_extra:
        env.pop("REDIS_URL", None)  # the in-process broker unless the test asks for Redis
    log = folder / f"uvicorn-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "yichuang.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--lifespan",
                "off",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, port, log)
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            try:
                requests.get(f"{server.url}/healthz", timeout=5)
                break
            except requests.RequestException:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"uvicorn did not start:\n{server.output()}")
                time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Event:
    at: float  # time.monotonic() when it arrived
    id: str
    name: str
    data: str


@dataclass
class SseClient:
    """One EventSource, read line by line in a thread: `status`, then `events` as they come
    (heartbeat comments counted in `comments`)."""

    status: int = 0
    headers: dict = field(default_factory=dict)
    events: queue.Queue = field(default_factory=queue.Queue)
    comments: int = 0
    ended: threading.Event = field(default_factory=threading.Event)
    opened: threading.Event = field(default_factory=threading.Event)
    subscribed: threading.Event = field(default_factory=threading.Event)

    def next_event(self, timeout: float = 5) -> Event | None:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return None


@contextmanager
def event_stream(server_url: str, path: str, headers: dict | None = None):
    host, port = server_url.removeprefix("http://").split(":")
    client = SseClient()
    conn = http.client.HTTPConnection(host, int(port), timeout=30)

    def read():
        try:
            conn.request("GET", path, headers={"Accept": "text/event-stream", **(headers or {})})
            response = conn.getresponse()
            client.status, client.headers = response.status, dict(response.getheaders())
            client.opened.set()
            if response.status != 200:
                return
            fields: dict[str, str] = {}
            while True:
                raw = response.fp.readline()
                if not raw:
                    return
                line = raw.decode().rstrip("\n")
                if line.startswith(":"):
                    client.comments += 1
                    client.subscribed.set()  # the first comment comes once it listens
                elif line == "":
                    if "data" in fields:
                        client.events.put(
                            Event(
                                time.monotonic(),
                                fields.get("id", ""),
                                fields.get("event", "message"),
                                fields["data"],
                            )
                        )
                    fields = {}
                else:
                    name, _sep, value = line.partition(":")
                    fields[name] = value.removeprefix(" ")
        except OSError:
            return
        finally:
            client.opened.set()
            client.ended.set()

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        assert client.opened.wait(10), "the stream did not answer"
        if client.status == 200:
            assert client.subscribed.wait(10), "the stream did not start"
        yield client
    finally:
        try:
            if conn.sock is not None:
                conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        conn.close()
        thread.join(5)
