"""API of village branch committees (terms with their seats) and party groups (with their members): scoped reads.
Changes go through the pages and the admin, which call the same actions."""

from rest_framework import serializers

from anding.api import ScopedReadOnlyViewSet
from anding.generic import parse_int

from .. import selectors
from ..models import BranchCommittee, PartyGroup
from .serializers import OrganizationBriefSerializer

__all__ = ["CommitteeSerializer", "CommitteeViewSet", "PartyGroupSerializer", "PartyGroupViewSet"]


class MemberBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)


class SeatSerializer(serializers.Serializer):
    member = MemberBriefSerializer(read_only=True)
    post = serializers.CharField(read_only=True)
    post_display = serializers.CharField(source="get_post_display", read_only=True)


class CommitteeSerializer(serializers.Serializer):
    """One term of a village's branch committee and its seats."""

    id = serializers.IntegerField(read_only=True)
    village = OrganizationBriefSerializer(read_only=True)
    term_start = serializers.DateField(read_only=True)
    term_end = serializers.DateField(read_only=True)
    current = serializers.SerializerMethodField()
    note = serializers.CharField(read_only=True)
    seats = SeatSerializer(many=True, read_only=True)

    def get_current(self, committee) -> bool:
        return committee.is_current()


class GroupMemberSerializer(serializers.Serializer):
    member = MemberBriefSerializer(read_only=True)


class PartyGroupSerializer(serializers.Serializer):
    """A village's party group, its leader and members."""

    id = serializers.IntegerField(read_only=True)
    village = OrganizationBriefSerializer(read_only=True)
    name = serializers.CharField(read_only=True)
    leader = MemberBriefSerializer(read_only=True)
    formed_on = serializers.DateField(read_only=True)
    dissolved_on = serializers.DateField(read_only=True, allow_null=True)
    members = serializers.SerializerMethodField()

    def get_members(self, group) -> list[dict]:
        return MemberBriefSerializer([line.member for line in group.memberships.all()], many=True).data


class _ByVillage:
    """`?village=<id>` narrows the rows to one village (ids in ASCII digits; anything else is ignored)."""

    def select(self, queryset):
        village = parse_int(self.request.query_params.get("village"))
        rows = self.rows(queryset)
        return rows if village is None else rows.filter(village_id=village)


class CommitteeViewSet(_ByVillage, ScopedReadOnlyViewSet):
    """Committee terms of the villages in the caller's scope, newest first, with their seats."""

    queryset = BranchCommittee.objects.all()
    rows = staticmethod(selectors.committee_rows)
    serializer_class = CommitteeSerializer


class PartyGroupViewSet(_ByVillage, ScopedReadOnlyViewSet):
    """Party groups of the villages in the caller's scope, with their leaders and members."""

    queryset = PartyGroup.objects.all()
    rows = staticmethod(selectors.party_group_rows)
    serializer_class = PartyGroupSerializer
