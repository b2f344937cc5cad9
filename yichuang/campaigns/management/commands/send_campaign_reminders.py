from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ...reminders import LEAD_DAYS, send_reminders


class Command(BaseCommand):
    help = (
        "提醒尚未完成的人：自评未提交、整改未报送、候选人未申报、投票人未投票（截止前若干天）。"
        "每天由 cron 运行；同一提醒只发一次。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=LEAD_DAYS, help="截止前几天开始提醒（默认 %(default)s）"
        )
        parser.add_argument("--date", dest="on", help="按这一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, days, on=None, **options):
        try:
            today = date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{on}") from exc
        sent = send_reminders(today=today, lead_days=days)
        for owed in sent:
            self.stdout.write(f"{owed.kind}\t{owed.recipient.name}\t{owed.due_on}\t{owed.title}")
        self.stdout.write(f"已发送 {len(sent)} 条提醒 / {len(sent)} reminders sent")
