from django.urls import path

from xieshang.core import views

app_name = "core"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("c/<slug:code>/", views.committee_page, name="committee"),
    path("work/", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]
