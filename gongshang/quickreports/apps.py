from django.apps import AppConfig


class QuickReportsConfig(AppConfig):
    name = "gongshang.quickreports"
    label = "quickreports"
    verbose_name = "工伤快报"

    def ready(self):
        from gongshang.core.notifications.templates import register_template

        from .notifications import TEMPLATES

        for code, (text, secret) in TEMPLATES.items():
            register_template(code, text, secret=secret)
