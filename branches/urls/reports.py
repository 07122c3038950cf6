"""URLs of the monthly reports, mounted at /reports/ in the `branches` namespace."""

from django.urls import path

from ..views import reports as views

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("write/", views.ReportWriteView.as_view(), name="report_write"),
    path("completeness/", views.ReportCompletenessView.as_view(), name="report_completeness"),
    path("pack/<int:meeting_pk>/", views.MeetingPackView.as_view(), name="meeting_pack"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path("<int:pk>/submit/", views.ReportSubmitView.as_view(), name="report_submit"),
    path("<int:pk>/check/", views.ReportCheckView.as_view(), name="report_check"),
    path("<int:pk>/return/", views.ReportReturnView.as_view(), name="report_return"),
    path("<int:pk>/approve/", views.ReportApproveView.as_view(), name="report_approve"),
]
