"""Meeting attachments: checked by their content, downloadable only inside the meeting's scope, always as a file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anding.models import AuditEvent
from branches import services
from branches.choices import MeetingKind
from branches.models import MeetingAttachment

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def meeting(tree, village_secretary):
    import datetime

    from django.utils import timezone

    return services.meeting_plan(
        actor=village_secretary,
        organization=tree.v11,
        kind=MeetingKind.BRANCH_COMMITTEE,
        title="支委会",
        planned_for=timezone.localdate() + datetime.timedelta(days=2),
    )


def upload(client, meeting, name, content):
    return client.post(f"/meetings/{meeting.pk}/attachments/", {"file": SimpleUploadedFile(name, content)})


def test_the_secretary_attaches_a_pdf_and_others_in_scope_download_it(
    client_as, meeting, village_secretary, gb_secretary
):
    response = upload(client_as(village_secretary), meeting, "会议记录.pdf", PDF)

    assert response.status_code == 302
    attachment = MeetingAttachment.objects.get()
    assert attachment.original_name == "会议记录.pdf"
    assert "会议记录" not in attachment.file.name  # stored under a random name
    assert AuditEvent.objects.filter(action="meeting_attach").exists()
    page = client_as(gb_secretary).get(meeting.get_absolute_url()).content.decode()
    assert "会议记录.pdf" in page
    download = client_as(gb_secretary).get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


def test_out_of_scope_and_anonymous_get_nothing(client_as, client, meeting, village_secretary, gb2_secretary):
    upload(client_as(village_secretary), meeting, "a.pdf", PDF)
    url = MeetingAttachment.objects.get().get_absolute_url()

    assert client_as(gb2_secretary).get(url).status_code == 404
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00 this is an executable"),  # a program renamed to .pdf
        ("tool.exe", b"MZ\x90\x00"),
        ("page.html", b"<script>alert(1)</script>"),
        ("big.pdf", PDF + b"0" * (10 * 1024 * 1024)),
    ],
)
def test_wrong_disguised_or_oversized_files_are_refused(client_as, meeting, village_secretary, name, content):
    response = upload(client_as(village_secretary), meeting, name, content)

    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"]
    assert not MeetingAttachment.objects.exists()


def test_only_who_records_may_attach_or_remove(client_as, meeting, village_secretary, deputy):
    assert upload(client_as(deputy), meeting, "a.pdf", PDF).status_code == 403
    upload(client_as(village_secretary), meeting, "a.pdf", PDF)
    attachment = MeetingAttachment.objects.get()
    detach = f"/meetings/{meeting.pk}/attachments/{attachment.pk}/delete/"

    assert client_as(deputy).post(detach).status_code == 403
    assert client_as(village_secretary).post(detach).status_code == 302
    assert not MeetingAttachment.objects.exists()
