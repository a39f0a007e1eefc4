"""Employer hall (单位网厅) and staff roster pages; sub-topics include their own urls."""

from django.urls import include, path

from .views import changes, employers, hall, staff

app_name = "registry"
urlpatterns = [
    path("imports/", include("gongshang.registry.imports.urls")),
    path("certificates/", include("gongshang.registry.certificates.urls")),
    path("employer/", hall.employer_overview, name="employer_overview"),
    path("roster/", hall.roster, name="roster"),
    path("persons/", hall.person_search, name="person_search"),
    path("persons/<int:person_id>/", hall.person_detail, name="person_detail"),
    path("changes/", changes.change_list, name="change_list"),
    path("changes/new/", changes.change_new, name="change_new"),
    path("changes/<int:change_id>/edit/", changes.change_edit, name="change_edit"),
    path("changes/<int:change_id>/withdraw/", changes.change_withdraw, name="change_withdraw"),
    path("workbench/changes/", staff.staff_changes, name="staff_changes"),
    path("workbench/changes/decide/", staff.staff_changes_decide, name="staff_changes_decide"),
    path("workbench/changes/<int:change_id>/", staff.staff_change_detail, name="staff_change_detail"),
    path("workbench/changes/<int:change_id>/decide/", staff.staff_change_decide, name="staff_change_decide"),
    path("workbench/employers/", employers.employer_queue, name="staff_employers"),
    path("workbench/employers/<int:employer_id>/verify/", employers.employer_verify_view,
         name="staff_employer_verify"),
]
