"""Serializers of the services API: responses are ModelSerializers (the schema reads nullability from the models);
requests are plain serializers with the same limits as the models."""

from rest_framework import serializers

from branches.api.serializers import OrganizationBriefSerializer
from branches.choices import OrgKind
from branches.models import Organization

from ..choices import Outcome
from ..models import Department, ServiceCentre, ServiceItem, ServiceRecord, ServiceSession

__all__ = ["FollowUpCloseSerializer", "RecordCreateSerializer", "RecordSerializer", "SessionSerializer"]


class NamedSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        fields = ["id", "code", "name"]


class CentreBriefSerializer(NamedSerializer):
    class Meta(NamedSerializer.Meta):
        model = ServiceCentre


class DepartmentBriefSerializer(NamedSerializer):
    class Meta(NamedSerializer.Meta):
        model = Department


class ItemBriefSerializer(NamedSerializer):
    category = serializers.CharField(source="category.name", read_only=True)

    class Meta(NamedSerializer.Meta):
        model = ServiceItem
        fields = [*NamedSerializer.Meta.fields, "category"]


class SessionSerializer(serializers.ModelSerializer):
    centre = CentreBriefSerializer(read_only=True)
    departments = DepartmentBriefSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ServiceSession
        fields = ["id", "centre", "date", "half", "departments", "url"]
        read_only_fields = fields


class RecordSerializer(serializers.ModelSerializer):
    session = serializers.PrimaryKeyRelatedField(read_only=True)
    department = DepartmentBriefSerializer(read_only=True)
    service_item = ItemBriefSerializer(read_only=True)
    village = OrganizationBriefSerializer(read_only=True)
    phone_masked = serializers.CharField(read_only=True)
    is_open_follow_up = serializers.BooleanField(read_only=True)

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "session",
            "department",
            "service_item",
            "villager_name",
            "village",
            "phone_masked",
            "request",
            "outcome",
            "due_on",
            "closed_on",
            "closing_note",
            "is_open_follow_up",
        ]
        read_only_fields = fields


class RecordCreateSerializer(serializers.Serializer):
    """A service handled by the caller's department on a half-day the caller may see."""

    session = serializers.PrimaryKeyRelatedField(queryset=ServiceSession.objects.none())
    service_item = serializers.PrimaryKeyRelatedField(queryset=ServiceItem.objects.all())
    villager_name = serializers.CharField(max_length=30)
    village = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.filter(kind=OrgKind.VILLAGE))
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    request = serializers.CharField(max_length=2000)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["session"].queryset = ServiceSession.objects.restrict(request.user)


class FollowUpCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField()
    note = serializers.CharField(max_length=2000)
