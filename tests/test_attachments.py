"""Meeting attachments: checked by their content, downloadable only inside the meeting's scope, always as a file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anding.models import AuditEvent
from branches import actions
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

    return actions.meeting_plan(
        actor=village_secretary,
        organization=tree.v11,
        kind=MeetingKind.BRANCH_COMMITTEE,
        title="支委会",
        planned_for=timezone.localdate() + datetime.timedelta(days=2),
    )


def upload(client, meeting, name, content):
    return client.post(f"/meetings/{meeting.pk}/attachments/", {"file": SimpleUploadedFile(name, content)})


def test_30_an_attachment_is_stored_under_a_random_name_and_downloaded_as_an_attachment(
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
def test_30_wrong_disguised_or_oversized_files_are_refused(client_as, meeting, village_secretary, name, content):
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


def png(trailer: bytes = b"") -> bytes:
    import struct
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
        + trailer
    )


def office(required: str, *extra: str) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("[Content_Types].xml", required, *extra):
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("minutes.pdf", PDF),
        ("sheet.png", png()),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9"),
        ("minutes.docx", office("word/document.xml")),
        ("sign-in.xlsx", xlsx()),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * (512 * 4 - 8)),
    ],
)
def test_real_files_of_each_kind_are_accepted(client_as, meeting, village_secretary, name, content):
    assert upload(client_as(village_secretary), meeting, name, content).status_code == 302


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"),  # a PDF header over a page
        ("auto.pdf", b"%PDF-1.4\n1 0 obj <</OpenAction <</S /JavaScript /JS (app.alert(1))>> >>\n%%EOF\n"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n"),  # no end: not a whole PDF
        ("tail.png", png(b"PK\x03\x04 a zip after the image")),  # a PNG with another file after IEND
        ("html.png", png()[:8] + b"<html><script>alert(1)</script>"),
        ("tail.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9<script>alert(1)</script>"),
        ("macro.docx", office("word/document.xml", "word/vbaProject.bin")),
        ("plain.docx", office("xl/workbook.xml")),  # a zip, but not a Word file
        ("prefixed.xlsx", b"<html><script>alert(1)</script>" + xlsx()),
        ("macro.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "_VBA_PROJECT".encode("utf-16-le") + b"\x00" * 1000),
    ],
)
def test_polyglots_and_active_files_are_refused(client_as, meeting, village_secretary, name, content):
    response = upload(client_as(village_secretary), meeting, name, content)

    assert response.status_code == 400
    assert response.context["upload_form"].has_error("file", "attachment_content")
    assert not MeetingAttachment.objects.exists()


def test_30_a_50_mb_upload_is_refused_before_it_is_received_whole(client_as, meeting, village_secretary):
    response = upload(client_as(village_secretary), meeting, "big.pdf", PDF + b"0" * (50 * 1024 * 1024))

    assert response.status_code == 400
    assert response.context["upload_form"].has_error("file", "attachment_size")
    assert response.wsgi_request._stream._pos < 11 * 1024 * 1024  # stopped reading at the limit
    assert not MeetingAttachment.objects.exists()
