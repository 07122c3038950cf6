"""URLs of deployed tasks (mounted at tasks/ in the `branches` namespace)."""

from django.urls import path

from ..views import tasks as views

urlpatterns = [
    path("", views.TaskListView.as_view(), name="task_list"),
    path("add/", views.TaskDeployView.as_view(), name="task_add"),
    path("<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("assignments/<int:pk>/progress/", views.TaskProgressView.as_view(), name="task_progress"),
]
