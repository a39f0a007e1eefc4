"""节假日维护 pages, included under /core/calendar/ in the "core" namespace (no app_name here)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.calendar_overrides, name="calendar_overrides"),
    path("overrides/", views.override_save, name="calendar_override_save"),
    path("overrides/<str:day>/delete/", views.override_delete, name="calendar_override_delete"),
    path("years/", views.year_save, name="calendar_year_save"),
]
