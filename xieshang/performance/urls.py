from django.urls import path

from xieshang.performance import views

app_name = "performance"
urlpatterns = [
    path("work/performance/", views.mine, name="mine"),
    path("work/performance/records/<int:pk>/", views.record, name="record"),
    path("work/performance/records/<int:pk>/record.docx", views.record_docx, name="record_docx"),
    path("work/performance/ranking/", views.ranking, name="ranking"),
    path("work/performance/ranking/export.xlsx", views.ranking_export, name="ranking_export"),
    path("work/performance/rules/", views.rules, name="rules"),
    path("work/performance/items/", views.items, name="items"),
    path("work/performance/items/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("work/performance/items/<int:pk>/evidence/", views.item_evidence, name="item_evidence"),
    path("work/performance/sessions/", views.sessions, name="sessions"),
    path("work/performance/sessions/<int:pk>/", views.session, name="session"),
    path(
        "work/performance/attendance/<int:pk>/",
        views.attendance_change,
        name="attendance_change",
    ),
    path("work/performance/below/", views.below, name="below"),
    path("work/performance/results/", views.results, name="results"),
    path("work/performance/results/<int:pk>/", views.result, name="result"),
    path("work/performance/plans/", views.plans, name="plans"),
    path("c/<slug:code>/livelihood/", views.results_public, name="results_public"),
]
