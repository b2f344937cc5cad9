from django.core.management.base import BaseCommand, CommandError

from yichuang.feedback.mailbox import import_mailbox


class Command(BaseCommand):
    help = (
        "Register each .eml message of DIR as a complaint or suggestion (by e-mail); messages "
        "already registered (same Message-ID) are skipped, so it can run from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a folder of .eml files")

    def handle(self, *args, directory, **options):
        from pathlib import Path

        if not Path(directory).is_dir():
            raise CommandError(f"不是文件夹：{directory}")
        result = import_mailbox(directory)
        for complaint in result.created:
            self.stdout.write(f"登记 {complaint.number} {complaint.subject}")
        for name, message in result.failed:
            self.stderr.write(f"未能登记 {name}：{message}")
        self.stdout.write(
            f"新登记 {len(result.created)} 件，已登记过 {result.duplicates} 件，"
            f"失败 {len(result.failed)} 件"
        )
