"""Kernel pages, one sub-topic per package (each has its own urls.py without app_name)."""

from django.urls import include, path

app_name = "core"
urlpatterns = [
    path("calendar/", include("gongshang.core.workdays.urls")),
    path("outbox/", include("gongshang.core.notifications.urls")),
    path("audit/", include("gongshang.core.audit.urls")),
]
