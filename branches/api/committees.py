"""API of village branch committees (terms with their seats) and party groups (with their members): scoped reads,
and the writes of the pages through the same actions: POST elects a committee or adds a party group, PATCH corrects
a term's seats or changes a group. The village's secretary and the levels above write (out of scope 404, in scope
without the role 403)."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anding.api import ScopedReadOnlyViewSet, model_chars
from anding.forms import TITLE_CHARS
from anding.generic import parse_int

from .. import actions, selectors
from ..choices import CommitteePost, OrgKind
from ..models import BranchCommittee, Organization, PartyGroup, PartyMember
from .serializers import OrganizationBriefSerializer

__all__ = [
    "CommitteeElectSerializer",
    "CommitteeSeatsSerializer",
    "CommitteeSerializer",
    "CommitteeViewSet",
    "PartyGroupChangeSerializer",
    "PartyGroupCreateSerializer",
    "PartyGroupSerializer",
    "PartyGroupViewSet",
]


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


# --- input --------------------------------------------------------------------------------------------------------


ID = {"min_value": 1, "max_value": 2**63 - 1}  # a database id (BigAutoField)


class SeatInputSerializer(serializers.Serializer):
    member = serializers.IntegerField(**ID, help_text="A full member of the village.")
    post = serializers.ChoiceField(choices=CommitteePost.choices, default=CommitteePost.MEMBER)


class CommitteeSeatsSerializer(serializers.Serializer):
    """A correction of a term's seats (a by-election, a change of posts); fields left out keep their value."""

    seats = SeatInputSerializer(
        many=True, required=False, help_text="Every seat of the term, the secretary among them."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=TITLE_CHARS)


class CommitteeElectSerializer(CommitteeSeatsSerializer):
    """A newly elected committee of a village: its term (five years unless `term_end`) and its seats."""

    village = serializers.IntegerField(**ID)
    term_start = serializers.DateField(help_text="The day of the election; the running term ends the day before.")
    term_end = serializers.DateField(required=False, allow_null=True, default=None)
    seats = SeatInputSerializer(many=True, help_text="Every seat of the term, the secretary among them.")


GROUP_NAME_CHARS = model_chars(PartyGroup, "name")


class PartyGroupChangeSerializer(serializers.Serializer):
    """A change of a party group; fields left out keep their value."""

    name = serializers.CharField(required=False, max_length=GROUP_NAME_CHARS)
    leader = serializers.IntegerField(required=False, **ID, help_text="A current member of the village.")
    formed_on = serializers.DateField(required=False)
    dissolved_on = serializers.DateField(required=False, allow_null=True)
    members = serializers.ListField(
        child=serializers.IntegerField(**ID),
        required=False,
        help_text="Current members of the village; the leader is always one of them.",
    )


class PartyGroupCreateSerializer(PartyGroupChangeSerializer):
    """A new party group of a village."""

    village = serializers.IntegerField(**ID)
    name = serializers.CharField(max_length=GROUP_NAME_CHARS)
    leader = serializers.IntegerField(**ID, help_text="A current member of the village.")
    formed_on = serializers.DateField(required=False, help_text="Today unless given.")
    dissolved_on = serializers.DateField(required=False, allow_null=True, default=None)
    members = serializers.ListField(
        child=serializers.IntegerField(**ID),
        default=list,
        help_text="Current members of the village; the leader is always one of them.",
    )


def members_of(village: Organization, ids: list[int], field: str) -> dict[int, PartyMember]:
    """The village's members by id; an id that is not one of them is refused at `field` (without saying whose)."""
    found = PartyMember.objects.filter(branch=village, pk__in=set(ids)).in_bulk()
    unknown = [pk for pk in dict.fromkeys(ids) if pk not in found]
    if unknown:
        raise serializers.ValidationError(
            {field: [_("No member with id %(id)s in %(org)s.") % {"id": pk, "org": village.name} for pk in unknown]}
        )
    return found


# --- viewsets -----------------------------------------------------------------------------------------------------


class _ByVillage:
    """`?village=<id>` narrows the rows to one village (ids in ASCII digits; anything else is ignored). Writes: POST
    on the list and PATCH on a row, for those who may change the village's committees."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    def select(self, queryset):
        village = parse_int(self.request.query_params.get("village"))
        rows = self.rows(queryset)
        return rows if village is None else rows.filter(village_id=village)

    def _village(self, pk) -> Organization:
        """A village in the caller's scope (else 404) whose committees the caller may change (else 403)."""
        village = selectors.organization_get(self.request.user, pk)
        if village.kind != OrgKind.VILLAGE:
            raise Http404
        self._may_change(village)
        return village

    def _may_change(self, village: Organization) -> None:
        if not actions.can_change_committees(self.request.user, village):
            raise PermissionDenied

    def _input(self, serializer_class, data=None):
        serializer = serializer_class(data=self.request.data if data is None else data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _respond(self, pk, code=status.HTTP_200_OK):
        row = self.get_queryset().get(pk=pk)
        return Response(self.serializer_class(row, context=self.get_serializer_context()).data, status=code)


class CommitteeViewSet(_ByVillage, ScopedReadOnlyViewSet):
    """Committee terms of the villages in the caller's scope, newest first, with their seats. POST records an
    election (a new term; the running one ends the day before); PATCH corrects a term's seats and note."""

    queryset = BranchCommittee.objects.all()
    rows = staticmethod(selectors.committee_rows)
    serializer_class = CommitteeSerializer

    def _seats(self, village, lines) -> list:
        members = members_of(village, [line["member"] for line in lines], "seats")
        return [actions.SeatLine(member=members[line["member"]], post=line["post"]) for line in lines]

    @extend_schema(request=CommitteeElectSerializer, responses={201: CommitteeSerializer})
    def create(self, request, *args, **kwargs):
        data = self._input(CommitteeElectSerializer)
        village = self._village(data["village"])
        committee = actions.committee_elect(
            actor=request.user,
            village=village,
            term_start=data["term_start"],
            term_end=data["term_end"],
            seats=self._seats(village, data["seats"]),
            note=data.get("note", ""),
        )
        return self._respond(committee.pk, status.HTTP_201_CREATED)

    @extend_schema(request=CommitteeSeatsSerializer, responses=CommitteeSerializer)
    def partial_update(self, request, *args, **kwargs):
        committee = self.get_object()
        self._may_change(committee.village)
        data = self._input(CommitteeSeatsSerializer)
        if "seats" in data:
            seats = self._seats(committee.village, data["seats"])
        else:
            seats = [actions.SeatLine(member=seat.member, post=seat.post) for seat in committee.seats.all()]
        actions.committee_set_seats(actor=request.user, committee=committee, seats=seats, note=data.get("note"))
        return self._respond(committee.pk)


class PartyGroupViewSet(_ByVillage, ScopedReadOnlyViewSet):
    """Party groups of the villages in the caller's scope, with their leaders and members. POST adds a group to a
    village; PATCH changes its name, leader, dates or members (a member belongs to one active group)."""

    queryset = PartyGroup.objects.all()
    rows = staticmethod(selectors.party_group_rows)
    serializer_class = PartyGroupSerializer

    def _save(self, group: PartyGroup, data: dict):
        village = group.village
        wanted = data.get("members", [line.member_id for line in group.memberships.all()] if group.pk else [])
        leader = data.get("leader", group.leader_id)
        group.leader = members_of(village, [leader], "leader")[leader]
        members = members_of(village, wanted, "members")
        for name in ("name", "formed_on", "dissolved_on"):
            if name in data:
                setattr(group, name, data[name])
        return actions.party_group_save(actor=self.request.user, group=group, members=[members[pk] for pk in wanted])

    @extend_schema(request=PartyGroupCreateSerializer, responses={201: PartyGroupSerializer})
    def create(self, request, *args, **kwargs):
        data = self._input(PartyGroupCreateSerializer)
        village = self._village(data["village"])
        group = PartyGroup(village=village, formed_on=data.get("formed_on") or timezone.localdate())
        return self._respond(self._save(group, data).pk, status.HTTP_201_CREATED)

    @extend_schema(request=PartyGroupChangeSerializer, responses=PartyGroupSerializer)
    def partial_update(self, request, *args, **kwargs):
        group = self.get_object()
        self._may_change(group.village)
        data = self._input(PartyGroupChangeSerializer)
        return self._respond(self._save(group, data).pk)
