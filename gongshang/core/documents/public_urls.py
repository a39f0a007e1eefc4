"""Public verification of issued documents (no login): /v/<code>/."""

app_name = "verify"
urlpatterns = []
