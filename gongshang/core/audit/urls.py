from django.urls import path

from . import views

# Included by gongshang/core/urls.py under audit/ in the "core" namespace.
urlpatterns = [
    path("", views.audit_list, name="audit_list"),
    path("pii/", views.pii_access_log, name="pii_access_list"),
]
