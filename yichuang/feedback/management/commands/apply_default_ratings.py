from django.core.management.base import BaseCommand

from yichuang.feedback import limits
from yichuang.feedback.services import apply_default_ratings


class Command(BaseCommand):
    help = (
        "Give completed cases nobody rated the hall's default rating after the configured delay "
        "(FEEDBACK_DEFAULT_RATING_DAYS, FEEDBACK_DEFAULT_RATING_LEVEL). Safe to run from cron "
        "as often as you like."
    )

    def handle(self, *args, **options):
        made = apply_default_ratings()
        self.stdout.write(
            f"默认评价 {made} 件（{limits.default_rating_days()} 天未评价的办结件，"
            f"等级 {limits.default_rating_level()}）"
        )
