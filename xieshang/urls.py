from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from xieshang.core.decorators import public

admin.site.site_header = _("Xieshang administration")
admin.site.site_title = _("Xieshang")
admin.site.index_title = _("Records of your committee")

handler500 = "xieshang.core.views.server_error"

urlpatterns = [
    path("", include("xieshang.core.urls")),
    path("", include("xieshang.workspace.urls")),
    path("", include("xieshang.suggestions.urls")),
    path("", include("xieshang.workrooms.urls")),
    path("", include("xieshang.activities.urls")),
    path("", include("xieshang.performance.urls")),
    path("", include("xieshang.duty.urls")),
    path("", include("xieshang.proposals.urls")),
    path("", include("xieshang.consultations.urls")),
    path("", include("xieshang.search.urls")),
    path("", include("xieshang.insights.urls")),
    path("", include("xieshang.figures.urls")),
    path("", include("xieshang.api.urls")),
    path("work/people/", include("xieshang.people.urls")),
    path("work/opinions/", include("xieshang.opinions.urls")),
    path("work/research/", include("xieshang.research.urls")),
    path(
        "accounts/login/",
        public(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
