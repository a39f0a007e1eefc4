from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gongshang.api"
    label = "api"
    verbose_name = "接口"
