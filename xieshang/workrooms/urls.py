from django.urls import path

from xieshang.workrooms import views

app_name = "workrooms"
urlpatterns = [
    path("", views.workroom_list_view, name="list"),
    path("<int:pk>/", views.workroom_detail, name="detail"),
    path("<int:pk>/transition/", views.workroom_transition_view, name="transition"),
]
