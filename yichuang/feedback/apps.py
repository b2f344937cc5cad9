from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "yichuang.feedback"
    label = "feedback"
    verbose_name = "评价、投诉与回访"
