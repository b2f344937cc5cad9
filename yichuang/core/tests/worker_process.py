"""A real worker process for the tests (test_worker.py, test_worker_rq.py): `manage.py
run_worker --no-scheduler` against this test run's database, with the same keys, and a
switchable SMS gateway."""

import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from yichuang.core.tests.gateways import DOWN_FILE_ENV

from .processes import child_environment

PATIENCE = 180  # seconds: far more than a worker needs, even on a busy machine
RETRY = {"RETRY_MAX_ATTEMPTS": "2", "RETRY_BASE_SECONDS": "0.5", "RETRY_MAX_SECONDS": "1"}


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path, down_file: Path):
        self.process, self.log, self.down_file = process, log, down_file

    def eventually(self, check, what: str):
        """Poll `check` until it returns something true; fail (with the worker's output) if
        the worker has not done `what` after PATIENCE seconds or has died."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        pytest.fail(f"the worker did not {what}; its output:\n{self.log.read_text()[-4000:]}")


@contextmanager
def running_worker(folder: Path, **env_extra: str):
    down_file = folder / "sms-gateway-down"
    env = child_environment(
        folder,
        **{
            **RETRY,
            "TASKS_BACKEND": "database",
            "SMS_BACKEND": "yichuang.core.tests.gateways.SwitchedGateway",
            DOWN_FILE_ENV: str(down_file),
            "LOG_LEVEL": "INFO",
            **env_extra,
        },
    )
    log = folder / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--no-scheduler"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Worker(process, log, down_file)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def use_retry_settings(settings) -> None:
    """This process's retry settings, as the worker's (for a resend made here)."""
    for name, value in RETRY.items():
        setattr(settings, name, float(value) if "SECONDS" in name else int(value))
