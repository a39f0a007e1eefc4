"""Pages of the roster batch import, under /registry/imports/ in the `registry` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("new/", views.import_new, name="import_new"),
    path("template/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("<int:pk>/run/", views.import_run_now, name="import_run_now"),
    path("<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("<int:pk>/errors.xlsx", views.import_error_file, name="import_error_file"),
]
