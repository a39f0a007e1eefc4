"""劳动能力鉴定 pages."""

urlpatterns = []
