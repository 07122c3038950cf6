"""Attachments of records (meeting minutes now; power cases later): checked by their content, stored under a
random name outside the static files, and served only through a scoped view, always as a download.

A concrete attachment model subclasses `AttachmentBase` with a foreign key to its record; the app's view finds
the record through its scoped selector first, so an attachment is never reachable outside its record's scope.
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["MAX_ATTACHMENT_BYTES", "AttachmentBase", "attachment_response", "check_upload"]

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

# Accepted kinds: extension → (the bytes the file must start with, content type).
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ACCEPTED = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    ".docx": (_ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": (_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".doc": (_OLE, "application/msword"),
    ".xls": (_OLE, "application/vnd.ms-excel"),
}


def _storage_path(instance, filename):
    ext = os.path.splitext(filename)[1].lower()
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


def check_upload(upload) -> str:
    """The content type of an acceptable upload; ValidationError for a wrong kind, a disguised file or one too big."""
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in ACCEPTED:
        raise ValidationError(
            _("Attach a PDF, an image (PNG or JPEG), or a Word or Excel file."), code="attachment_type"
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("A file may be at most %(mb)d MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            code="attachment_size",
        )
    magic, content_type = ACCEPTED[ext]
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(_("This file is not what its name says it is."), code="attachment_content")
    return content_type


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


def attachment_response(attachment: AttachmentBase) -> FileResponse:
    """The file as a download (never displayed inline), under its original name."""
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
