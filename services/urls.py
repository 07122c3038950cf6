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
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/add/", views.PlanOpenView.as_view(), name="plan_add"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/indicators/", views.PlanIndicatorsView.as_view(), name="plan_indicators"),
    path("plans/<int:pk>/submit/", views.PlanSubmitView.as_view(), name="plan_submit"),
    path("plans/<int:pk>/decide/", views.PlanDecideView.as_view(), name="plan_decide"),
    path("plans/<int:pk>/actuals/", views.PlanActualsView.as_view(), name="plan_actuals"),
    path("funds/", views.AllocationListView.as_view(), name="allocation_list"),
    path("funds/add/", views.AllocateView.as_view(), name="allocation_add"),
    path("funds/<int:pk>/", views.AllocationDetailView.as_view(), name="allocation_detail"),
    path("funds/<int:pk>/correct/", views.AllocationCorrectView.as_view(), name="allocation_correct"),
    path("funds/<int:pk>/expense/", views.ExpenseRecordView.as_view(), name="expense_add"),
    path("funds/expenses/<int:pk>/voucher/", views.VoucherDownloadView.as_view(), name="fund_voucher"),
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
