"""服务 pages: each area's module lists its own paths (views/<area>.py: urlpatterns)."""

app_name = "service"
urlpatterns = []
