"""Date pickers keep their values in every language: a browser's date input only understands ISO dates."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_member_edit_form_shows_the_stored_dates(client_as, tree, village_secretary, language):
    member = tree.members["v11"][0]
    client = client_as(village_secretary)
    client.cookies["django_language"] = language

    html = client.get(f"/members/{member.pk}/edit/").content.decode()

    values = dict(re.findall(r'<input type="date" name="(\w+)" value="([^"]*)"', html))
    assert values["birth_date"] == member.birth_date.isoformat()
    assert values["joined_on"] == member.joined_on.isoformat()


def test_chinese_pages_show_chinese_dates(client_as, tree, village_secretary):
    member = tree.members["v11"][0]
    html = client_as(village_secretary).get(f"/members/{member.pk}/").content.decode()
    d = member.birth_date
    assert f"{d.year}年{d.month}月{d.day}日" in html
