"""Services refuse with Django's exceptions; the API's one exception handler turns them into API errors: a stale
version is 409, any other ValidationError 400 (per field where the service names one), PermissionDenied 403 and
Http404 404. The actions themselves catch nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from anding.api import exception_handler
from anding.concurrency import StaleObjectError


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def answer(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


def test_a_stale_version_is_a_conflict():
    status, data = answer(StaleObjectError())

    assert status == 409
    assert data["code"] == "stale"
    assert data["detail"].startswith("Someone else saved this record")


def test_a_stale_version_among_field_errors_is_still_a_conflict():
    status, data = answer(ValidationError({"version": [StaleObjectError()], "narrative": ["Too short."]}))

    assert status == 409 and data["code"] == "stale"


def test_a_refusal_naming_fields_is_400_per_field():
    status, data = answer(ValidationError({"narrative": ["Describe the work."], "month": ["Not begun."]}))

    assert status == 400
    assert data == {"narrative": ["Describe the work."], "month": ["Not begun."]}


def test_a_refusal_without_a_field_is_400_at_the_top():
    status, data = answer(ValidationError("The report is approved."))

    assert status == 400
    assert data == {"non_field_errors": ["The report is approved."]}


def test_django_permission_denied_and_404_keep_drf_answers():
    assert answer(PermissionDenied())[0] == 403
    assert answer(Http404())[0] == 404
