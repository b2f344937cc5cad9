import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

WORKERS = {
    # --no-reload: db_worker reloads on code changes by default when DEBUG is on, which can
    # stop a task half-way; a worker that runs the hall's SMS should not.
    "django_tasks_db.DatabaseBackend": ["db_worker", "--no-reload", "--queue-name", "default"],
    # RQ needs the Tasks API's job class; --with-scheduler runs the retries' deferred jobs.
    "django_tasks_rq.RQBackend": [
        "rqworker",
        "--job-class",
        "django_tasks_rq.Job",
        "--with-scheduler",
        "default",
    ],
}


class Command(BaseCommand):
    help = (
        "后台任务：启动任务队列的 worker（TASKS_BACKEND=database 时为 db_worker，rq 时为 rqworker）"
        "和定时任务调度（run_scheduler），任一退出则全部停止。`make worker` 运行它。"
        " / Run the task worker(s) and the scheduler until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers", type=int, default=1, help="worker 进程数（默认 1）/ worker processes"
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="scheduler",
            help="不启动调度（另有一处在运行时）/ without the scheduler",
        )

    def handle(self, *args, workers=1, scheduler=True, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend not in WORKERS:
            raise CommandError(
                f"TASKS_BACKEND 为 {backend}，任务在请求中直接执行，无需 worker。"
                "请设置 TASKS_BACKEND=database（或 rq）后再运行，网站进程也要用同一设置。"
                " / Tasks run inline with this backend: set TASKS_BACKEND=database or rq "
                "for both the web server and the worker."
            )
        if workers < 1:
            raise CommandError("--workers 至少为 1 / at least 1")
        manage = [sys.executable, os.path.join(settings.BASE_DIR, "manage.py")]
        commands = [manage + WORKERS[backend] for _ in range(workers)]
        if scheduler:
            commands.append(manage + ["run_scheduler"])
        # Their own session: a Ctrl-C reaches this process only, which stops each child once
        # (a second signal would make db_worker abandon the task it is running).
        children = [subprocess.Popen(c, start_new_session=True) for c in commands]
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"worker: {len(children)} processes ({backend})")
        self.stdout.flush()
        code = 0
        # One child ending (a crash, or a stop) ends them all: a supervisor (systemd, the
        # container) then restarts the whole, rather than a scheduler running without workers.
        while not stopping and all(c.poll() is None for c in children):
            time.sleep(0.5)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
            else:
                code = code or child.returncode
        for child in children:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if code and not stopping:
            raise CommandError(f"a worker process ended with exit code {code}")
