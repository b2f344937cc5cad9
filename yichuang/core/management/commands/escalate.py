from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ...escalation import send_reminders


class Command(BaseCommand):
    help = (
        "自动督办：办件亮黄牌提醒经办人，亮红牌提醒经办人、科室负责人和大厅管理办公室；"
        "差评回访和投诉建议超期提醒大厅管理办公室。可由 cron 随时运行；同一提醒只发一次。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="on", help="按这一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, on=None, **options):
        try:
            today = date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{on}") from exc
        sent = send_reminders(today=today)
        for r in sent:
            self.stdout.write(f"{r.kind}\t{r.staff.display_name}\t{r.due}\t{r.about}")
        self.stdout.write(f"已发送 {len(sent)} 条督办提醒 / {len(sent)} reminders sent")
