from django.urls import path

from . import views

# Included by gongshang/core/urls.py under outbox/ in the "core" namespace.
urlpatterns = [
    path("", views.outbox_list, name="outbox_list"),
    path("<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
]
