"""URLs of the recruitment (mounted at recruitment/ in the `branches` namespace)."""

from django.urls import path

from ..views import recruitment as views

urlpatterns = [
    path("", views.RecruitmentListView.as_view(), name="recruitment_list"),
    path("open/", views.RecruitmentOpenView.as_view(), name="recruitment_open"),
    path("<int:pk>/", views.RecruitmentDetailView.as_view(), name="recruitment_detail"),
    path("<int:pk>/step/", views.RecruitmentStepView.as_view(), name="recruitment_step"),
    path("<int:pk>/end/", views.RecruitmentEndView.as_view(), name="recruitment_end"),
]
