from django.conf import settings
from django.urls import include, path

from gongshang.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/", include("gongshang.accounts.urls")),
    path("core/", include("gongshang.core.urls")),
    path("registry/", include("gongshang.registry.urls")),
    path("quick-reports/", include("gongshang.quickreports.urls")),
    path("benefits/", include("gongshang.benefits.urls")),
    path("recognition/", include("gongshang.recognition.urls")),
    path("cases/", include("gongshang.cases.urls")),
    path("appraisal/", include("gongshang.appraisal.urls")),
    path("medical/", include("gongshang.medical.urls")),
    path("service/", include("gongshang.service.urls")),
    path("exchange/", include("gongshang.integrations.urls")),
    path("v/", include("gongshang.core.documents.public_urls")),
    path("captcha/", include("captcha.urls")),
    path("", include("gongshang.web.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "gongshang.web.views.bad_request"
handler403 = "gongshang.web.views.permission_denied"
handler404 = "gongshang.web.views.not_found"
handler500 = "gongshang.web.views.server_error"
