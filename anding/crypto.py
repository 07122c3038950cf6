"""Personal data at rest: Fernet encryption, a keyed blind index for exact lookups, masking for display, and
redaction of anything that looks like an ID or phone number before it is logged.

Data that the configured keys cannot decrypt is an error, never an empty value: a wrong FIELD_ENCRYPTION_KEY
must stop the portal, not show a roster without ID numbers (and let someone save over them).
"""

import hashlib
import hmac
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

__all__ = ["EncryptedCharField", "blind_index", "decrypt_text", "encrypt_text", "mask", "redact", "seal", "unseal"]

# 15 or more digits in a row (an ID number, with an optional final X) or a mobile number: never logged as typed.
_SENSITIVE = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15}|1[3-9][0-9]{9})(?![0-9])")


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def blind_index(value: str) -> str:
    """A keyed digest of `value`, for uniqueness and exact search without storing the plaintext."""
    key = settings.FIELD_ENCRYPTION_KEYS[0].encode()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def encrypt_text(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt_text(value: str) -> str:
    """The plaintext of `value`; ImproperlyConfigured when no configured key opens it."""
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "Stored personal data cannot be decrypted: FIELD_ENCRYPTION_KEY does not hold the key it was "
            "encrypted with (list the old key after the new one when rotating)."
        ) from exc


def seal(data: bytes) -> bytes:
    """`data` encrypted with the first key: what the cache keeps of pages that show personal data (anding.kept)."""
    return _fernet().encrypt(data)


def unseal(token: bytes) -> bytes | None:
    """The plaintext of `seal`'s `token`; None when no configured key opens it (kept before the keys changed)."""
    try:
        return _fernet().decrypt(token)
    except InvalidToken:
        return None


def mask(value: str, head: int = 6, tail: int = 4) -> str:
    """`110115********1234`: keep the head and the tail, star the middle."""
    if not value:
        return ""
    if len(value) <= head + tail:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def redact(value):
    """`value` (a string, or lists and dicts of them) with ID and phone numbers replaced, for the audit trail."""
    if isinstance(value, str):
        return _SENSITIVE.sub("[redacted]", value)
    if isinstance(value, dict):
        return {key: redact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


class EncryptedCharField(models.TextField):
    """Text encrypted with Fernet in the database, plain in Python. Not searchable: pair it with a blind index."""

    def __init__(self, *args, max_length=None, **kwargs):
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length is not None:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        from django import forms

        defaults = {"form_class": forms.CharField, "max_length": self.plain_max_length, "widget": forms.TextInput}
        return super().formfield(**{**defaults, **kwargs})

    def from_db_value(self, value, expression, connection):
        return decrypt_text(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_text(value) if value else value
