"""API of deployed tasks: scoped lists, deploying (POST) and reporting progress (an action), through the same
selectors and services as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anding.api import ScopedReadOnlyViewSet
from anding.forms import NOTE_CHARS, TITLE_CHARS

from .. import actions, selectors
from ..choices import TaskAssignmentStatus
from ..filtersets import TaskFilterSet
from ..models import Organization, Task, TaskAssignment, TaskProgress
from .serializers import OrganizationBriefSerializer

__all__ = [
    "TaskAssignmentSerializer",
    "TaskAssignmentViewSet",
    "TaskDeploySerializer",
    "TaskProgressSerializer",
    "TaskSerializer",
    "TaskViewSet",
]


class TaskProgressEntrySerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    reported_by = serializers.CharField(source="reported_by.get_full_name", read_only=True)
    reported_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = TaskProgress
        fields = ["status", "note", "reported_by", "reported_at"]


class TaskAssignmentBriefSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    assignee = OrganizationBriefSerializer(read_only=True)
    status = serializers.CharField(read_only=True)
    completed_on = serializers.DateField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = TaskAssignment
        fields = ["id", "assignee", "status", "completed_on", "is_overdue"]


class TaskBriefSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    issued_by = OrganizationBriefSerializer(read_only=True)
    due_date = serializers.DateField(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "title", "issued_by", "due_date"]


class TaskSerializer(serializers.ModelSerializer):
    """A task with the progress summary and the assignees the caller may see."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    issued_by = OrganizationBriefSerializer(read_only=True)
    issued_on = serializers.DateField(read_only=True)
    due_date = serializers.DateField(read_only=True)
    assignee_total = serializers.IntegerField(read_only=True)
    in_progress_count = serializers.IntegerField(read_only=True)
    done_count = serializers.IntegerField(read_only=True)
    is_completed = serializers.BooleanField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    assignments = TaskAssignmentBriefSerializer(source="visible_assignments", many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "description",
            "issued_by",
            "issued_on",
            "due_date",
            "assignee_total",
            "in_progress_count",
            "done_count",
            "is_completed",
            "is_overdue",
            "assignments",
            "url",
        ]


class TaskDeploySerializer(serializers.Serializer):
    """What it takes to deploy a task; the choices are limited to the caller's scope."""

    issued_by = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    title = serializers.CharField(max_length=TITLE_CHARS)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_CHARS)
    due_date = serializers.DateField()
    assignees = serializers.PrimaryKeyRelatedField(many=True, queryset=Organization.objects.none(), allow_empty=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # e.g. while the OpenAPI schema is generated
            return
        issuers = selectors.task_deploy_issuers(request.user)
        self.fields["issued_by"].queryset = issuers
        self.fields["assignees"].child_relation.queryset = selectors.task_assignee_choices(request.user, issuers)


class TaskAssignmentSerializer(serializers.ModelSerializer):
    """One assignee's part of a task, with its progress history. Send `version` back with a progress report."""

    id = serializers.IntegerField(read_only=True)
    task = TaskBriefSerializer(read_only=True)
    assignee = OrganizationBriefSerializer(read_only=True)
    status = serializers.CharField(read_only=True)
    progress_note = serializers.CharField(read_only=True)
    completed_on = serializers.DateField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    progress = TaskProgressEntrySerializer(many=True, read_only=True)

    class Meta:
        model = TaskAssignment
        fields = [
            "id",
            "task",
            "assignee",
            "status",
            "progress_note",
            "completed_on",
            "is_overdue",
            "version",
            "progress",
        ]


class TaskProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskAssignmentStatus.choices)
    note = serializers.CharField(allow_blank=True, max_length=NOTE_CHARS)
    version = serializers.IntegerField(
        required=False, allow_null=True, help_text="The version you read; a stale one is refused."
    )


class TaskViewSet(ScopedReadOnlyViewSet):
    """Deployed tasks the caller may see, each with its summary and the assignees the caller may see. POST deploys
    a task (town cadres for the town, general-branch secretaries for their own general branch)."""

    queryset = Task.objects.all()
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet

    def select(self, queryset):
        rows = selectors.task_rows(queryset, self.request.user, with_assignments=True)
        return rows.order_by("is_completed", "due_date", "pk")

    def get_serializer_class(self):
        return TaskDeploySerializer if self.action == "create" else TaskSerializer

    @extend_schema(request=TaskDeploySerializer, responses={201: TaskSerializer})
    def create(self, request, *args, **kwargs):
        if not selectors.task_deploy_issuers(request.user).exists():
            raise PermissionDenied
        serializer = TaskDeploySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        task = actions.task_deploy(
            actor=request.user,
            issued_by=data["issued_by"],
            title=data["title"],
            description=data["description"],
            due_date=data["due_date"],
            assignees=data["assignees"],
        )
        created = self.get_queryset().get(pk=task.pk)
        return Response(TaskSerializer(created, context=self.get_serializer_context()).data, status.HTTP_201_CREATED)


class TaskAssignmentViewSet(ScopedReadOnlyViewSet):
    """The assignees' parts of the tasks the caller may see, with their progress. `progress` reports progress."""

    queryset = TaskAssignment.objects.all()
    serializer_class = TaskAssignmentSerializer
    filterset_fields = ["status"]

    def select(self, queryset):
        return (
            selectors.task_assignment_rows(queryset)
            .prefetch_related("progress__reported_by")
            .order_by("task__due_date", "task_id", "assignee__tree_id", "assignee__lft")
        )

    @extend_schema(request=TaskProgressSerializer, responses=TaskAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None, format=None):
        assignment = self.get_object()
        if not actions.can_report_progress(request.user, assignment):
            raise PermissionDenied
        serializer = TaskProgressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actions.task_report_progress(
            actor=request.user,
            assignment=assignment,
            status=data["status"],
            note=data["note"],
            version=data.get("version"),
        )
        fresh = self.get_queryset().get(pk=assignment.pk)
        return Response(TaskAssignmentSerializer(fresh, context=self.get_serializer_context()).data)
