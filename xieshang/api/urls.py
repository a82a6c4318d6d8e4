from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from xieshang.api import views
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
]
