"""The 等保 2.0 password rule that Django's validators do not cover: at least three of the four character classes.

ASVS 5.0 (6.2.5) forbids composition rules; 等保 assessors expect one, so we follow 等保 and keep ASVS's length
floor and common-password blocklist beside it (docs/SECURITY.md).
"""

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["CharacterClassesValidator", "NotTheCurrentPasswordValidator", "character_classes"]


def character_classes(password: str) -> set[str]:
    """The classes a password draws from: lower case, upper case, digits and symbols (any other printable
    character: punctuation, a space, a Chinese character)."""
    classes = set()
    for char in password:
        if char.isdigit():
            classes.add("digit")
        elif char.islower():
            classes.add("lower")
        elif char.isupper():
            classes.add("upper")
        elif char.isprintable():
            classes.add("symbol")
    return classes


class CharacterClassesValidator:
    """At least `min_classes` (3) of: lower case letters, upper case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(self.message(), code="password_too_few_classes")

    def message(self) -> str:
        return _(
            "This password must use at least %(count)d of these: lower case letters, upper case letters, digits "
            "and symbols."
        ) % {"count": self.min_classes}

    def get_help_text(self) -> str:
        return _(
            "Your password must use at least %(count)d of these: lower case letters, upper case letters, digits "
            "and symbols."
        ) % {"count": self.min_classes}


class NotTheCurrentPasswordValidator:
    """A new password must differ from the current one (等保's periodic change is a change). Checked against the
    stored hash without the rehash a login does, so validating changes nothing."""

    def validate(self, password, user=None):
        stored = getattr(user, "password", "") if user is not None and user.pk else ""
        if stored and check_password(password, stored):
            raise ValidationError(self.message(), code="password_unchanged")

    def message(self) -> str:
        return _("The new password must differ from the current one.")

    def get_help_text(self) -> str:
        return _("Your new password must differ from your current one.")
