from django.core.management.base import BaseCommand, CommandError

from yichuang.core.errors import DomainError
from yichuang.feedback.services import draw_visit_sample, previous_period


class Command(BaseCommand):
    help = (
        "Draw the month's follow-up visit sample (跟踪回访) for every department not drawn yet, "
        "by the sampling rules; the same seed and period always give the same cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="YYYY-MM; last month by default")
        parser.add_argument("--seed", help="random seed; settings.FEEDBACK_VISIT_SEED by default")

    def handle(self, *args, period=None, seed=None, **options):
        period = period or previous_period()
        try:
            samples = draw_visit_sample(period=period, seed=seed)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for s in samples:
            self.stdout.write(
                f"{period} {s.department.name}：办结 {s.population} 件，抽取 {s.visits.count()} 件"
            )
        self.stdout.write(f"{period} 新抽样 {len(samples)} 个部门")
