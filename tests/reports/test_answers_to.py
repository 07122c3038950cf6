"""A village knows whom it answers to (issue 8): its page and its secretary's dashboard name its general branch,
its liaison deputy and who reviews its report next (the deputy while submitted, else the general-branch
secretary)."""

import re

from branches import actions
from branches.choices import ReportStatus

from .conftest import LAST_MONTH, make_report, page


def answers(response) -> str:
    """The text of the "answers to" card, tags stripped."""
    html = re.search(r'<section class="card mb-3 answers-to".*?</section>', page(response), flags=re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def next_reviewer(response) -> str:
    html = re.search(r'<dd class="col-7 next-reviewer">(.*?)</dd>', page(response), flags=re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_village_page_names_general_branch_deputy_and_next_reviewer(people, tree, en):
    response = en(people["town"]).get(tree.v11.get_absolute_url())
    text = answers(response)
    assert tree.g1.name in text and "dep1" in text and "gb1" in text
    assert f'href="{tree.g1.get_absolute_url()}"' in page(response)  # the town may open the general branch
    assert next_reviewer(response).startswith("gb1")  # nothing submitted: the secretary


def test_the_deputy_reviews_next_while_submitted_then_the_secretary(people, tree, en):
    client = en(people["sec"]["v11"])
    report = make_report(people, tree, "v11", LAST_MONTH, ReportStatus.SUBMITTED)
    response = client.get(tree.v11.get_absolute_url())
    assert next_reviewer(response).startswith("dep1")
    assert report.get_absolute_url() in page(response)
    actions.report_check(actor=people["dep1"], report=report)
    assert next_reviewer(client.get(tree.v11.get_absolute_url())).startswith("gb1")


def test_without_a_liaison_deputy_the_secretary_reviews(people, tree, en):
    make_report(people, tree, "v21", LAST_MONTH, ReportStatus.SUBMITTED)
    response = en(people["sec"]["v21"]).get(tree.v21.get_absolute_url())
    assert next_reviewer(response).startswith("gb2")
    assert "none" in answers(response)  # no liaison deputy
    # the village secretary cannot open the general branch: its name, not a link
    assert tree.g2.name in answers(response) and f'href="{tree.g2.get_absolute_url()}"' not in page(response)


def test_the_village_secretary_dashboard_says_it_too(people, tree, en):
    response = en(people["sec"]["v11"]).get("/")
    text = answers(response)
    assert tree.g1.name in text and "dep1" in text


def test_a_general_branch_page_has_no_such_card(people, tree, en):
    assert "answers-to" not in page(en(people["town"]).get(tree.g1.get_absolute_url()))
