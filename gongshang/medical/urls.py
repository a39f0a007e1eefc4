"""工伤医疗 pages: each area's module lists its own paths (views/<area>.py: urlpatterns)."""

from .views import outliers, review, statements

app_name = "medical"
urlpatterns = [
    *review.urlpatterns,
    *statements.urlpatterns,
    *outliers.urlpatterns,
]
