"""工伤医疗 pages: each area's module lists its own paths (views/<area>.py: urlpatterns)."""

from .views import (
    audits,
    catalogues,
    institutions,
    outliers,
    portal,
    referrals,
    remote,
    review,
    settings,
    statements,
)

app_name = "medical"
urlpatterns = [
    *institutions.urlpatterns,
    *catalogues.urlpatterns,
    *settings.urlpatterns,
    *portal.urlpatterns,
    *remote.urlpatterns,
    *referrals.urlpatterns,
    *review.urlpatterns,
    *statements.urlpatterns,
    *outliers.urlpatterns,
    *audits.urlpatterns,
]
