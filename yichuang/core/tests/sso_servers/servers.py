"""Start a test identity provider as its own process: migrate its SQLite file, seed it, serve
it with runserver on a free port of SSO_TEST_PORTS (default 8601-8649), stop it afterwards."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from yichuang.core.tests import processes

ROOT = Path(__file__).resolve().parents[4]
PACKAGE = "yichuang.core.tests.sso_servers"
READY_ATTEMPTS = 200  # × 0.1 s: a start-up bound, not a timed assertion


def free_port() -> int:
    return processes.free_port("SSO_TEST_PORTS", "8601-8649")


@contextmanager
def running(kind: str, folder: Path, *seed_args: str):
    """Yield the base URL (http://127.0.0.1:PORT) of the `kind` ("cas" or "oidc") server."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"{PACKAGE}.{kind}_settings",
        "SSO_SERVER_DB": str(folder / f"{kind}.sqlite3"),
        "PYTHONPATH": str(ROOT),
    }
    python = sys.executable
    subprocess.run([python, "-m", "django", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [python, "-m", f"{PACKAGE}.seed", kind, *seed_args], env=env, cwd=ROOT, check=True
    )
    port = free_port()
    log = open(folder / f"{kind}.log", "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [python, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(READY_ATTEMPTS):
            if server.poll() is not None:
                raise RuntimeError(f"the {kind} server stopped: see {folder / f'{kind}.log'}")
            try:
                requests.get(base + "/", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"the {kind} server did not start: see {folder / f'{kind}.log'}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
