"""Validators for personal data of the roster."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["id_number_birth_date", "id_number_is_male", "validate_id_number", "validate_phone"]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def id_check_char(first17: str) -> str:
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_number_birth_date(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_number_is_male(value: str) -> bool:
    return int(value[16]) % 2 == 1


def validate_id_number(value: str) -> None:
    """An 18-character resident ID number (GB 11643): format, birth date and the ISO 7064 check character."""
    value = (value or "").strip().upper()
    if not _ID_RE.match(value):
        raise ValidationError(_("An ID number has 17 digits followed by a digit or X."), code="id_format")
    birth = id_number_birth_date(value)
    if birth is None or birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(_("The birth date inside this ID number is not a valid date."), code="id_birth")
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("This ID number fails the check digit; please check it for typing errors."), code="id_checksum"
        )


def validate_phone(value: str) -> None:
    if value and not _PHONE_RE.match(value.strip()):
        raise ValidationError(_("Enter a mobile number of 11 digits or a landline such as 010-69201234."), code="phone")
