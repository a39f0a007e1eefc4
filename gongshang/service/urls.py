"""服务 pages: each area's module lists its own paths (views/<area>.py: urlpatterns)."""

from .views import cooperation, dashboard

app_name = "service"
urlpatterns = [
    *cooperation.urlpatterns,
    *dashboard.urlpatterns,
]
