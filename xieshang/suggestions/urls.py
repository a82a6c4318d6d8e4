from django.urls import path, re_path

from xieshang.suggestions import views

app_name = "suggestions"
urlpatterns = [
    # Citizens (public)
    path("c/<slug:code>/suggest/", views.submit, name="submit"),
    path("c/<slug:code>/results/", views.results, name="results"),
    path("c/<slug:code>/follow/<str:token>/", views.follow, name="follow"),
    path("w/<slug:code>/suggest/", views.submit_at_workroom, name="submit_workroom"),
    path("campaign/<slug:code>/", views.submit_in_campaign, name="submit_campaign"),
    re_path(
        r"^w/(?P<code>[-\w]+)/poster\.(?P<fmt>png|svg|pdf)$",
        views.workroom_poster,
        name="workroom_poster",
    ),
    re_path(
        r"^campaign/(?P<code>[-\w]+)/poster\.(?P<fmt>png|svg|pdf)$",
        views.campaign_poster,
        name="campaign_poster",
    ),
    path("t/", views.track_lookup, name="track_lookup"),
    path("t/<str:code>/", views.track, name="track"),
    path("t/<str:code>/qr.svg", views.track_qr, name="track_qr"),
    # Workspace
    path("work/suggestions/", views.inbox, name="inbox"),
    path("work/suggestions/offered/", views.offered, name="offered"),
    path("work/suggestions/<int:pk>/", views.detail, name="detail"),
    path("work/suggestions/<int:pk>/act/", views.act, name="act"),
    path("work/suggestions/<int:pk>/category/", views.categorise, name="categorise"),
    path("work/suggestions/<int:pk>/contact/", views.reveal_contact, name="reveal_contact"),
    path("work/photos/<int:pk>/", views.photo, name="photo"),
    path("work/photos/<int:pk>/preview/", views.photo_preview, name="photo_preview"),
    path("work/suggestions/export.xlsx", views.export, name="export"),
    path("work/suggestions/new/", views.enter, name="enter"),
    path("work/escalations/", views.escalations, name="escalations"),
    path("work/escalations/<int:pk>/", views.escalation_detail, name="escalation"),
    path("work/escalations/<int:pk>/act/", views.escalation_act, name="escalation_act"),
    path("work/referrals/", views.referrals, name="referrals"),
    path("work/referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("work/referrals/<int:pk>/act/", views.referral_act, name="referral_act"),
    path("work/referrals/<int:pk>/contact/", views.referral_contact, name="referral_contact"),
]
