"""服务 pages: each area's module lists its own paths (views/<area>.py: urlpatterns)."""

from .views import (
    cooperation,
    dashboard,
    knowledge,
    messages,
    prevention,
    ratings,
    settings,
    tickets,
    training,
    window,
)

app_name = "service"
urlpatterns = [
    *window.urlpatterns,
    *tickets.urlpatterns,
    *knowledge.urlpatterns,
    *settings.urlpatterns,
    *messages.urlpatterns,
    *ratings.urlpatterns,
    *prevention.urlpatterns,
    *training.urlpatterns,
    *cooperation.urlpatterns,
    *dashboard.urlpatterns,
]
