from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongshang.integrations"
    verbose_name = "数据交换（税务、民政、公安、卫健、省级系统）"

    def ready(self):
        # Each partner's adapter registers itself for its (partner, kind) on import.
        from . import adapters  # noqa: F401
