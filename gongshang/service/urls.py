"""服务 pages: each area's module lists its own paths (views/<area>.py: urlpatterns)."""

from .views import prevention  # part E

app_name = "service"
urlpatterns = [
    *prevention.urlpatterns,  # part E
]
