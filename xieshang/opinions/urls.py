"""社情民意 addresses."""

from django.urls import path

from xieshang.opinions import views

app_name = "opinions"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/items.xlsx", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/instruction/", views.instruct, name="instruct"),
    path("<int:pk>/take-up/", views.take_up, name="take_up"),
    path("instructions/<int:pk>/scan/", views.instruction_scan, name="instruction_scan"),
    path(
        "instructions/<int:pk>/scan/attach/",
        views.instruction_scan_attach,
        name="instruction_scan_attach",
    ),
    path("issues/", views.issues, name="issues"),
    path("issues/new/", views.issue_new, name="issue_new"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("issues/<int:pk>/issue.docx", views.issue_word, name="issue_docx"),
    path("issues/<int:pk>/close/", views.issue_close, name="issue_close"),
]
