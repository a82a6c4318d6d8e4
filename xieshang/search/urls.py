from xieshang.search.views import urlpatterns

app_name = "search"
__all__ = ["urlpatterns"]
