"""API serializers of the branches app. Personal data goes out masked."""

from rest_framework import serializers

from ..models import Organization, PartyMember

__all__ = ["MemberSerializer", "OrganizationBriefSerializer", "OrganizationSerializer"]


class OrganizationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "kind", "name", "code"]


class OrganizationSerializer(serializers.ModelSerializer):
    depth = serializers.IntegerField(source="level", read_only=True)
    member_count = serializers.IntegerField(read_only=True, help_text="Current members in this subtree.")
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "kind",
            "name",
            "code",
            "parent",
            "depth",
            "member_count",
            "households",
            "population",
            "main_industries",
            "location",
            "collective_income_yuan",
            "valid_from",
            "valid_to",
            "url",
        ]


class MemberSerializer(serializers.ModelSerializer):
    branch = OrganizationBriefSerializer(read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)

    class Meta:
        model = PartyMember
        fields = [
            "id",
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "branch",
            "status",
            "joined_on",
            "full_member_on",
        ]
