"""Research topic addresses."""

from django.urls import path

from xieshang.research import views

app_name = "research"
urlpatterns = [
    path("", views.topics, name="topics"),
    path("new/", views.topic_new, name="topic_new"),
    path("<int:pk>/", views.topic_detail, name="topic"),
    path("<int:pk>/report/", views.report_save, name="report_save"),
    path("<int:pk>/act/", views.report_act, name="report_act"),
    path("<int:pk>/instruction/", views.instruct, name="instruct"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("<int:pk>/material/", views.material_add, name="material_add"),
    path("<int:pk>/visit/", views.visit_add, name="visit_add"),
    path("<int:pk>/report.docx", views.report_word, name="report_docx"),
    path("materials/<int:pk>/file/", views.material_file, name="material_file"),
    path("instructions/<int:pk>/scan/", views.instruction_scan, name="instruction_scan"),
    path(
        "instructions/<int:pk>/scan/attach/",
        views.instruction_scan_attach,
        name="instruction_scan_attach",
    ),
]
