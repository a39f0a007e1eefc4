"""服务 pages: each area's module lists its own paths (views/<area>.py: urlpatterns)."""

from .views import window

app_name = "service"
urlpatterns = [
    *window.urlpatterns,
]
