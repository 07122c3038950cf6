"""The root URLconf: the top floor that composes all apps."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from . import two_factor_views, views
from .auth import LockoutAuthenticationForm

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LockoutAuthenticationForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path("accounts/two-factor/", two_factor_views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("accounts/two-factor/setup/", two_factor_views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("jobs/<uuid:pk>/", views.JobView.as_view(), name="job"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("branches.urls")),
    path("services/", include("services.urls")),
    path("development/", include("development.urls")),
    path("api/", include("anding.api_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "anding.errors.bad_request"
handler404 = views.page_not_found
handler500 = "anding.errors.server_error"

if settings.BENCH:  # the benchmark's bare reference page (make bench sets BENCH=1 for its own server only)
    from branches.views.bench import bare_members

    urlpatterns.append(path("bench/bare/", bare_members, name="bench_bare"))
