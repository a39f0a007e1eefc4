from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gongshang.web"
    label = "web"
    verbose_name = "页面"
