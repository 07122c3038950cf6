"""Who reaches which task page: anonymous → login, out of scope → 404, in scope → 200, wrong role → 403; who may
not deploy saves nothing; the admin shows tasks read only and in scope."""

import pytest
from django.contrib.auth.models import Permission

from branches.models import Task, TaskProgress

from .. import kit
from .conftest import DONE, assignment, days, deploy_form, progress_url, report

TOWN_TASK, G1_TASK = "/tasks/{town_task.pk}/", "/tasks/{g1_task.pk}/"
PROGRESS_G1, PROGRESS_G2 = (
    "/tasks/assignments/{assignments[g1].pk}/progress/",
    "/tasks/assignments/{assignments[g2].pk}/progress/",
)
PROGRESS_V11, PROGRESS_V12 = (
    "/tasks/assignments/{assignments[v11].pk}/progress/",
    "/tasks/assignments/{assignments[v12].pk}/progress/",
)

ACCESS = [
    *kit.anonymous(["/tasks/", "/tasks/?export=xlsx", "/tasks/add/", TOWN_TASK, G1_TASK, PROGRESS_G1, PROGRESS_V11]),
    # The town: everything; it deploys, and (by the service's rule) may report for any assignee below it.
    ("town_cadre", "/tasks/", 200),
    ("town_cadre", "/tasks/?export=xlsx", 200),
    ("town_cadre", "/tasks/add/", 200),
    ("town_cadre", TOWN_TASK, 200),
    ("town_cadre", G1_TASK, 200),
    ("town_cadre", PROGRESS_G1, 200),
    # A general-branch secretary: tasks to or from its branch; reports for itself and its villages.
    ("gb_secretary", "/tasks/", 200),
    ("gb_secretary", "/tasks/add/", 200),
    ("gb_secretary", TOWN_TASK, 200),
    ("gb_secretary", G1_TASK, 200),
    ("gb_secretary", PROGRESS_G1, 200),
    ("gb_secretary", PROGRESS_G2, 404),
    ("gb_secretary", PROGRESS_V11, 200),
    # The sibling general branch: the town's task (it is an assignee), not g1's own task.
    ("gb2_secretary", TOWN_TASK, 200),
    ("gb2_secretary", G1_TASK, 404),
    ("gb2_secretary", PROGRESS_G1, 404),
    ("gb2_secretary", PROGRESS_V11, 404),
    # A village secretary: only what its village was assigned; it cannot deploy.
    ("village_secretary", "/tasks/", 200),
    ("village_secretary", "/tasks/add/", 403),
    ("village_secretary", TOWN_TASK, 404),
    ("village_secretary", G1_TASK, 200),
    ("village_secretary", PROGRESS_V11, 200),
    ("village_secretary", PROGRESS_V12, 404),
    ("village_secretary", PROGRESS_G1, 404),
    # The deputy sees g1's tasks but neither deploys nor reports.
    ("deputy", "/tasks/add/", 403),
    ("deputy", TOWN_TASK, 200),
    ("deputy", G1_TASK, 200),
    ("deputy", PROGRESS_G1, 403),
    ("deputy", PROGRESS_V11, 403),
    # Department staff and a user without a position see no task.
    ("dept_staff", "/tasks/", 200),
    ("dept_staff", "/tasks/add/", 403),
    ("dept_staff", TOWN_TASK, 404),
    ("outsider", "/tasks/", 200),
    ("outsider", "/tasks/add/", 403),
    ("outsider", TOWN_TASK, 404),
    ("outsider", PROGRESS_V11, 404),
]


@kit.access_table(ACCESS)
def test_each_persona_gets_what_its_scope_and_role_allow(check_access, town_task, g1_task, persona, url, status):
    check_access(persona, url, status)


def test_anonymous_posts_save_nothing(check_access, tree, town_task):
    progress, data = progress_url(assignment(town_task, tree.g1)), {"status": DONE, "note": "x", "version": 1}

    check_access("anonymous", "/tasks/add/", kit.LOGIN, method="post", data=deploy_form(tree.town, [tree.g1]))
    check_access("anonymous", progress, kit.LOGIN, method="post", data=data)

    assert Task.objects.count() == 1
    assert not TaskProgress.objects.exists()


@pytest.mark.parametrize("persona", ["village_secretary", "deputy", "dept_staff"])
def test_who_may_not_deploy_gets_403_and_nothing_is_saved(check_access, tree, persona):
    api_data = {"issued_by": tree.g1.pk, "title": "x", "due_date": days(3).isoformat(), "assignees": [tree.v11.pk]}

    check_access(persona, "/tasks/add/", 403)
    check_access(persona, "/tasks/add/", 403, method="post", data=deploy_form(tree.g1, [tree.v11]))
    check_access(persona, "/api/tasks/", 403, method="post", data=api_data, content_type="application/json")

    assert not Task.objects.exists()


def test_the_admin_shows_tasks_read_only(client_as, superuser, tree, town_task, gb_secretary):
    report(gb_secretary, assignment(town_task, tree.g1))
    client = client_as(superuser)

    changelist = client.get("/admin/branches/task/")
    change = client.get(f"/admin/branches/task/{town_task.pk}/change/")
    progress = client.get("/admin/branches/taskprogress/")

    assert changelist.status_code == change.status_code == progress.status_code == 200
    assert town_task.title in changelist.content.decode()
    assert tree.g2.name in change.content.decode()  # the inline lists the assignees
    assert "已部署到各村" in progress.content.decode()
    assert client.get("/admin/branches/task/add/").status_code == 403
    assert client.post(f"/admin/branches/task/{town_task.pk}/change/", {"title": "改"}).status_code == 403
    assert client.post(f"/admin/branches/task/{town_task.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Task.objects.get().title == town_task.title


def test_the_admin_is_scoped(client_as, tree, gb2_secretary, town_task, g1_task):

    gb2_secretary.is_staff = True
    gb2_secretary.save()
    gb2_secretary.user_permissions.add(*Permission.objects.filter(codename__in=["view_task", "view_taskprogress"]))
    client = client_as(gb2_secretary)

    changelist = client.get("/admin/branches/task/").content.decode()

    assert town_task.title in changelist
    assert g1_task.title not in changelist
    assert client.get(f"/admin/branches/task/{g1_task.pk}/change/").status_code in (302, 404)
