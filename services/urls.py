"""URLs of the services app, in the `services` namespace (mounted at services/)."""

from django.urls import path

from . import views

app_name = "services"

urlpatterns = [
    path("", views.SessionListView.as_view(), name="session_list"),
    path("add/", views.SessionOpenView.as_view(), name="session_add"),
    path("<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("<int:pk>/record/", views.RecordAddView.as_view(), name="record_add"),
    path("records/", views.RecordListView.as_view(), name="record_list"),
    path("records/<int:pk>/close/", views.FollowUpCloseView.as_view(), name="follow_up_close"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("centres/<int:pk>/", views.CentreMonthView.as_view(), name="centre_month"),
    path("households/", views.HouseholdListView.as_view(), name="household_list"),
    path("households/add/", views.HouseholdAddView.as_view(), name="household_add"),
    path("households/import/", views.HouseholdImportView.as_view(), name="household_import"),
    path("households/import/template/", views.HouseholdImportTemplateView.as_view(), name="household_import_template"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household_detail"),
    path("households/<int:pk>/edit/", views.HouseholdEditView.as_view(), name="household_edit"),
    path("households/<int:pk>/visit/", views.VisitRecordView.as_view(), name="visit_add"),
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/<int:pk>/close/", views.VisitCloseView.as_view(), name="visit_close"),
    path("visits/coverage/", views.CoverageView.as_view(), name="visit_coverage"),
    path("visits/needs/", views.NeedsView.as_view(), name="visit_needs"),
]
