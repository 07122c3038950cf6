"""Pages past the first are read by a deferred join (anding/pagination.py): the same rows, in the same order, as
plain slicing, in the page lists and the API alike."""

from django.core.paginator import Paginator

from anding.pagination import DeferredJoinPaginator
from branches.models import PartyMember

from .factories import make_members


def test_every_page_holds_the_rows_plain_slicing_gives(tree):
    make_members(tree.v11, 23, prefix="甲")
    rows = PartyMember.objects.select_related("branch").order_by("name", "pk")
    plain, deferred = Paginator(rows, 7, orphans=2), DeferredJoinPaginator(rows, 7, orphans=2)

    assert deferred.num_pages == plain.num_pages
    for number in plain.page_range:
        assert [m.pk for m in deferred.page(number)] == [m.pk for m in plain.page(number)]


def test_the_member_list_and_the_api_page_the_same_members(client_as, tree, town_cadre):
    make_members(tree.v11, 60, prefix="乙")
    client = client_as(town_cadre)
    total = PartyMember.objects.count()
    api = client.get("/api/members/?page=2&page_size=5").json()
    expected = list(PartyMember.objects.order_by("branch__tree_id", "branch__lft", "name", "id")[5:10])

    assert api["count"] == total
    assert [row["id"] for row in api["results"]] == [m.pk for m in expected]
    page = client.get("/members/?page=2", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
