"""URLs of the branches app, one module per sub-topic, all in the `branches` namespace."""

from django.urls import include, path

from .organization import urlpatterns as organization_urls

app_name = "branches"

urlpatterns = [
    *organization_urls,
    path("meetings/", include("branches.urls.meetings")),
    path("tasks/", include("branches.urls.tasks")),
    path("reports/", include("branches.urls.reports")),
    path("powers/", include("branches.urls.powers")),
    path("recruitment/", include("branches.urls.recruitment")),
]
