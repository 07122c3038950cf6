"""Attachments of records (meeting minutes now; power cases later): checked by their content, stored under a
random name outside the static files, and served only through a scoped view, always as a download.

A concrete attachment model subclasses `AttachmentBase` with a foreign key to its record; the app's view finds
the record through its scoped selector first, so an attachment is never reachable outside its record's scope.
"""

import io
import os
import re
import struct
import uuid
import zipfile
import zlib

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import models, transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "AttachmentBase",
    "SizeLimitUploadHandler",
    "UploadForm",
    "attachment_response",
    "check_upload",
    "delete_attachment",
    "store_attachment",
]

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a Word or Excel file that unpacks to more is a zip bomb
MAX_ZIP_ENTRIES = 2000

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Markup a browser would run if it ever sniffed the file as a page: refused in the head of every kind.
_ACTIVE_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed)[\s>/]", re.I)
# PDF actions that run something when the file is opened.
_PDF_ACTIONS = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")


def _pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:] and not _PDF_ACTIONS.search(data)


def _png(data: bytes) -> bool:
    """A PNG is its signature and a chain of CRC-checked chunks ending exactly at IEND: nothing hides after it."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    pos = 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        end = pos + 12 + length
        if end > len(data) or struct.unpack(">I", data[end - 4 : end])[0] != zlib.crc32(kind + body):
            return False
        if kind == b"IEND":
            return end == len(data)
        pos = end
    return False


def _jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff") and data.rstrip(b"\x00").endswith(b"\xff\xd9")


def _office_zip(required: str):
    """A Word or Excel file: a well-formed zip from its first byte to its last, with the part of its kind, no
    macros, and a bounded unpacked size."""

    def check(data: bytes) -> bool:
        if not data.startswith(_ZIP) or data[-22:-18] != b"PK\x05\x06":  # no prefix, no trailing data or comment
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                entries = archive.infolist()
                names = {entry.filename for entry in entries}
                return (
                    len(entries) <= MAX_ZIP_ENTRIES
                    and sum(entry.file_size for entry in entries) <= MAX_UNZIPPED_BYTES
                    and {"[Content_Types].xml", required} <= names
                    and not any(name.lower().endswith("vbaproject.bin") for name in names)
                    and archive.testzip() is None
                )
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
            return False

    return check


def _ole(data: bytes) -> bool:
    """An old Word or Excel file: whole 512-byte sectors after the header, and no macro storage."""
    macros = "_VBA_PROJECT".encode("utf-16-le")
    return data.startswith(_OLE) and len(data) % 512 == 0 and macros not in data


# Accepted kinds: extension → (the check of the whole content, content type).
ACCEPTED = {
    ".pdf": (_pdf, "application/pdf"),
    ".png": (_png, "image/png"),
    ".jpg": (_jpeg, "image/jpeg"),
    ".jpeg": (_jpeg, "image/jpeg"),
    ".docx": (
        _office_zip("word/document.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".xlsx": (_office_zip("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".doc": (_ole, "application/msword"),
    ".xls": (_ole, "application/vnd.ms-excel"),
}


def _storage_path(instance, filename):
    ext = os.path.splitext(filename)[1].lower()
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


def _too_large() -> ValidationError:
    return ValidationError(
        _("A file may be at most %(mb)d MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}, code="attachment_size"
    )


def check_upload(upload) -> str:
    """The content type of an acceptable upload; ValidationError for a wrong kind, a disguised or active file (a
    polyglot: valid as its kind and as something else), or one too big. The whole content is checked."""
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in ACCEPTED:
        raise ValidationError(
            _("Attach a PDF, an image (PNG or JPEG), or a Word or Excel file."), code="attachment_type"
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise _too_large()
    check, content_type = ACCEPTED[ext]
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not check(data) or _ACTIVE_MARKUP.search(data[:4096]):
        raise ValidationError(_("This file is not what its name says it is."), code="attachment_content")
    return content_type


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as one file passes MAX_ATTACHMENT_BYTES, instead of receiving it whole.
    The fields before the file (the CSRF token among them) are kept; `UploadForm` then shows the size error."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_ATTACHMENT_BYTES:
            self.request.refused_uploads = {*getattr(self.request, "refused_uploads", ()), self.field_name}
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


class UploadForm(forms.Form):
    """A form with file fields, bound to a request: a file cut off at the size limit gets the size error at its
    field instead of "this field is required"."""

    def __init__(self, request=None, **kwargs):
        data = (request.POST, request.FILES) if request is not None else ()
        super().__init__(*data, **kwargs)
        self.refused = set(getattr(request, "refused_uploads", ())) & set(self.fields)
        for name in self.refused:
            self.fields[name].required = False
        for field in self.fields.values():
            if isinstance(field, forms.FileField):
                field.widget.attrs.update(
                    {"data-max-bytes": MAX_ATTACHMENT_BYTES, "data-too-large": _too_large().message}
                )

    def clean(self):
        for name in self.refused:
            self.add_error(name, _too_large())
        return super().clean()


class AttachmentBase(models.Model):
    """A file attached to a record."""

    file = models.FileField(_("file"), upload_to=_storage_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


def store_attachment(model: type[AttachmentBase], upload, actor, **owner) -> AttachmentBase:
    """Check `upload` by its content and store it as a `model` row of `owner` (its record's foreign key); a refused
    file is a ValidationError at the field `file`. Call inside the action's transaction."""
    try:
        content_type = check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc}) from exc
    return model.objects.create(
        file=upload,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
        **owner,
    )


def delete_attachment(attachment: AttachmentBase) -> None:
    """Delete the row, and its file once the transaction commits (a rolled-back delete keeps the file)."""
    stored, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def attachment_response(attachment: AttachmentBase) -> FileResponse:
    """The file as a download (never displayed inline), under its original name."""
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
