"""The admin offers a staff user only their scope: changelists, and every foreign-key and many-to-many choice
(the tree's parent, a position's organization and liaison villages), issue 7."""

import pytest
from django.contrib.auth.models import Permission

from branches.models import Position


@pytest.fixture
def staff_gb1(gb_secretary):
    gb_secretary.is_staff = True
    gb_secretary.save()
    gb_secretary.user_permissions.set(
        Permission.objects.filter(codename__in=["change_position", "view_position", "change_organization"])
    )
    return gb_secretary


def choice_ids(response, field):
    return set(response.context["adminform"].form.fields[field].queryset.values_list("pk", flat=True))


def test_the_choices_of_a_position_hold_only_the_staff_users_scope(client_as, tree, staff_gb1):
    position = Position.objects.get(user=staff_gb1)
    response = client_as(staff_gb1).get(f"/admin/branches/position/{position.pk}/change/")

    assert response.status_code == 200
    assert choice_ids(response, "liaison_villages") <= {tree.g1.pk, tree.v11.pk, tree.v12.pk}
    assert tree.v21.pk not in choice_ids(response, "liaison_villages")


def test_the_parent_choices_of_the_tree_hold_only_the_staff_users_scope(client_as, tree, staff_gb1):
    response = client_as(staff_gb1).get(f"/admin/branches/organization/{tree.v11.pk}/change/")

    assert response.status_code == 200
    assert choice_ids(response, "parent") == {tree.g1.pk, tree.v11.pk, tree.v12.pk}


def test_an_out_of_scope_choice_posted_by_hand_is_refused(client_as, tree, staff_gb1):
    position = Position.objects.get(user=staff_gb1)
    response = client_as(staff_gb1).post(
        f"/admin/branches/position/{position.pk}/change/",
        {"user": staff_gb1.pk, "organization": tree.g1.pk, "role": position.role, "liaison_villages": [tree.v21.pk]},
    )

    assert response.status_code == 200  # the form again, with the error
    assert "liaison_villages" in response.context["adminform"].form.errors
    assert not position.liaison_villages.filter(pk=tree.v21.pk).exists()


def test_a_superuser_sees_every_choice(client_as, tree, superuser):
    response = client_as(superuser).get(f"/admin/branches/organization/{tree.v11.pk}/change/")

    assert {tree.g2.pk, tree.v21.pk} <= choice_ids(response, "parent")
