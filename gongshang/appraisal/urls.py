"""劳动能力鉴定 pages: each area's module lists its own paths (views/<area>.py: urlpatterns)."""

from .views import applicant, batches, conclusions, experts, public, staff

app_name = "appraisal"
urlpatterns = [
    *applicant.urlpatterns,
    *staff.urlpatterns,
    *batches.urlpatterns,
    *experts.urlpatterns,
    *conclusions.urlpatterns,
    *public.urlpatterns,
]
