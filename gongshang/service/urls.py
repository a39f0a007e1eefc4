"""服务 pages: each area's module lists its own paths (views/<area>.py: urlpatterns)."""

from .views import (
    messages,
    prevention,
)

app_name = "service"
urlpatterns = [
    *messages.urlpatterns,
    *prevention.urlpatterns,
]
