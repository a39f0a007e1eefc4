from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongshang.core"
    label = "core"
    verbose_name = "基础内核"
