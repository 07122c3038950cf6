"""The recruitment's pages: who sees a case (out of scope is 404), who records (deputies see, 403), the timeline
with the next step's window, recording a step and its refusals on the form, opening a case, the list's filters
and export, the pre-review's pages, and bounded queries."""

import datetime

import pytest
from django.urls import reverse

from branches.models import RecruitmentCase, RecruitmentPreReview

from .. import kit
from ..cases import RECRUITMENT_DATES as D
from ..cases import id_number, open_prereview, recruit

LIST = reverse("branches:recruitment_list")


@pytest.fixture
def case(tree, v21_secretary):
    return recruit(v21_secretary, tree.v21, 6)


ACCESS = [
    *kit.anonymous([LIST, "/recruitment/{case.pk}/", "/recruitment/{case.pk}/step/", "/recruitment/open/"]),
    ("town_cadre", "/recruitment/{case.pk}/", 200),
    ("gb2_secretary", "/recruitment/{case.pk}/", 200),
    ("gb2_secretary", "/recruitment/{case.pk}/step/", 200),
    ("gb_secretary", "/recruitment/{case.pk}/", 404),
    ("gb_secretary", "/recruitment/{case.pk}/step/", 404),
    ("village_secretary", "/recruitment/{case.pk}/", 404),
    ("village_secretary", "/recruitment/{case.pk}/end/", 404),
    ("deputy", "/recruitment/{case.pk}/", 404),
    ("dept_staff", "/recruitment/{case.pk}/", 404),
    ("outsider", "/recruitment/{case.pk}/", 404),
    ("outsider", LIST, 200),
    ("deputy", "/recruitment/open/", 403),
    ("village_secretary", "/recruitment/open/", 200),
]


@kit.access_table(ACCESS)
def test_access(check_access, case, persona, url, status):
    check_access(persona, url, status)


def test_the_general_branch_and_the_village_see_the_deputy_only_sees(client_as, case, v21_secretary, g2_deputy):
    assert client_as(v21_secretary).get(case.get_absolute_url()).status_code == 200
    deputy = client_as(g2_deputy)
    page = deputy.get(case.get_absolute_url())
    assert page.status_code == 200 and reverse("branches:recruitment_step", args=[case.pk]) not in page.content.decode()
    assert deputy.get(reverse("branches:recruitment_step", args=[case.pk])).status_code == 403
    assert (
        deputy.post(reverse("branches:recruitment_step", args=[case.pk]), {"done_on": "2023-03-02"}).status_code == 403
    )
    listed = deputy.get(LIST)
    assert case.name in listed.content.decode()


def test_the_timeline_shows_the_next_steps_window(client_as, case, v21_secretary):
    page = client_as(v21_secretary).get(case.get_absolute_url())
    content = page.content.decode()
    nxt = next(t for t in page.context["timeline"] if t.state == "next")
    assert nxt.number == 7 and nxt.window.earliest == datetime.date(2023, 3, 1)
    assert "培养教育一年以上" in content and "2023年3月1日" in content
    assert [t.state for t in page.context["timeline"]].count("done") == 6


def test_recording_a_step_on_the_page(client_as, case, v21_secretary):
    client = client_as(v21_secretary)
    url = reverse("branches:recruitment_step", args=[case.pk])
    refused = client.post(url, {"done_on": "2023-02-01", "version": case.version})
    messages = kit.shows_errors(refused, "done_on")
    assert "培养教育一年以上" in messages[0]
    case.refresh_from_db()
    assert case.last_step == 6
    done = client.post(url, {"done_on": "2023-03-02", "people": "李明、王芳", "version": case.version})
    assert done.status_code == 302 and done["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.last_step == 7 and case.steps.get(number=7).people == "李明、王芳"


def test_a_vote_without_quorum_is_refused_on_the_page(tree, client_as, v21_secretary, gb2_secretary):
    case = recruit(v21_secretary, tree.v21, 14, approver=gb2_secretary)
    url = reverse("branches:recruitment_step", args=[case.pk])
    data = {"done_on": D[15].isoformat(), "expected": 20, "present": 9, "in_favour": 9, "version": case.version}
    response = client_as(v21_secretary).post(url, data)
    kit.shows_errors(response, "present")
    case.refresh_from_db()
    assert case.last_step == 14


def test_opening_a_case_on_the_page(tree, client_as, v21_secretary, village_secretary):
    client = client_as(v21_secretary)
    data = {
        "village": tree.v21.pk,
        "name": "刘晓红",
        "gender": "female",
        "birth_date": "1995-03-10",
        "id_number": id_number(seq=12),
        "applied_on": "2025-02-03",
        "people": "",
        "note": "",
    }
    response = client.post(reverse("branches:recruitment_open"), data)
    case = RecruitmentCase.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.stage == "applicant" and case.steps.get().number == 1
    assert "刘晓红" in client.get(case.get_absolute_url()).content.decode()
    bad = client.post(reverse("branches:recruitment_open"), {**data, "gender": "male", "name": "", "id_number": "1"})
    errors = bad.context["form"].errors
    assert {"name", "id_number"} <= set(errors)
    other = client_as(village_secretary).post(reverse("branches:recruitment_open"), data)
    assert "village" in other.context["form"].errors  # not v11's village
    assert RecruitmentCase.objects.count() == 1


def test_list_filters_and_export(tree, client_as, case, gb2_secretary, v21_secretary):
    other = recruit(v21_secretary, tree.v21, 2, name="赵小兵", seq=13)
    client = client_as(gb2_secretary)
    content = client.get(LIST + "?stage=activist").content.decode()
    assert case.name in content and other.name not in content
    content = client.get(LIST + f"?within={tree.v21.pk}&state=open&q=赵").content.decode()
    assert other.name in content and case.name not in content
    export = client.get(LIST + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_prereview_pages(tree, client_as, v21_secretary, gb2_secretary, village_secretary, gb_secretary):
    case = recruit(v21_secretary, tree.v21, 12)
    village = client_as(v21_secretary)
    page = village.get(case.get_absolute_url())
    opening = reverse("branches:recruitment_prereview_open") + f"?recruitment={case.pk}"
    assert opening in page.content.decode()
    assert village.get(opening).context["form"].initial["recruitment"] == case.pk
    response = village.post(
        reverse("branches:recruitment_prereview_open"), {"recruitment": case.pk, "summary": "条件具备。", "due_on": ""}
    )
    review = RecruitmentPreReview.objects.get()
    assert response.status_code == 302 and review.village == tree.v21 and review.recruitment == case
    assert review.general_branch == tree.g2 and case.name in review.title
    assert village.get(review.get_absolute_url()).status_code == 200  # the village always sees its candidate
    assert client_as(village_secretary).get(review.get_absolute_url()).status_code == 404
    assert client_as(gb_secretary).get(review.get_absolute_url()).status_code == 404
    transition = reverse("branches:recruitment_prereview_transition", args=[review.pk, "approve"])
    assert village.get(transition).status_code == 403
    assert client_as(gb2_secretary).get(review.get_absolute_url()).status_code == 200
    early = recruit(v21_secretary, tree.v21, 11, name="钱多", seq=15)
    response = village.post(reverse("branches:recruitment_prereview_open"), {"recruitment": early.pk, "summary": ""})
    assert response.status_code == 200 and "recruitment" in response.context["form"].errors
    assert RecruitmentPreReview.objects.count() == 1
    with pytest.raises(Exception):  # noqa: B017  (one pre-review per case)
        open_prereview(v21_secretary, case)


def test_query_counts_do_not_grow(tree, client_as, v21_secretary, gb2_secretary, town_cadre):
    made = []

    def make(n):
        def build():
            for _ in range(n):
                made.append(recruit(v21_secretary, tree.v21, 3, name=f"人{len(made)}", seq=101 + 2 * len(made)))
            return made[0]

        return build

    clients = [client_as(v21_secretary), client_as(gb2_secretary), client_as(town_cadre)]

    def measure(first):
        pages = [
            LIST,
            LIST + "?stage=activist",
            first.get_absolute_url(),
            reverse("branches:recruitment_step", args=[first.pk]),
        ]
        return tuple(kit.page_queries(c, p) for c in clients for p in pages if not (c is clients[2] and "step" in p))

    kit.assert_flat(measure, make(2), make(18))


def test_a_double_submit_records_the_step_once(client_as, case, v21_secretary):
    client = client_as(v21_secretary)
    url = reverse("branches:recruitment_step", args=[case.pk])
    data = {"done_on": "2023-03-02", "number": 7, "version": case.version}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 302 and again["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.last_step == 7 and case.steps.filter(number=7).count() == 1
