"""Tree writes under load (issue 13): moves and creates from parallel transactions on PostgreSQL leave a tree that
`check_tree` accepts, each write serialised by the tree lock (branches/tree.py)."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from branches import actions
from branches.choices import OrgKind
from branches.models import Organization, OrgChange

from .conftest import more_villages

WORKERS, ROUNDS = 4, 5


@pytest.mark.django_db(transaction=True)
def test_parallel_moves_and_creates_leave_a_sound_tree_on_postgresql(tree, sysadmin):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with real concurrent transactions")
    # Each mover owns two villages, one per general branch, and moves them to the other one every round.
    owned = list(zip(more_villages(tree, "g1", WORKERS, "甲"), more_villages(tree, "g2", WORKERS, "乙"), strict=True))
    generals = {tree.g1.pk: tree.g2.pk, tree.g2.pk: tree.g1.pk}
    barrier, failures = threading.Barrier(2 * WORKERS), []

    def work(write):
        try:
            barrier.wait()
            for n in range(ROUNDS):
                write(n)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    def mover(i):
        def move(_n):
            for village in owned[i]:
                village = Organization.objects.get(pk=village.pk)
                actions.organization_move(
                    actor=sysadmin,
                    organization=village,
                    new_parent=Organization.objects.get(pk=generals[village.parent_id]),
                    effective_date=datetime.date.today(),
                    reason="并行调整",
                )

        return move

    def creator(i):
        def create(n):
            parent = Organization.objects.get(pk=(tree.g1, tree.g2)[(i + n) % 2].pk)
            village = Organization(kind=OrgKind.VILLAGE, name=f"新村{i}{n}", code=f"N{i}{n}", parent=parent)
            actions.organization_create(actor=sysadmin, organization=village)

        return create

    threads = [threading.Thread(target=work, args=(make(i),)) for i in range(WORKERS) for make in (mover, creator)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    call_command("check_tree")  # raises CommandError on any problem
    villages = Organization.objects.filter(kind=OrgKind.VILLAGE)
    assert villages.count() == 4 + 2 * WORKERS + WORKERS * ROUNDS
    assert OrgChange.objects.filter(reason="并行调整").count() == 2 * WORKERS * ROUNDS
    for first, second in owned:  # moved an odd number of times: each sits under the other general branch now
        assert Organization.objects.get(pk=first.pk).parent_id == tree.g2.pk
        assert Organization.objects.get(pk=second.pk).parent_id == tree.g1.pk
