"""数据交换 pages: each area's module lists its own paths (views/<area>.py: urlpatterns)."""

from .views import batches, contributions, deaths, eligibility, hospitals, identity, province

app_name = "integrations"
urlpatterns = [
    *batches.urlpatterns,
    *contributions.urlpatterns,
    *deaths.urlpatterns,
    *identity.urlpatterns,
    *eligibility.urlpatterns,
    *province.urlpatterns,
    *hospitals.urlpatterns,
]
