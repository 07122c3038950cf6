"""Small things a person notices (issue 8): an officer's title said once, money with separators or in 万元, the API
documentation offered to administrators only, the 姓名 column of the members list."""

import decimal

from django.urls import reverse
from django.utils import translation

from anding.templatetags.portal import yuan
from branches.choices import Role

from .factories import PositionFactory, UserFactory


def test_an_officer_title_equal_to_the_role_is_said_once(client_as, tree, town_cadre):
    PositionFactory(
        user=UserFactory(username="xz", full_name="熊志"),
        organization=tree.v11,
        role=Role.VILLAGE_SECRETARY,
        title="村党支部书记",
    )
    html = client_as(town_cadre).get(tree.v11.get_absolute_url()).content.decode()
    assert "村党支部书记" in html and "(村党支部书记)" not in html


def test_money_reads_in_wan_yuan_or_with_separators():
    with translation.override("zh-hans"):
        assert yuan(decimal.Decimal("1234567.00")) == "123.46万元"
        assert yuan(decimal.Decimal("8500")) == "8,500元"
        assert yuan(None) == ""
    with translation.override("en"):
        assert yuan(decimal.Decimal("25000")) == "2.50 10k yuan"


def test_the_village_page_shows_its_income_in_wan_yuan(client_as, tree, town_cadre):
    tree.v11.collective_income_yuan = decimal.Decimal("2345678")
    tree.v11.save(update_fields=["collective_income_yuan"])
    html = client_as(town_cadre).get(tree.v11.get_absolute_url()).content.decode()
    assert "234.57万元" in html, html[html.find("集体经济") : html.find("集体经济") + 200]


def test_the_api_documentation_link_shows_to_administrators_only(client_as, tree, town_cadre, superuser):
    docs = reverse("api-docs")
    assert f'href="{docs}"' not in client_as(town_cadre).get("/").content.decode()
    assert f'href="{docs}"' in client_as(superuser).get("/").content.decode()


def test_the_members_name_column_reads_xingming(client_as, tree, town_cadre):
    html = client_as(town_cadre).get(reverse("branches:member_list")).content.decode()
    assert "姓名" in html
