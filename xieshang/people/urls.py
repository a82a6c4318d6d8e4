from django.urls import path

from xieshang.people import views

app_name = "people"
urlpatterns = [
    path("members/", views.member_list_view, name="members"),
    path("departments/", views.department_list_view, name="departments"),
]
