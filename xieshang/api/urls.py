from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from xieshang.api import open311, views
from xieshang.core.decorators import public

app_name = "api"
urlpatterns = [
    path("api/schema/", public(SpectacularAPIView.as_view()), name="schema"),
    path("api/v1/committees/", public(views.CommitteeList.as_view()), name="committees"),
    path(
        "api/v1/committees/<slug:code>/categories/",
        public(views.CategoryList.as_view()),
        name="categories",
    ),
    path(
        "api/v1/committees/<slug:code>/workrooms/",
        public(views.WorkroomList.as_view()),
        name="workrooms",
    ),
    path(
        "api/v1/committees/<slug:code>/suggestions/",
        public(views.SuggestionSubmit.as_view()),
        name="submit",
    ),
    path("api/v1/track/<str:code>/", public(views.Track.as_view()), name="track"),
    # Open311 GeoReport v2
    path(
        "open311/v2/discovery.json", public(open311.Discovery.as_view()), name="open311_discovery"
    ),
    path("open311/v2/services.json", public(open311.Services.as_view()), name="open311_services"),
    path(
        "open311/v2/services/<str:code>.json",
        public(open311.ServiceDefinition.as_view()),
        name="open311_service",
    ),
    path("open311/v2/requests.json", public(open311.Requests.as_view()), name="open311_requests"),
    path(
        "open311/v2/requests/<str:code>.json",
        public(open311.RequestDetail.as_view()),
        name="open311_request",
    ),
]
