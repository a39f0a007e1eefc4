from django.urls import path

from .views import media, reporter, staff, supplement

app_name = "quickreports"
urlpatterns = [
    path("", reporter.start, name="start"),
    path("kind/", reporter.choose_kind, name="choose_kind"),
    path("new/<str:kind>/", reporter.report, name="report"),
    path("done/", reporter.done, name="done"),
    path("done/clear/", reporter.done_clear, name="done_clear"),
    path("supplement/", supplement.supplement_start, name="supplement_start"),
    path("supplement/<int:report_id>/", supplement.supplement, name="supplement"),
    path("inbox/", staff.inbox, name="inbox"),
    path("inbox/<int:report_id>/", staff.detail, name="inbox_detail"),
    path("inbox/<int:report_id>/<str:name>/", staff.action, name="inbox_action"),
    path("media/<int:media_id>/<str:variant>/", media.media_file, name="media"),
]
