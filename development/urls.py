"""URLs of the development app, in the `development` namespace (mounted at development/)."""

from django.urls import path

from . import views

app_name = "development"

urlpatterns = [
    path("", views.PairingListView.as_view(), name="pairing_list"),
    path("pairings/add/", views.PairingAddView.as_view(), name="pairing_add"),
    path("pairings/<int:pk>/", views.PairingDetailView.as_view(), name="pairing_detail"),
    path("pairings/<int:pk>/edit/", views.PairingEditView.as_view(), name="pairing_edit"),
    path("pairings/<int:pk>/progress/", views.ProgressAddView.as_view(), name="progress_add"),
    path("progress/", views.ProgressListView.as_view(), name="progress_list"),
    path("figures/", views.FiguresListView.as_view(), name="figures_list"),
    path("figures/add/", views.FiguresAddView.as_view(), name="figures_add"),
    path("figures/<int:pk>/edit/", views.FiguresEditView.as_view(), name="figures_edit"),
]
