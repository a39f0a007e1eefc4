from django.apps import AppConfig


class QuickReportsConfig(AppConfig):
    name = "gongshang.quickreports"
    label = "quickreports"
    verbose_name = "工伤快报"
