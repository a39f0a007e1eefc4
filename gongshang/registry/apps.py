from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "gongshang.registry"
    label = "registry"
    verbose_name = "参保登记"
