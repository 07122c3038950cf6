"""API of meetings: the scoped list (with the HTML list's filters), planning (POST on the list), and the `record`
and `review` transitions as actions calling the same services as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anding.api import ScopedReadOnlyViewSet, model_chars
from anding.forms import LONG_TEXT_CHARS, NOTE_CHARS
from anding.pagination import BoundedPagination

from .. import actions, selectors
from ..choices import MeetingKind
from ..filtersets import MeetingFilterSet
from ..models import AgendaItem, Meeting, MeetingAttachment, MeetingAttendance, Organization, PartyGroup
from .serializers import OrganizationBriefSerializer

__all__ = [
    "AgendaItemBriefSerializer",
    "AttachmentBriefSerializer",
    "AttendanceLineSerializer",
    "MeetingDetailSerializer",
    "MeetingPlanSerializer",
    "MeetingRecordSerializer",
    "MeetingReviewSerializer",
    "MeetingSerializer",
    "MeetingViewSet",
]


class AgendaItemBriefSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    task = serializers.IntegerField(source="task_id", read_only=True, allow_null=True)
    task_title = serializers.CharField(source="task.title", read_only=True, default=None)
    village = serializers.IntegerField(source="village_id", read_only=True, allow_null=True)
    village_name = serializers.CharField(source="village.name", read_only=True, default=None)
    outcome = serializers.CharField(read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["order", "title", "task", "task_title", "village", "village_name", "outcome"]


class AttendanceLineSerializer(serializers.ModelSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True, allow_null=True)
    user = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)
    name = serializers.SerializerMethodField()
    present = serializers.BooleanField(read_only=True)
    absence_reason = serializers.CharField(read_only=True)

    class Meta:
        model = MeetingAttendance
        fields = ["member", "user", "name", "present", "absence_reason"]

    def get_name(self, line) -> str:
        if line.member_id:
            return line.member.name
        return line.user.get_full_name() or line.user.get_username()


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting with its minutes, attendance counts and (for a work meeting) its agenda in brief."""

    id = serializers.IntegerField(read_only=True)
    organization = OrganizationBriefSerializer(read_only=True)
    general_branch = OrganizationBriefSerializer(read_only=True, allow_null=True)
    kind = serializers.CharField(read_only=True)
    party_group = serializers.IntegerField(source="party_group_id", read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    topics = serializers.CharField(read_only=True)
    planned_for = serializers.DateField(read_only=True)
    held_on = serializers.DateField(read_only=True, allow_null=True)
    overdue = serializers.BooleanField(read_only=True, help_text="Planned for a day that has passed, not recorded.")
    place = serializers.CharField(read_only=True)
    host = serializers.CharField(read_only=True)
    recorder = serializers.CharField(read_only=True)
    observers = serializers.CharField(read_only=True)
    minutes = serializers.CharField(read_only=True)
    decisions = serializers.CharField(read_only=True)
    present_count = serializers.IntegerField(read_only=True)
    absent_count = serializers.IntegerField(read_only=True)
    agenda = AgendaItemBriefSerializer(many=True, read_only=True)
    review_comment = serializers.CharField(read_only=True)
    reviewed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organization",
            "general_branch",
            "kind",
            "party_group",
            "status",
            "version",
            "title",
            "topics",
            "planned_for",
            "held_on",
            "overdue",
            "place",
            "host",
            "recorder",
            "observers",
            "minutes",
            "decisions",
            "present_count",
            "absent_count",
            "agenda",
            "review_comment",
            "reviewed_at",
            "url",
        ]


class AttachmentBriefSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    size = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="Download (session login).")

    class Meta:
        model = MeetingAttachment
        fields = ["id", "name", "size", "url"]


class MeetingDetailSerializer(MeetingSerializer):
    attendance = AttendanceLineSerializer(many=True, read_only=True)
    attachments = AttachmentBriefSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "attendance", "attachments"]


class MeetingPlanSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    title = serializers.CharField(max_length=model_chars(Meeting, "title"))
    planned_for = serializers.DateField()
    topics = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_CHARS)
    party_group = serializers.PrimaryKeyRelatedField(
        queryset=PartyGroup.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="For a party group meeting: the group that meets.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organization"].queryset = selectors.organization_list(request.user)
            self.fields["party_group"].queryset = selectors.party_group_list(request.user)


class AttendanceInputSerializer(serializers.Serializer):
    member = serializers.IntegerField(required=False, allow_null=True, help_text="A party member (village meetings).")
    user = serializers.IntegerField(required=False, allow_null=True, help_text="An officer (work/leadership meetings).")
    present = serializers.BooleanField(default=True)
    absence_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=model_chars(MeetingAttendance, "absence_reason")
    )

    def validate(self, attrs):
        if (attrs.get("member") is None) == (attrs.get("user") is None):
            raise serializers.ValidationError(_("An attendance line names either a member or an officer."))
        return attrs


class MeetingRecordSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True, help_text="The version you read; a newer one on the server is a conflict."
    )
    held_on = serializers.DateField()
    title = serializers.CharField(required=False, max_length=model_chars(Meeting, "title"))
    place = serializers.CharField(
        required=False, allow_blank=True, max_length=model_chars(Meeting, "place"), default=""
    )
    host = serializers.CharField(required=False, allow_blank=True, max_length=model_chars(Meeting, "host"), default="")
    recorder = serializers.CharField(
        required=False, allow_blank=True, max_length=model_chars(Meeting, "recorder"), default=""
    )
    observers = serializers.CharField(
        required=False, allow_blank=True, max_length=model_chars(Meeting, "observers"), default=""
    )
    topics = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_CHARS)
    minutes = serializers.CharField(required=False, allow_blank=True, default="", max_length=LONG_TEXT_CHARS)
    decisions = serializers.CharField(required=False, allow_blank=True, default="", max_length=LONG_TEXT_CHARS)
    attendance = AttendanceInputSerializer(many=True)


class MeetingReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, max_length=NOTE_CHARS)


def attendance_lines(meeting, lines: list[dict]) -> list:
    """The posted attendance as the service's AttendanceLines, each person looked up in the meeting's own list
    (never by a bare id: a person of another branch is refused here, without revealing who it is)."""
    people = {p["key"]: p for p in selectors.meeting_people(meeting)}
    result, errors = [], []
    for line in lines:
        key = f"m{line['member']}" if line.get("member") is not None else f"u{line['user']}"
        person = people.get(key)
        if person is None:
            kind = _("member") if key[0] == "m" else _("officer")
            errors.append(
                _("No %(kind)s with id %(id)s is on the attendance list of %(org)s.")
                % {"kind": kind, "id": key[1:], "org": meeting.organization.name}
            )
            continue
        result.append(
            actions.AttendanceLine(
                member=person["member"],
                user=person["user"],
                present=line["present"],
                absence_reason=line.get("absence_reason", ""),
            )
        )
    if errors:
        raise serializers.ValidationError({"attendance": errors})
    return result


class MeetingViewSet(ScopedReadOnlyViewSet):
    """Meetings in the caller's scope. POST on the list plans one; `record` and `review` are the transitions."""

    queryset = Meeting.objects.all()
    pagination_class = BoundedPagination  # a wide scope holds hundreds of thousands
    filterset_class = MeetingFilterSet

    def select(self, queryset):
        rows = selectors.meeting_detailed_rows(queryset, with_attendance=self.action != "list")
        return rows.order_by("-meeting_date", "-pk")

    def get_serializer_class(self):
        return {
            "list": MeetingSerializer,
            "create": MeetingPlanSerializer,
            "record": MeetingRecordSerializer,
            "review": MeetingReviewSerializer,
        }.get(self.action, MeetingDetailSerializer)

    def _fresh(self, pk):
        meeting = self.get_queryset().get(pk=pk)
        return MeetingDetailSerializer(meeting, context=self.get_serializer_context()).data

    @extend_schema(request=MeetingPlanSerializer, responses={201: MeetingDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = MeetingPlanSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = actions.meeting_plan(actor=request.user, **data)
        return Response(self._fresh(meeting.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingRecordSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None, format=None):
        meeting = self.get_object()
        if not actions.can_record_meeting(request.user, meeting.organization):
            raise PermissionDenied
        serializer = MeetingRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lines = attendance_lines(meeting, data.pop("attendance"))
        actions.meeting_record(
            actor=request.user,
            meeting=meeting,
            version=data.pop("version", None),
            held_on=data.pop("held_on"),
            attendance=lines,
            **data,
        )
        return Response(self._fresh(meeting.pk))

    @extend_schema(request=MeetingReviewSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None, format=None):
        meeting = self.get_object()
        serializer = MeetingReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.meeting_review(actor=request.user, meeting=meeting, comment=serializer.validated_data["comment"])
        return Response(self._fresh(meeting.pk))
