"""Import from Excel, the part every import shares: a template's columns (fields of a model), its header row read in
either language or by the names of the registers kept today, its rows read with their row numbers, and what a check
of them finds (`RowError`, `ImportCheck`), and the checked file kept between its preview and its import
(`keep_upload`). The roster import (`branches.roster_import`) and the household register
import (`services.household_import`) say what their rows mean and how each is checked."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

__all__ = ["ImportCheck", "RowError", "Sheet", "cell_text", "in_all_languages", "keep_upload", "kept_upload"]

LANGUAGES = ("zh-hans", "en")
KEPT_DIR = "imports"
KEPT_SECONDS = 3600  # the token of a checked file is good for an hour; a file never imported is deleted after a day


def cell_text(value) -> str:
    """A cell as text: empty for an empty cell, a whole number without its ".0", stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def in_all_languages(label) -> set[str]:
    """A (lazily translated) label as a header or a choice may give it: in each language, stripped and casefolded."""
    names = set()
    for language in LANGUAGES:
        with translation.override(language):
            names.add(str(label).strip().casefold())
    return names


@dataclass(frozen=True)
class Sheet:
    """The columns of an import template: fields of `model`, of which `required` must be filled. `aliases` names
    other headers (those of the registers kept today) for columns; a file holds at most `max_rows` rows, and
    `too_many` (lazily translated, with `%(n)d`) says so."""

    model: type
    columns: tuple[str, ...]
    required: tuple[str, ...]
    aliases: dict[str, str]
    max_rows: int
    too_many: str

    def label(self, key: str) -> str:
        return str(self.model._meta.get_field(key).verbose_name)

    def error(self, row: int, column: str | None, message) -> "RowError":
        return RowError(row, column, str(message), sheet=self)

    def headers(self) -> dict[str, str]:
        """Each header a file may give, stripped and casefolded, and its column."""
        found = dict(self.aliases)
        for key in self.columns:
            for name in {key, *in_all_languages(self.model._meta.get_field(key).verbose_name)}:
                found[name] = key
        return found

    def read_rows(self, upload) -> list[dict]:
        """The rows of the first sheet as {column: value, "row": its row number}, blank rows left out;
        ValidationError for a file that is not a readable workbook, lacks a required column or holds too many
        rows."""
        try:
            workbook = load_workbook(upload, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ValidationError(_("This file cannot be read as an Excel workbook."), code="import_file") from exc
        try:
            lines = workbook.worksheets[0].iter_rows(values_only=True)
            names = self.headers()
            header = [cell_text(cell).casefold() for cell in next(lines, ())]
            positions = {names[name]: i for i, name in enumerate(header) if name in names}
            missing = [self.label(key) for key in self.required if key not in positions]
            if missing:
                raise ValidationError(
                    _("The first row must name the columns; missing: %(columns)s.") % {"columns": "、".join(missing)},
                    code="import_header",
                )
            rows = []
            for number, line in enumerate(lines, start=2):
                if not any(cell_text(cell) for cell in line):
                    continue
                if len(rows) >= self.max_rows:
                    raise ValidationError(self.too_many % {"n": self.max_rows}, code="import_size")
                row = {key: (line[i] if i < len(line) else None) for key, i in positions.items()}
                row["row"] = number
                rows.append(row)
            return rows
        finally:
            workbook.close()


@dataclass
class RowError:
    """What is wrong in one cell of the file (or in one row: column None)."""

    row: int
    column: str | None
    message: str
    sheet: Sheet | None = field(default=None, compare=False, repr=False)

    @property
    def column_label(self) -> str:
        return self.sheet.label(self.column) if self.column and self.sheet else ""


@dataclass
class ImportCheck:
    """The outcome of checking a file: the records to add, the rows already there (skipped), the errors."""

    read: int = 0
    new: list = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def counts(self) -> dict:
        return {"rows": self.read, "new": len(self.new), "skipped": len(self.skipped), "errors": len(self.errors)}


def keep_upload(user, upload, *, salt: str, **extra) -> str:
    """Keep a checked file for its import: stored under a random name, named by a signed token for `user` (with
    `extra`) that the preview page carries. Files kept more than a day, never imported, are deleted first."""
    if default_storage.exists(KEPT_DIR):
        cutoff = timezone.now() - datetime.timedelta(days=1)
        for name in default_storage.listdir(KEPT_DIR)[1]:
            if default_storage.get_modified_time(f"{KEPT_DIR}/{name}") < cutoff:
                default_storage.delete(f"{KEPT_DIR}/{name}")
    upload.seek(0)
    name = default_storage.save(f"{KEPT_DIR}/{uuid.uuid4().hex}.xlsx", ContentFile(upload.read()))
    return signing.dumps({**extra, "file": name, "user": user.pk}, salt=salt)


def kept_upload(user, token: str, *, salt: str) -> dict | None:
    """What `keep_upload` kept for `user` ({"file": its name, and the extra}); None for a token that is forged, more
    than an hour old or another user's, or whose file is gone."""
    try:
        kept = signing.loads(token, salt=salt, max_age=KEPT_SECONDS)
    except signing.BadSignature:
        return None
    if kept.get("user") != user.pk or not default_storage.exists(kept.get("file", "")):
        return None
    return kept
