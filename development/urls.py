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
    path("progress/<int:pk>/edit/", views.ProgressEditView.as_view(), name="progress_edit"),
    path("figures/", views.FiguresListView.as_view(), name="figures_list"),
    path("figures/add/", views.FiguresAddView.as_view(), name="figures_add"),
    path("figures/<int:pk>/edit/", views.FiguresEditView.as_view(), name="figures_edit"),
]
urlpatterns += [
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/add/", views.EventAddView.as_view(), name="event_add"),
    path("events/<int:pk>/edit/", views.EventEditView.as_view(), name="event_edit"),
    path("partners/", views.PartnerListView.as_view(), name="partner_list"),
    path("partners/add/", views.PartnerAddView.as_view(), name="partner_add"),
    path("resources/", views.ResourceListView.as_view(), name="resource_list"),
    path("resources/add/", views.ResourceAddView.as_view(), name="resource_add"),
    path("resources/<int:pk>/", views.ResourceDetailView.as_view(), name="resource_detail"),
    path("resources/<int:pk>/edit/", views.ResourceEditView.as_view(), name="resource_edit"),
    path("resources/<int:pk>/training/", views.TrainingAddView.as_view(), name="training_add"),
    path("trainings/", views.TrainingListView.as_view(), name="training_list"),
    path("trainings/<int:pk>/edit/", views.TrainingEditView.as_view(), name="training_edit"),
    path("sales/", views.SaleListView.as_view(), name="sale_list"),
    path("sales/add/", views.SaleAddView.as_view(), name="sale_add"),
    path("sales/<int:pk>/edit/", views.SaleEditView.as_view(), name="sale_edit"),
    path("ledger/", views.LedgerView.as_view(), name="ledger"),
]
