"""Employer hall (单位网厅) and staff roster pages; sub-topics include their own urls."""

from django.urls import include, path

app_name = "registry"
urlpatterns = [
    path("imports/", include("gongshang.registry.imports.urls")),
    path("certificates/", include("gongshang.registry.certificates.urls")),
]
