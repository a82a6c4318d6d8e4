from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from xieshang.api import open311, views
from xieshang.core.decorators import public
from xieshang.core.replica import replica_reads

app_name = "api"
# Lists and definitions may be read from the replica (core/replica.py); a suggestion just
# submitted (track, request detail) is read from the primary: API clients carry no pin
# cookie, so a replica a few milliseconds behind could miss it.
urlpatterns = [
    path("api/schema/", public(SpectacularAPIView.as_view()), name="schema"),
    path(
        "api/v1/committees/",
        public(replica_reads(views.CommitteeList.as_view())),
        name="committees",
    ),
    path(
        "api/v1/committees/<slug:code>/categories/",
        public(replica_reads(views.CategoryList.as_view())),
        name="categories",
    ),
    path(
        "api/v1/committees/<slug:code>/workrooms/",
        public(replica_reads(views.WorkroomList.as_view())),
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
        "open311/v2/discovery.json",
        public(replica_reads(open311.Discovery.as_view())),
        name="open311_discovery",
    ),
    path(
        "open311/v2/services.json",
        public(replica_reads(open311.Services.as_view())),
        name="open311_services",
    ),
    path(
        "open311/v2/services/<str:code>.json",
        public(replica_reads(open311.ServiceDefinition.as_view())),
        name="open311_service",
    ),
    path(
        "open311/v2/requests.json",
        public(replica_reads(open311.Requests.as_view())),
        name="open311_requests",
    ),
    path(
        "open311/v2/requests/<str:code>.json",
        public(open311.RequestDetail.as_view()),
        name="open311_request",
    ),
]
