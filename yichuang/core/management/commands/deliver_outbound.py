from django.core.management.base import BaseCommand

from ...outbound.delivery import deliver_due


class Command(BaseCommand):
    help = (
        "发送到期的外发记录（省好差评平台、Webhook）：失败的按统一间隔重试，多次失败后停止重试，"
        "由大厅管理办公室在“外发记录”页重新发送。与 worker 的定时任务 sweep_outbound 相同；"
        "可随时运行，重复运行无害。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100, help="本次最多发送多少条")

    def handle(self, *args, limit=100, **options):
        done = deliver_due(limit=max(1, limit))
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(done.items())) or "0"
        self.stdout.write(f"外发记录 / outbound: {summary}")
