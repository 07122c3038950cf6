"""`manage.py generate_scale_data`: the town preset (Anding's shape) on the test database, one year of records to
stay fast. Counts per level, ID numbers that are valid, decrypt and are found by the blind index, a sound tree
whose nested sets are those mptt computes, the same data for the same seed, and no second run without --reset."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.db.models import Count, F, Q

from anding.crypto import blind_index
from branches import scale
from branches.choices import OrgKind, Role
from branches.management.commands.check_tree import tree_problems
from branches.models import Meeting, MonthlyReport, Organization, PartyMember, Position, ReportTransition, Task
from branches.scale.keys import checked_at_end
from branches.validators import id_number_birth_date, id_number_is_male, validate_id_number
from development.models import Pairing
from services.models import Household, HouseholdVisit, ServiceRecord


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def generate(*args) -> str:
    out = io.StringIO()
    call_command("generate_scale_data", "--preset", "town", "--years", "1", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot() -> dict:
    members = PartyMember.objects.filter(branch__code__startswith="SCALE")
    return {
        "members": list(members.order_by("id_number_digest").values_list("branch__code", "name", "id_number_digest")),
        "phones": sorted(m.phone for m in members),
        "meetings": sorted(
            Meeting.objects.filter(organization__code__startswith="SCALE").values_list(
                "organization__code", "kind", "planned_for", "status"
            )
        ),
        "reports": sorted(
            MonthlyReport.objects.filter(village__code__startswith="SCALE").values_list(
                "village__code", "month", "status"
            )
        ),
        "visits": sorted(HouseholdVisit.objects.values_list("household__village__code", "household__number", "date")),
    }


def test_town_preset_has_anding_shape_and_records(db):
    out = generate()

    root = Organization.objects.get(code="SCALE")
    assert root.kind == OrgKind.TOWN and root.parent is None
    kinds = Organization.objects.filter(tree_id=root.tree_id)
    assert kinds.filter(kind=OrgKind.GENERAL).count() == 6
    villages = kinds.filter(kind=OrgKind.VILLAGE)
    assert sorted(v.children.count() for v in kinds.filter(kind=OrgKind.GENERAL)) == [5, 5, 5, 5, 6, 7]
    assert villages.count() == 33
    assert PartyMember.objects.filter(branch__in=villages).count() == 33 * 49
    reports = MonthlyReport.objects.filter(village__in=villages)
    assert reports.count() >= 33 * 11
    # The last year's reports carry their workflow steps; one in review has its step to "checked".
    checked = reports.filter(status="checked").first()
    assert checked is None or checked.transitions.filter(to_status="checked").exists()
    assert ReportTransition.objects.filter(report__in=reports, to_status="approved").exists()
    assert Meeting.objects.filter(organization__in=villages).count() > 33 * 30
    assert Household.objects.filter(village__in=villages).count() >= 33 * 20
    assert HouseholdVisit.objects.exists() and ServiceRecord.objects.exists() and Pairing.objects.exists()
    # The stored copies are written with the rows: each record's half-day's date, each task's summary.
    assert not ServiceRecord.objects.exclude(date=F("session__date")).exists()
    tasks = Task.objects.filter(issued_by=root).annotate(
        n=Count("assignments"), done=Count("assignments", filter=Q(assignments__status="done"))
    )
    assert tasks.exists()
    assert all((t.assignees_total, t.assignees_done) == (t.n, t.done) for t in tasks)
    assert all(t.assignees_in_progress == t.n - t.done for t in tasks)  # the generator's tasks: none pending
    # One account and position on every node; the personas printed can log in.
    assert Position.objects.filter(organization__tree_id=root.tree_id).count() == kinds.count()
    assert Position.objects.get(user__username="scale-t001").role == Role.TOWN_CADRE
    assert Position.objects.get(user__username="scale-v001-3-01").organization.code == "SCALE-G3-V01"
    assert "scale-g001-1" in out and scale.PASSWORD in out
    assert "The organization tree is sound (40 nodes)" in out


def test_id_numbers_are_valid_encrypted_and_found_by_the_blind_index(db):
    generate()

    members = list(PartyMember.objects.filter(branch__code__startswith="SCALE"))
    assert len({m.id_number for m in members}) == len(members)
    for member in members:
        validate_id_number(member.id_number)
        assert id_number_birth_date(member.id_number) == member.birth_date
        assert id_number_is_male(member.id_number) == (member.gender == "male")
        assert member.id_number_digest == blind_index(member.id_number)
    sample = members[::97]
    for member in sample:
        assert PartyMember.objects.get(id_number_digest=blind_index(member.id_number)) == member
    # Stored encrypted: the column holds no plaintext.
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM branches_partymember WHERE id = %s", [sample[0].pk])
        stored, phone = cursor.fetchone()
    assert sample[0].id_number not in stored and stored.startswith("gAAAA")
    assert not phone or (sample[0].phone not in phone)


def test_the_tree_is_sound_and_its_nested_sets_are_mptts(db):
    generate()

    assert tree_problems()[1] == []
    call_command("check_tree", stdout=io.StringIO())
    fields = ("code", "tree_id", "lft", "rght", "level")
    before = sorted(Organization.objects.values_list(*fields))
    Organization.objects.rebuild()
    assert sorted(Organization.objects.values_list(*fields)) == before


def test_the_same_seed_gives_the_same_data_and_a_rerun_needs_reset(db):
    generate("--seed", "7")
    first = snapshot()

    with pytest.raises(CommandError, match="--reset"):
        generate("--seed", "7")
    generate("--seed", "7", "--reset")
    assert snapshot() == first
    assert tree_problems()[1] == []

    generate("--seed", "8", "--reset")
    assert snapshot()["members"] != first["members"]


def test_the_city_plan_has_the_shape_of_a_city():
    """The city's tree is planned in Python without the database: its counts and nested sets."""
    from branches.scale.plan import PRESETS, plan_tree, walk

    nodes = list(walk(plan_tree(PRESETS["city"], "SCALE", 1)))
    count = {kind: sum(1 for n in nodes if n.kind == kind) for kind in OrgKind.values}
    assert count["city"] == 1 and count["district"] == 16 and count["town"] == 330
    assert 1200 <= count["general"] <= 1400 and 3700 <= count["village"] <= 4300
    assert 370_000 <= sum(n.members for n in nodes) <= 430_000
    assert sorted(v for n in nodes for v in (n.lft, n.rght)) == list(range(1, 2 * len(nodes) + 1))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's session_replication_role")
def test_a_bulk_load_checks_its_foreign_keys_at_its_end(db, tree):
    """`checked_at_end` queues no check per row and checks each key once the block ends: a row that names no row
    raises, and the block's savepoint takes back its rows and the setting; a sound load is kept."""

    def replication_role() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            return cursor.fetchone()[0]

    with checked_at_end():
        assert replication_role() == "replica"
        kept = Organization._base_manager.filter(pk=tree.v11.pk).update(name="堡林庄（改）")
    assert replication_role() == "origin" and kept == 1
    with pytest.raises(IntegrityError, match="branches.Organization.parent"):
        with checked_at_end():
            Organization._base_manager.filter(pk=tree.v12.pk).update(parent_id=10**9)
    assert replication_role() == "origin"
    assert Organization.objects.get(pk=tree.v12.pk).parent_id == tree.g1.pk
    assert Organization.objects.get(pk=tree.v11.pk).name == "堡林庄（改）"
