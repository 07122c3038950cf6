"""Oversized and malformed input (issue 8): a text too long is refused at its field with the rest of the form kept;
error pages are translated and show nothing of the failure."""

import pytest
from django.test import Client, override_settings

from branches.models import Meeting

from .conftest import plan
from .meetings.conftest import record_form

FIVE_MB = "会" * (5 * 1024 * 1024 // 3)  # 5 MB of UTF-8


def test_a_5_mb_minutes_field_is_refused_at_the_field_and_the_rest_is_kept(client_as, tree, village_secretary):
    meeting = plan(village_secretary, tree.v11)
    data = record_form(meeting, minutes=FIVE_MB, place="村委会三楼会议室", decisions="举手表决，一致通过")

    response = client_as(village_secretary).post(f"/meetings/{meeting.pk}/record/", data)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["minutes"]
    message = form.errors["minutes"][0]
    assert "最多 20000 个字" in message
    assert message in response.content.decode()
    assert form["place"].value() == "村委会三楼会议室" and form["decisions"].value() == "举手表决，一致通过"
    assert Meeting.objects.get(pk=meeting.pk).minutes == ""  # nothing saved


@pytest.mark.parametrize(
    ("path", "field"),
    [("/members/add/", "name"), ("/tasks/add/", "description")],
)
def test_every_text_field_has_a_maximum(client_as, tree, town_cadre, path, field):
    response = client_as(town_cadre).post(path, {field: "字" * 30_000})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "字" * 30_000 not in str(response.context["form"].errors[field])


def test_a_post_above_the_upload_limit_gets_a_chinese_page(client_as, tree, village_secretary, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    meeting = plan(village_secretary, tree.v11)

    with override_settings(DEBUG=False):
        response = client_as(village_secretary).post(
            f"/meetings/{meeting.pk}/record/", record_form(meeting, minutes="x" * 5000)
        )

    assert response.status_code == 400
    page = response.content.decode()
    assert "超过" in page and "RequestDataTooBig" not in page and "Traceback" not in page


@pytest.mark.urls("tests.error_urls")
@override_settings(DEBUG=False)
def test_31_a_500_page_shows_no_traceback_and_is_in_chinese(db):
    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "出错" in page and 'lang="zh-hans"' in page
    for leak in ("Traceback", "RuntimeError", "secret detail", "boom"):
        assert leak not in page


@pytest.mark.urls("tests.error_urls")
@override_settings(DEBUG=False)
def test_31_an_api_500_stays_json_without_the_detail(db):
    response = Client(raise_request_exception=False).get("/api/boom/")

    assert response.status_code == 500 and "secret" not in response.json()["detail"]


@override_settings(DEBUG=False)
def test_the_404_and_403_pages_are_in_chinese(client_as, tree, village_secretary, deputy):
    missing = client_as(village_secretary).get("/no-such-page/")
    refused = client_as(deputy).get("/members/add/")

    assert missing.status_code == 404 and "找不到" in missing.content.decode()
    assert refused.status_code == 403 and "无权" in refused.content.decode()


def test_a_form_without_its_csrf_token_gets_a_translated_page(client, village_secretary):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(village_secretary)

    response = strict.post("/members/add/", {"name": "x"})

    assert response.status_code == 403
    text = response.content.decode()
    assert "表单已失效" in text and "CSRF" not in text
