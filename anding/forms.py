"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError

__all__ = ["DateInput", "add_service_errors"]


def add_service_errors(form, exc: ValidationError, fallback=None) -> None:
    """Put a service's ValidationError on a form: on the field it names, else on `fallback` (another form on the
    page, keyed by field name), else at the top of the form (stale saves included)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        if field in form.fields:
            form.add_error(field, errors)
        elif fallback is not None and field in fallback:
            fallback[field].add_error(None, errors)
        else:
            form.add_error(None, errors)


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (YYYY-MM-DD), whatever the page's language: a localized
    value such as 2026/11/26 would show as empty and be lost on the next save."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
