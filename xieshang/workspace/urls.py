from django.urls import path

from xieshang.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("c/<slug:code>/", views.committee_page, name="committee"),
    path("work/", views.home, name="home"),
]
