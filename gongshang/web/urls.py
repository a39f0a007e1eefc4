from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("workbench/", views.staff_home, name="staff_home"),
    path("employer/", views.employer_home, name="employer_home"),
    path("me/", views.individual_home, name="individual_home"),
    path("services/", views.services, name="services"),
    path("demo/", views.demo_guide, name="demo_guide"),
    path("guide/", views.guide, name="guide"),
]
