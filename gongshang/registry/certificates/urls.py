"""证明打印, included under /registry/certificates/ in the `registry` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.certificates, name="certificates"),
    path("employer/", views.certificate_employer, name="certificate_employer"),
    path("person/", views.certificate_person, name="certificate_person"),
    path("change-report/", views.change_report, name="change_report"),
    path("issued/<int:pk>/", views.certificate_issued, name="certificate_issued"),
    path("issued/<int:pk>/file.pdf", views.certificate_file, name="certificate_file"),
]
