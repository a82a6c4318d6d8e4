from xieshang.insights.views import urlpatterns

app_name = "insights"
__all__ = ["urlpatterns"]
