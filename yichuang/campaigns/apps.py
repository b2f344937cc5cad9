from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "yichuang.campaigns"
    label = "campaigns"
    verbose_name = "创建活动与服务之星"
