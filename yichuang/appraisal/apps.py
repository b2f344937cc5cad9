from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "yichuang.appraisal"
    label = "appraisal"
    verbose_name = "监督考评"
