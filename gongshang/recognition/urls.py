from django.urls import path

from .views import applicant, staff

app_name = "recognition"
urlpatterns = [
    path("", applicant.my_list, name="my_list"),
    path("new/", applicant.new, name="new"),
    path("checklist/", applicant.checklist_preview, name="checklist_preview"),
    path("start/<int:case_id>/", applicant.start_from_case, name="start_from_case"),
    path("<int:pk>/", applicant.detail, name="detail"),
    path("<int:pk>/edit/", applicant.edit, name="edit"),
    path("<int:pk>/materials/", applicant.material_add, name="material_add"),
    path("<int:pk>/materials/<int:document_id>/", applicant.material_file, name="material_file"),
    path("<int:pk>/materials/<int:document_id>/remove/", applicant.material_remove, name="material_remove"),
    path("<int:pk>/documents/<int:document_id>/", applicant.document_file, name="document_file"),
    path("<int:pk>/documents/<int:document_id>/receive/", applicant.document_receive, name="document_receive"),
    path("<int:pk>/do/<str:name>/", applicant.action, name="action"),
    path("staff/", staff.queue, name="staff_unallocated"),
    path("staff/allocate/", staff.allocate_many, name="allocate_many"),
    path("staff/mine/", staff.queue, {"view": "mine"}, name="staff_mine"),
    path("staff/overdue/", staff.queue, {"view": "overdue"}, name="staff_overdue"),
    path("staff/list/<str:view>/", staff.queue, name="staff_queue"),
    path("staff/<int:pk>/", staff.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/reveal-id/", staff.reveal_id, name="staff_reveal_id"),
    path("staff/<int:pk>/<str:name>/", staff.staff_action, name="staff_action"),
]
