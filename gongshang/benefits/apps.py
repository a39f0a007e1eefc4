from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "gongshang.benefits"
    label = "benefits"
    verbose_name = "工伤待遇"
