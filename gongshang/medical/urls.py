"""工伤医疗 pages: each area's module lists its own paths (views/<area>.py: urlpatterns)."""

from .views import audits

app_name = "medical"
urlpatterns = [
    *audits.urlpatterns,
]
