from django.urls import path

from xieshang.consultations import views

app_name = "consultations"
urlpatterns = [
    path("c/<slug:code>/consultations/", views.topics_public, name="public"),
    path("work/consultations/", views.topics, name="list"),
    path("work/consultations/new/", views.topic_new, name="new"),
    path("work/consultations/<int:pk>/", views.topic_detail, name="detail"),
    path("work/consultations/<int:pk>/edit/", views.topic_edit, name="edit"),
    path("work/consultations/<int:pk>/events/", views.meeting_add, name="meeting_add"),
    path("work/consultations/<int:pk>/opinions/", views.opinion_add, name="opinion_add"),
    path("work/consultations/<int:pk>/act/", views.topic_act, name="act"),
    path("work/consultations/<int:pk>/opinions.docx", views.topic_document, name="document"),
    path("work/consultations/opinions/<int:pk>/send/", views.opinion_send, name="opinion_send"),
    path("work/consultations/sign-in/<str:token>/", views.sign_in, name="sign_in"),
    path("work/consultations/events/<int:pk>/", views.meeting_detail, name="meeting"),
    path("work/consultations/events/<int:pk>/invite/", views.meeting_invite, name="invite"),
    path("work/consultations/events/<int:pk>/change/", views.meeting_change, name="meeting_change"),
    path("work/consultations/events/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("work/consultations/invitations/", views.my_invitations, name="my_invitations"),
    path(
        "work/consultations/invitations/<int:pk>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "work/consultations/invitations/<int:pk>/answer/",
        views.invitation_answer,
        name="invitation_answer",
    ),
    path("invitation/<str:token>/", views.invitation_public, name="invitation"),
    path("work/consultations/sent/", views.sendings, name="sendings"),
    path("work/consultations/sent/<int:pk>/", views.sending_detail, name="sending"),
    path("work/consultations/sent/<int:pk>/act/", views.sending_act, name="sending_act"),
]
