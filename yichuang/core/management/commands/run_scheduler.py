import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from ...scheduler import enqueue_due, schedule_table


class Command(BaseCommand):
    help = (
        "定时任务调度：按 yichuang/schedule.py 的时间表把到点的定时任务放入任务队列，每个时段只放一次"
        "（多个调度进程同时运行或重启也不重复）。`make worker` 会启动它。"
        " / Enqueue the scheduled jobs at their times, once per slot."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只检查一次后退出 / one pass")
        parser.add_argument("--list", action="store_true", help="列出时间表 / show the table")
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="检查间隔秒数（默认 SCHEDULER_INTERVAL）/ seconds between passes",
        )

    def handle(self, *args, once=False, list=False, interval=None, **options):
        jobs = schedule_table()
        if list:
            for job in jobs:
                self.stdout.write(f"{job.name}\t{job.when}\t{job.task.module_path}")
            return
        interval = interval if interval is not None else settings.SCHEDULER_INTERVAL
        self.running = True
        if not once:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
            self.stdout.write(f"scheduler: {len(jobs)} jobs, checking every {interval:g}s")
        while True:
            close_old_connections()
            for job, slot in enqueue_due(jobs):
                self.stdout.write(
                    f"{timezone.localtime():%Y-%m-%d %H:%M:%S} enqueued {job.name} for {slot:%Y-%m-%d %H:%M}"
                )
            self.stdout.flush()
            if once or not self.running:
                return
            slept = 0.0
            while self.running and slept < interval:  # wakes up soon after a stop
                time.sleep(min(1.0, interval - slept))
                slept += 1.0
            if not self.running:
                return

    def _stop(self, signum, frame):
        self.running = False
