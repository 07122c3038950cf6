"""URLs of the seven powers (mounted at powers/ in the `branches` namespace): the overview, a general branch's
powers, and the case pages of each power."""

from django.urls import path

from ..views import powers as views

urlpatterns = [
    path("", views.PowerOverviewView.as_view(), name="power_overview"),
    path("general/<int:pk>/", views.GeneralBranchPowersView.as_view(), name="power_general_branch"),
    *(url for pages in views.POWER_PAGES for url in pages.urls()),
]
