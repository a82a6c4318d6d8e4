from django.urls import path

from xieshang.workrooms import views

app_name = "workrooms"
urlpatterns = [
    path("work/workrooms/", views.workroom_list_view, name="list"),
    path("work/workrooms/<int:pk>/", views.workroom_detail, name="detail"),
    path("work/workrooms/<int:pk>/transition/", views.workroom_transition_view, name="transition"),
]
