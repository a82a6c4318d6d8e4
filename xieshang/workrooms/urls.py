from django.urls import path

from xieshang.workrooms import views

app_name = "workrooms"
urlpatterns = [
    # Citizens (public): the page behind the workroom's QR code.
    path("w/<slug:code>/", views.workroom_public, name="public"),
    # Workspace
    path("work/workrooms/", views.workroom_list_view, name="list"),
    path("work/workrooms/<int:pk>/", views.workroom_detail, name="detail"),
    path("work/workrooms/<int:pk>/transition/", views.workroom_transition_view, name="transition"),
    path("work/workrooms/standard/", views.standard_overview, name="standard"),
    path("work/workrooms/standard/install/", views.standard_install, name="standard_install"),
    path("work/workrooms/<int:pk>/standard/", views.workroom_evidence, name="evidence"),
    path(
        "work/workrooms/<int:pk>/standard/<int:item>/",
        views.evidence_record_view,
        name="evidence_record",
    ),
    path(
        "work/workrooms/evidence/<int:pk>/confirm/",
        views.evidence_confirm_view,
        name="evidence_confirm",
    ),
    path("work/workrooms/evidence/<int:pk>/photo/", views.evidence_photo, name="evidence_photo"),
]
