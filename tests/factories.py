"""factory-boy factories of the foundation's models, and helpers that make valid personal data."""

import datetime

import factory
from django.contrib.auth import get_user_model

from branches.choices import Gender, MemberStatus, OrgKind, Role
from branches.models import Organization, PartyGroup, PartyGroupMembership, PartyMember, Position
from branches.validators import id_check_char

__all__ = [
    "OrganizationFactory",
    "PartyMemberFactory",
    "PositionFactory",
    "UserFactory",
    "make_id_number",
    "make_members",
    "member_edit_data",
    "member_form_data",
    "totp_code",
    "totp_device",
    "verify_second_factor",
    "whole_village_group",
]

PASSWORD = "Pa55word-for-tests"


def make_id_number(birth: datetime.date, sequence: int, male: bool, area: str = "110115") -> str:
    """A valid 18-character ID number: area, birth date, a 3-digit sequence whose parity gives the sex, check char."""
    sequence = sequence % 500 * 2 + (1 if male else 0)
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


def _birth(n: int) -> datetime.date:
    return datetime.date(1950, 1, 1) + datetime.timedelta(days=n % 14_000)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password(PASSWORD)


def grant(user, *groups: str):
    """`user` added to the groups named `groups` (anding.duties), fresh from the database (no cached permissions)."""
    from django.contrib.auth.models import Group

    user.groups.add(*Group.objects.filter(name__in=groups))
    assert user.groups.filter(name__in=groups).count() == len(set(groups)), groups
    return type(user).objects.get(pk=user.pk)


class OrganizationFactory(factory.django.DjangoModelFactory):
    """A tree node, saved one by one through `Organization.save()` (the tree's locked choke point)."""

    class Meta:
        model = Organization

    kind = OrgKind.VILLAGE
    name = factory.Sequence(lambda n: f"第{n}村党支部")
    code = factory.Sequence(lambda n: f"T{n:06d}")
    parent = None


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.VILLAGE_SECRETARY
    start_date = datetime.date(2024, 1, 1)

    @factory.post_generation
    def liaison_villages(self, create, extracted, **kwargs):
        if create and extracted:
            self.liaison_villages.set(extracted)


class PartyMemberFactory(factory.django.DjangoModelFactory):
    """A member whose birth date and gender agree with a valid, unique ID number."""

    class Meta:
        model = PartyMember

    name = factory.Sequence(lambda n: f"党员{n}")
    gender = factory.Sequence(lambda n: Gender.MALE if n % 2 else Gender.FEMALE)
    birth_date = factory.Sequence(_birth)
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(o.birth_date, n // 14_000, o.gender == Gender.MALE)
    )
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    branch = factory.SubFactory(OrganizationFactory)
    status = MemberStatus.FULL
    joined_on = factory.LazyAttribute(lambda o: o.birth_date.replace(year=o.birth_date.year + 25, day=1))
    full_member_on = factory.LazyAttribute(lambda o: o.joined_on.replace(year=o.joined_on.year + 1))


def make_members(branch: Organization, count: int, prefix: str = "") -> list[PartyMember]:
    """`count` members of `branch` in one insert (members are not tree nodes, so bulk_create is allowed)."""
    members = PartyMemberFactory.build_batch(count, branch=branch)
    for member in members:
        if prefix:
            member.name = f"{prefix}{member.name}"
        member.sync_digest()
    return PartyMember.objects.bulk_create(members)


def whole_village_group(village: Organization) -> PartyGroup:
    """A party group of `village` holding all its members (made once, straight in the database), for tests that
    plan a 党小组会 (which names its group) and want every member on its attendance list."""
    group = PartyGroup.objects.filter(village=village, name="全体党小组").first()
    if group is None:
        members = list(PartyMember.objects.filter(branch=village).order_by("pk"))
        group = PartyGroup.objects.create(
            village=village, name="全体党小组", leader=members[0], formed_on=datetime.date(2000, 1, 1)
        )
        PartyGroupMembership.objects.bulk_create(PartyGroupMembership(group=group, member=m) for m in members)
    return group


def member_form_data(village: Organization | None, /, **overrides) -> dict:
    """What a browser posts from the member form for a valid new member of `village`."""
    birth = datetime.date(1971, 3, 15)
    data = {
        "name": "新党员",
        "gender": Gender.MALE,
        "birth_date": birth.isoformat(),
        "id_number": make_id_number(birth, 321, male=True),
        "phone": "13812345678",
        "branch": village.pk if village else "",
        "status": MemberStatus.FULL,
        "joined_on": "1996-07-01",
        "full_member_on": "1997-07-01",
        "version": "",
    }
    data.update(overrides)
    return data


def member_edit_data(member: PartyMember, /, **overrides) -> dict:
    """What a browser posts from the edit form of `member` left as it is (the ID and phone fields come empty: the
    stored numbers are never sent back)."""
    stored = {
        "name": member.name,
        "gender": member.gender,
        "birth_date": member.birth_date.isoformat(),
        "id_number": "",
        "phone": "",
        "status": member.status,
        "joined_on": member.joined_on.isoformat(),
        "full_member_on": member.full_member_on.isoformat() if member.full_member_on else "",
        "version": member.version,
    }
    return member_form_data(member.branch, **{**stored, **overrides})


def totp_device(user, confirmed=True):
    """The user's authenticator app (a TOTP device with a random key); `totp_code(device)` gives its code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="test", confirmed=confirmed)


def totp_code(device, at=None) -> str:
    """The code `device`'s app shows at time `at` (default: now)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def verify_second_factor(client, user):
    """Mark `client`'s session as having given `user`'s two-factor code (a confirmed device is made if needed)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
