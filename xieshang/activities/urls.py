from django.urls import path

from xieshang.activities import views

app_name = "activities"
urlpatterns = [
    path("work/workrooms/activities/", views.activities, name="list"),
    path("work/workrooms/activities/export.xlsx", views.activities_export, name="export"),
    path("work/workrooms/activities/new/", views.activity_new, name="new"),
    path(
        "work/workrooms/activities/kinds/install/",
        views.activity_kinds_install,
        name="kinds_install",
    ),
    path("work/workrooms/activities/<int:pk>/", views.activity_detail, name="detail"),
    path("work/workrooms/activities/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("work/workrooms/activities/photos/<int:pk>/", views.activity_photo, name="photo"),
]
