"""Deploying a task: the town to its general branches, a general branch to its own villages only; the form offers
only what the user may choose, refuses bad input with every error shown and the input kept. The acceptance test of
issue 3, done-when item 5, leads."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anding.models import AuditEvent
from branches.models import Task

from ..kit import shows_errors
from .conftest import DONE, IN_PROGRESS, assignment, days, deploy, deploy_form, rows_of, today


def test_town_deploys_to_two_general_branches_both_report_and_the_town_sees_each_status(
    client_as, tree, town_cadre, gb_secretary, gb2_secretary, village_secretary
):
    town, gb1, gb2, v11 = (client_as(u) for u in (town_cadre, gb_secretary, gb2_secretary, village_secretary))

    # The town deploys.
    response = town.post("/tasks/add/", deploy_form(tree.town, [tree.g1, tree.g2], title="全镇防汛检查"))
    task = Task.objects.get(title="全镇防汛检查")
    assert response.status_code == 302
    assert response.url == task.get_absolute_url()
    assert {a.assignee for a in task.assignments.all()} == {tree.g1, tree.g2}
    assert AuditEvent.objects.filter(action="task_deploy", object_id=str(task.pk), actor=town_cadre).exists()

    # Both general branches see it: in their list, among their own assignments, on its page and in the API.
    for client in (gb1, gb2):
        listing = client.get("/tasks/")
        assert task in rows_of(listing)
        assert [a.task for a in listing.context["my_assignments"]] == [task]
        assert client.get(task.get_absolute_url()).status_code == 200
        assert task.pk in [t["id"] for t in client.get("/api/tasks/").json()["results"]]

    # Each reports progress through its page.
    a1, a2 = assignment(task, tree.g1), assignment(task, tree.g2)
    r1 = gb1.post(
        f"/tasks/assignments/{a1.pk}/progress/", {"status": IN_PROGRESS, "note": "已布置到五个村", "version": 1}
    )
    r2 = gb2.post(f"/tasks/assignments/{a2.pk}/progress/", {"status": DONE, "note": "各村均已完成检查", "version": 1})
    assert r1.status_code == r2.status_code == 302
    assert r1.url == task.get_absolute_url()
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert (a1.status, a2.status) == (IN_PROGRESS, DONE)
    assert a2.completed_on == today()
    assert AuditEvent.objects.filter(action="task_progress").count() == 2

    # The town sees the status and the history of each.
    detail = town.get(task.get_absolute_url())
    shown = {a.assignee: a for a in detail.context["assignments"]}
    assert {org: a.status for org, a in shown.items()} == {tree.g1: IN_PROGRESS, tree.g2: DONE}
    text = detail.content.decode()
    assert "已布置到五个村" in text and "各村均已完成检查" in text
    assert detail.context["task"].done_count == 1
    assert detail.context["task"].assignee_total == 2

    # Each general branch sees its own part only.
    assert [a.assignee for a in gb1.get(task.get_absolute_url()).context["assignments"]] == [tree.g1]
    assert "各村均已完成检查" not in gb1.get(task.get_absolute_url()).content.decode()

    # A village outside the assignment sees nothing of it.
    assert v11.get(task.get_absolute_url()).status_code == 404
    assert task not in rows_of(v11.get("/tasks/"))
    assert task.title not in v11.get("/tasks/").content.decode()
    assert v11.get(f"/api/tasks/{task.pk}/").status_code == 404
    assert v11.get("/api/tasks/").json()["count"] == 0
    assert v11.get(f"/api/task-assignments/{a1.pk}/").status_code == 404
    assert v11.get(f"/tasks/assignments/{a1.pk}/progress/").status_code == 404


def test_a_general_branch_deploys_to_its_own_villages(client_as, tree, gb_secretary):
    response = client_as(gb_secretary).post("/tasks/add/", deploy_form(tree.g1, [tree.v11, tree.v12]))

    task = Task.objects.get()
    assert response.status_code == 302
    assert task.issued_by == tree.g1
    assert task.created_by == gb_secretary
    assert sorted(a.assignee.code for a in task.assignments.all()) == ["V11", "V12"]


def test_the_deploy_form_offers_only_the_users_own_issuer_and_the_units_below_it(client_as, tree, gb_secretary):
    form = client_as(gb_secretary).get("/tasks/add/").context["form"]

    assert list(form.fields["issued_by"].queryset) == [tree.g1]
    assert list(form.fields["assignees"].queryset) == [tree.v11, tree.v12]


def test_the_town_form_groups_assignees_by_general_branch(client_as, tree, town_cadre):
    response = client_as(town_cadre).get("/tasks/add/")

    form = response.context["form"]
    assert list(form.fields["issued_by"].queryset) == [tree.town]
    groups = form.fields["assignees"].widget.choices
    assert [name for name, _ in groups] == [tree.g1.name, tree.g2.name]
    assert [pk for pk, _ in groups[0][1]] == [tree.g1.pk, tree.v11.pk, tree.v12.pk]
    page_text = response.content.decode()
    assert f"<legend>{tree.g2.name}</legend>" in page_text
    assert f'value="{tree.v22.pk}"' in page_text


def test_a_general_branch_cannot_assign_a_village_of_its_sibling(client_as, tree, gb_secretary):
    response = client_as(gb_secretary).post("/tasks/add/", deploy_form(tree.g1, [tree.v11, tree.v21]))

    shows_errors(response, "assignees")
    assert not Task.objects.exists()


def test_the_service_refuses_an_assignee_outside_the_issuer(tree, town_cadre, gb_secretary):
    with pytest.raises(ValidationError) as refused:
        deploy(gb_secretary, tree.g1, [tree.v21])
    with pytest.raises(ValidationError) as refused_town:
        deploy(town_cadre, tree.g1, [tree.g2])  # the town deploying in g1's name: only g1's villages

    assert "assignees" in refused.value.message_dict
    assert "assignees" in refused_town.value.message_dict
    assert not Task.objects.exists()


def test_a_general_branch_cannot_deploy_in_the_name_of_the_town(client_as, tree, gb_secretary):
    response = client_as(gb_secretary).post("/tasks/add/", deploy_form(tree.town, [tree.v11]))

    shows_errors(response, "issued_by")
    assert not Task.objects.exists()
    with pytest.raises(PermissionDenied):
        deploy(gb_secretary, tree.town, [tree.v11])


def test_a_village_secretary_sees_no_deploy_button(client_as, tree, village_secretary, gb_secretary):
    village_page = client_as(village_secretary).get("/tasks/").content.decode()
    gb_page = client_as(gb_secretary).get("/tasks/").content.decode()

    assert 'href="/tasks/add/"' not in village_page
    assert 'href="/tasks/add/"' in gb_page


def test_a_due_date_in_the_past_is_refused(client_as, tree, town_cadre):
    response = client_as(town_cadre).post(
        "/tasks/add/", deploy_form(tree.town, [tree.g1], due_date=days(-1).isoformat())
    )

    shows_errors(response, "due_date")
    assert not Task.objects.exists()
    with pytest.raises(ValidationError) as refused:
        deploy(town_cadre, tree.town, [tree.g1], due_in=-1)
    assert "due_date" in refused.value.message_dict


def test_every_error_of_the_deploy_form_shows_at_once_and_the_input_is_kept(client_as, tree, town_cadre):
    response = client_as(town_cadre).post(
        "/tasks/add/", deploy_form(tree.town, [], title="  ", due_date=days(-5).isoformat(), description="说明文字")
    )

    for field in ("title", "due_date", "assignees"):
        shows_errors(response, field)
    assert "说明文字" in response.content.decode()
    assert not Task.objects.exists()


@pytest.mark.parametrize("bad", [{"due_date": "not a date"}, {"assignees": ["abc"]}, {"issued_by": "999999"}])
def test_hostile_deploy_input_is_an_error_not_a_crash(client_as, tree, town_cadre, bad):
    data = {**deploy_form(tree.town, [tree.g1]), **bad}

    response = client_as(town_cadre).post("/tasks/add/", data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Task.objects.exists()


def test_a_title_with_markup_is_shown_as_text(client_as, tree, town_cadre):
    client = client_as(town_cadre)
    client.post("/tasks/add/", deploy_form(tree.town, [tree.g1], title="<script>alert(1)</script>检查"))
    task = Task.objects.get()

    text = client.get(task.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;检查" in text
