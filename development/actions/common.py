"""Checks shared by the writes of the development app."""

from django.utils.translation import gettext as _

__all__ = ["check_counts", "check_text"]


def check_text(errors: dict, name: str, value: str, limit: int, *, required: bool = True, message: str = "") -> str:
    """`value` stripped; an error at `name` when it is missing (and required) or longer than `limit`."""
    value = (value or "").strip()
    if required and not value:
        errors[name] = message or _("This field is required.")
    elif len(value) > limit:
        errors[name] = _("At most %(n)d characters.") % {"n": limit}
    return value


def check_counts(errors: dict, **values) -> None:
    """An error at each field whose value is missing or below 0."""
    for name, value in values.items():
        if value is None:
            errors[name] = _("Enter a value.")
        elif value < 0:
            errors[name] = _("This cannot be below 0.")
