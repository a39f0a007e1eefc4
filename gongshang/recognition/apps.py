from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "gongshang.recognition"
    label = "recognition"
    verbose_name = "工伤认定"

    def ready(self):
        from . import notifications

        notifications.register()
