"""External partnerships and "general branch + N households" (issue 11): events, resources, trainings and shared
sales recorded through the pages and the API by a general branch's officers; scope per persona (through the general
branch: a village's secretary sees none), bad input (negative counts: at the field, nothing saved), query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from development import actions
from development.models import BranchResource, Partner, PartnerEvent, ResourceTraining, SharedSale

from ..kit import assert_flat, page_queries, shows_errors

TODAY = timezone.localdate()


def event_post(tree, partner, **changes):
    data = {
        "general_branch": tree.g1.pk,
        "partner": partner.pk,
        "kind": "job_fair",
        "date": TODAY.isoformat(),
        "title": "企业专场招聘会",
        "people_employed": "46",
        "person_times_trained": "0",
        "contracts": "0",
        "amount": "0",
        "note": "",
    }
    return {**data, **changes}


def sale_post(tree, **changes):
    data = {
        "general_branch": tree.g1.pk,
        "product": "桃",
        "channel": "共享网络销售平台",
        "quantity_jin": "12000",
        "amount": "42000",
        "date": TODAY.isoformat(),
    }
    return {**data, **changes}


def test_the_general_branch_records_partnerships_resources_and_sales(tree, gb_secretary, client_as):
    gb = client_as(gb_secretary)
    assert (
        gb.post("/development/partners/add/", {"name": "北京经济技术开发区", "kind": "development_zone"}).status_code
        == 302
    )
    zone = Partner.objects.get()
    assert gb.post("/development/events/add/", event_post(tree, zone)).status_code == 302
    event = PartnerEvent.objects.get()
    assert (event.general_branch, event.people_employed, event.created_by) == (tree.g1, 46, gb_secretary)

    member = tree.members["v11"][0]
    resource = {
        "general_branch": tree.g1.pk,
        "kind": "expert",
        "name": "果树专家",
        "specialty": "修剪",
        "member": member.pk,
    }
    created = gb.post("/development/resources/add/", resource)
    expert = BranchResource.objects.get()
    assert created.url == f"/development/resources/{expert.pk}/" and expert.member == member
    training = {"date": TODAY.isoformat(), "topic": "春季修剪", "person_times": "120"}
    assert gb.post(f"/development/resources/{expert.pk}/training/", training).status_code == 302
    assert gb.get(expert.get_absolute_url()).context["trained"] == 120
    changed = gb.post(f"/development/resources/{expert.pk}/edit/", {**resource, "specialty": "修剪、嫁接"})
    assert changed.status_code == 302
    expert.refresh_from_db()
    assert expert.specialty == "修剪、嫁接" and expert.member == member
    assert gb.post("/development/sales/add/", sale_post(tree)).status_code == 302
    listed = gb.get(f"/development/sales/?year={TODAY.year}")
    assert listed.context["sums"]["jin"] == Decimal("12000")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"people_employed": "-1"}, "people_employed"),
        ({"amount": "-0.01"}, "amount"),
        ({"title": " "}, "title"),
        ({"date": (TODAY + datetime.timedelta(days=1)).isoformat()}, "date"),
    ],
    ids=["negative-employed", "negative-amount", "no-title", "in-the-future"],
)
def test_a_bad_event_is_refused_at_the_field(tree, gb_secretary, client_as, changes, field):
    zone = Partner.objects.create(name="开发区", kind="development_zone")
    shows_errors(client_as(gb_secretary).post("/development/events/add/", event_post(tree, zone, **changes)), field)
    assert not PartnerEvent.objects.exists()


def test_bad_resources_trainings_and_sales_are_refused(tree, gb_secretary, client_as):
    gb = client_as(gb_secretary)
    foreign = {
        "general_branch": tree.g1.pk,
        "kind": "expert",
        "name": "专家",
        "specialty": "果树",
        "member": tree.members["v12"][0].pk,
    }
    assert gb.post("/development/resources/add/", foreign).status_code == 302  # 西庄 is in g1
    resource = BranchResource.objects.get()
    shows_errors(
        gb.post(f"/development/resources/{resource.pk}/training/", {"date": TODAY, "topic": "x", "person_times": "-5"}),
        "person_times",
    )
    assert not ResourceTraining.objects.exists()
    shows_errors(gb.post("/development/sales/add/", sale_post(tree, quantity_jin="-1")), "quantity_jin")
    shows_errors(gb.post("/development/sales/add/", sale_post(tree, general_branch=tree.g2.pk)), "general_branch")
    assert not SharedSale.objects.exists()


def test_a_member_of_another_general_branch_is_refused(tree, gb_secretary):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        actions.resource_add(
            actor=gb_secretary,
            general_branch=tree.g1,
            kind="expert",
            name="专家",
            specialty="果树",
            member=tree.members["v21"][0],
        )
    assert "member" in refused.value.message_dict


def test_an_event_is_completed_later(tree, gb_secretary, deputy, village_secretary, client_as):
    """The job fair is recorded, then its people employed once known; the deputy may, the village may not."""
    zone = Partner.objects.create(name="开发区", kind="development_zone")
    gb = client_as(gb_secretary)
    gb.post("/development/events/add/", event_post(tree, zone, people_employed="0"))
    event = PartnerEvent.objects.get()
    listed = gb.get("/development/events/").content.decode()
    assert f"/development/events/{event.pk}/edit/" in listed
    changed = client_as(deputy).post(
        f"/development/events/{event.pk}/edit/", event_post(tree, zone, people_employed="58")
    )
    assert changed.status_code == 302
    event.refresh_from_db()
    assert (event.people_employed, event.updated_by) == (58, deputy)
    shows_errors(gb.post(f"/development/events/{event.pk}/edit/", event_post(tree, zone, contracts="-2")), "contracts")
    assert client_as(village_secretary).get(f"/development/events/{event.pk}/edit/").status_code == 404
    patched = gb.patch(f"/api/partner-events/{event.pk}/", {"people_employed": 60}, content_type="application/json")
    assert (
        patched.status_code == 200
        and patched.json()["people_employed"] == 60
        and patched.json()["title"] == "企业专场招聘会"
    )
    refused = gb.patch(f"/api/partner-events/{event.pk}/", {"amount": "-1"}, content_type="application/json")
    assert refused.status_code == 400
    event.refresh_from_db()
    assert event.people_employed == 60 and event.contracts == 0


SCOPE = [  # persona: g2's resource page, its training page, its API; g2's event and sale in the API
    ("town_cadre", 200, 200, 200, 200, 200),
    ("gb2_secretary", 200, 200, 200, 200, 200),
    ("gb_secretary", 404, 404, 404, 404, 404),
    ("deputy", 404, 404, 404, 404, 404),
    ("village_secretary", 404, 404, 404, 404, 404),
    ("sifa", 404, 404, 404, 404, 404),
    ("outsider", 404, 404, 404, 404, 404),
]


@pytest.mark.parametrize(("persona", "page", "add", "api", "event", "sale"), SCOPE, ids=[r[0] for r in SCOPE])
def test_scope_per_persona(persona, page, add, api, event, sale, check_access, g2_resource, g2_event, g2_sale, sifa):
    check_access(persona, "/development/resources/{g2_resource.pk}/", page)
    check_access(persona, "/development/resources/{g2_resource.pk}/training/", add)
    check_access(persona, "/development/resources/{g2_resource.pk}/edit/", add)
    check_access(persona, "/api/branch-resources/{g2_resource.pk}/", api)
    check_access(persona, "/api/partner-events/{g2_event.pk}/", event)
    check_access(persona, "/development/events/{g2_event.pk}/edit/", event)
    check_access(persona, "/api/shared-sales/{g2_sale.pk}/", sale)


def test_lists_show_only_the_scope(
    g2_event, g2_resource, g2_sale, gb_secretary, gb2_secretary, village_secretary, client_as
):
    for user, count in ((gb2_secretary, 1), (gb_secretary, 0), (village_secretary, 0)):
        client = client_as(user)
        for path in (
            "/development/events/",
            "/development/resources/",
            "/development/sales/",
            "/development/trainings/",
        ):
            assert client.get(path).context["paginator"].count == count, (user, path)
        for path in ("/api/partner-events/", "/api/branch-resources/", "/api/shared-sales/"):
            assert client.get(path).json()["count"] == count, (user, path)
    assert client_as(village_secretary).get("/development/events/add/").status_code == 403


def test_the_api_records_and_refuses(tree, gb_secretary, g2_resource, client_as):
    api = client_as(gb_secretary)
    zone = Partner.objects.create(name="开发区", kind="development_zone")
    created = api.post("/api/partner-events/", event_post(tree, zone), content_type="application/json")
    assert created.status_code == 201, created.content
    negative = api.post("/api/shared-sales/", sale_post(tree, amount="-5"), content_type="application/json")
    assert negative.status_code == 400
    foreign = api.post(
        "/api/shared-sales/", sale_post(tree, general_branch=tree.g2.pk), content_type="application/json"
    )
    assert foreign.status_code == 400 and "general_branch" in foreign.json()
    resource = api.post(
        "/api/branch-resources/",
        {"general_branch": tree.g1.pk, "kind": "cooperative", "name": "合作社", "specialty": "销售"},
        content_type="application/json",
    )
    assert resource.status_code == 201
    url = f"/api/branch-resources/{resource.json()['id']}/trainings/"
    trained = api.post(
        url, {"date": TODAY.isoformat(), "topic": "电商", "person_times": 30}, content_type="application/json"
    )
    assert trained.status_code == 201 and trained.json()["trainings"][0]["person_times"] == 30
    other = f"/api/branch-resources/{g2_resource.pk}/trainings/"
    assert (
        api.post(
            other, {"date": TODAY.isoformat(), "topic": "x", "person_times": 1}, content_type="application/json"
        ).status_code
        == 404
    )


def test_query_counts_stay_flat(tree, gb_secretary, client_as):
    client = client_as(gb_secretary)
    zone = Partner.objects.create(name="开发区", kind="development_zone")

    def make(count):
        def build():
            for n in range(count):
                actions.event_add(
                    actor=gb_secretary, general_branch=tree.g1, partner=zone, kind="order", date=TODAY, title=f"订单{n}"
                )
                resource = actions.resource_add(
                    actor=gb_secretary,
                    general_branch=tree.g1,
                    kind="cooperative",
                    name=f"合作社{count}-{n}",
                    specialty="销售",
                )
                actions.training_add(actor=gb_secretary, resource=resource, date=TODAY, topic="电商", person_times=10)
                actions.sale_add(
                    actor=gb_secretary,
                    general_branch=tree.g1,
                    product="桃",
                    channel="平台",
                    quantity_jin=Decimal(1),
                    amount=Decimal(1),
                    date=TODAY,
                )
            return resource

        return build

    def measure(resource):
        paths = [
            "/development/events/",
            "/development/resources/",
            "/development/trainings/",
            "/development/sales/",
            "/api/partner-events/",
            "/api/branch-resources/",
            "/api/shared-sales/",
            resource.get_absolute_url(),
        ]
        return tuple(page_queries(client, path) for path in paths)

    assert_flat(measure, make(1), make(10))


def test_a_resource_is_linked_to_households_of_its_general_branch(
    tree, gb_secretary, village_secretary, g2_household, client_as
):
    """总支+N农户: the households a resource works with come from the register of the general branch's villages."""
    from services import actions as service_actions

    ours = [
        service_actions.household_save(
            actor=village_secretary,
            household=None,
            village=tree.v11,
            number=f"{n:03d}",
            head_name=f"东庄户主{n}",
            address="东庄村",
            size=3,
        )
        for n in range(2)
    ]
    client = client_as(gb_secretary)
    form = {"general_branch": tree.g1.pk, "kind": "cooperative", "name": "果品合作社", "specialty": "桃树修剪"}
    refused = client.post("/development/resources/add/", {**form, "households": [ours[0].pk, g2_household.pk]})
    assert refused.status_code == 200 and "households" in refused.context["form"].errors  # g2's is not a choice
    assert not BranchResource.objects.exists()
    client.post("/development/resources/add/", {**form, "households": [h.pk for h in ours]})
    resource = BranchResource.objects.get()
    assert set(resource.households.all()) == set(ours)
    page = client.get(resource.get_absolute_url()).content.decode()
    assert all(h.head_name in page for h in ours)
    # The action refuses another general branch's household whatever the form offered.
    with pytest.raises(ValidationError) as refusal:
        actions.resource_add(
            actor=gb_secretary,
            resource=resource,
            general_branch=tree.g1,
            kind="cooperative",
            name="果品合作社",
            specialty="桃树修剪",
            households=[g2_household],
        )
    assert "households" in refusal.value.message_dict
    assert set(resource.households.all()) == set(ours)
    # The API links them too, and lists them.
    api = client.post(
        "/api/branch-resources/",
        {**form, "name": "农机合作社", "households": [ours[1].pk]},
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["households"] == [ours[1].pk]
    foreign = client.post(
        "/api/branch-resources/", {**form, "households": [g2_household.pk]}, content_type="application/json"
    )
    assert foreign.status_code == 400 and "households" in foreign.json()
