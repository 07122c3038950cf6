"""Form helpers shared by every app."""

from django.core.exceptions import ValidationError

__all__ = ["add_service_errors"]


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
