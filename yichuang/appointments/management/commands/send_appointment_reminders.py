from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ...services import send_reminders


class Command(BaseCommand):
    help = (
        "预约前一天晚上提醒：给明天已预约、尚未提醒过的申请人发短信。"
        "每天傍晚由 cron 运行（可多次运行，同一预约只提醒一次）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="on", help="按这一天计算“明天”（YYYY-MM-DD，默认今天）")

    def handle(self, *args, on=None, **options):
        try:
            today = date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{on}") from exc
        sent = send_reminders(today=today)
        for a in sent:
            self.stdout.write(f"{a.number}\t{a.day}\t{a.start:%H:%M}\t{a.group.name}")
        self.stdout.write(f"已提醒 {len(sent)} 个预约 / {len(sent)} reminders sent")
