from django.urls import path

from xieshang.figures import views

app_name = "figures"

urlpatterns = [
    path("work/figures/", views.dashboard, name="dashboard"),
    path("work/figures/records/", views.records, name="records"),
    path("work/figures/export.xlsx", views.export, name="export"),
    path("work/figures/report.docx", views.report, name="report"),
    path("work/figures/rates/", views.rates, name="rates"),
    path("work/figures/monthly/", views.monthly, name="monthly"),
    path("c/<slug:code>/figures/", views.public_figures, name="public"),
    path("w/<slug:code>/figures/", views.public_workroom_figures, name="public_workroom"),
    path("c/<slug:code>/figures/screen/", views.public_screen, name="screen"),
    path("w/<slug:code>/figures/screen/", views.public_workroom_screen, name="screen_workroom"),
]
