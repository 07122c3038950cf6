"""Form helpers shared by every app."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .tables import shown

__all__ = [
    "LONG_TEXT_CHARS",
    "NOTE_CHARS",
    "TITLE_CHARS",
    "AnyYesNo",
    "DateInput",
    "LongModelChoiceField",
    "LongSelect",
    "ScopedFormMixin",
    "ShortChoiceFilter",
    "ShortModelChoiceField",
    "TextLimitsMixin",
    "add_service_errors",
    "restrict_field",
    "restrict_form_fields",
    "select_html",
]

# The most characters a free-text field takes: minutes and narratives, notes and comments, a one-line text.
LONG_TEXT_CHARS = 20_000
NOTE_CHARS = 5_000
TITLE_CHARS = 200
TOO_LONG = _(
    "This text may hold at most %(limit_value)d characters; it has %(show_value)d. Shorten it (what you typed is "
    "kept here) or attach the full text as a file."
)


class TextLimitsMixin:
    """Every text field of the form has a maximum, with a translated message at the field: a field declared without
    one gets `text_limits[name]`, else NOTE_CHARS for a text area and TITLE_CHARS for a line. The browser is not
    told (its `maxlength` would cut a paste silently); the form refuses and shows the text again."""

    text_limits: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or field.max_length is not None:
                continue
            area = isinstance(field.widget, forms.Textarea)
            field.max_length = self.text_limits.get(name, NOTE_CHARS if area else TITLE_CHARS)
            field.validators.append(MaxLengthValidator(field.max_length, message=TOO_LONG))


def restrict_field(field, user, action: str = "view"):
    """Limit a choice field's queryset to what `user` may `action` (models without scoping are left as they are)."""
    queryset = getattr(field, "queryset", None)
    if queryset is not None and hasattr(queryset, "restrict"):
        field.queryset = queryset.restrict(user, action)
    return field


def restrict_form_fields(form, user, action: str = "view") -> None:
    """Every foreign-key and many-to-many choice of `form` limited to what `user` may pick (NetBox's helper)."""
    for field in form.fields.values():
        restrict_field(field, user, action)


class ScopedFormMixin:
    """A form whose choices are limited to the user's scope, once, here: a form declares its fields' querysets
    unscoped (`Organization.objects.filter(kind=...)`) and takes `user=`; `scope_action` is the action the choices
    are restricted for."""

    scope_action = "view"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        restrict_form_fields(self, user, self.scope_action)


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


class AnyYesNo(forms.Select):
    """A yes-or-no filter: any (the default), yes or no. Django's NullBooleanSelect offers "Unknown" for any."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=[("", "---------"), ("true", _("yes")), ("false", _("no"))])


class LongSelect(forms.Select):
    """A select of many options (a city's organizations: thousands) written as one string instead of a template and
    a context per option, which took about a second for 5,700 of them; the markup is Django's, every part escaped."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = [choice for choice in self.choices]  # not list(): it asks the queryset's count first
        if self.allow_multiple_selected or any(isinstance(label, list | tuple) for _key, label in choices):
            return super().render(name, value, attrs, renderer)  # groups of options: Django's own way
        chosen = set(self.format_value(value))
        keyed = (("" if key is None else str(key), label) for key, label in choices)
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>', ((k, " selected" if k in chosen else "", t) for k, t in keyed)
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class LabelChoiceIterator(ModelChoiceIterator):
    """The options as (key, label) rows read with `values_list`, without building the model instances: for a city's
    5,700 organizations (each taking a snapshot of its fields for the history as it loads) that was most of the
    page's time. The field names the column that labels an option in `label_field`."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


class ShortChoiceIterator(ModelChoiceIterator):
    """The options of a short list (the service centres, the departments, the visit topics) read in one statement.
    Django's iterator reads them with `iterator()`, a server-side cursor on PostgreSQL: DECLARE, FETCH and CLOSE,
    three round trips (0.4 ms) for a list of eight."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ShortModelChoiceField(forms.ModelChoiceField):
    """A choice among a few rows (read at once, not through a cursor)."""

    iterator = ShortChoiceIterator


class ShortChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter choosing among a few rows (`ShortModelChoiceField`)."""

    field_class = ShortModelChoiceField


class LongModelChoiceField(forms.ModelChoiceField):
    """A choice of one row among thousands (an organization in a city-wide scope), labelled by `label_field`."""

    widget = LongSelect
    iterator = LabelChoiceIterator
    label_field = "name"


def _attrs_html(attrs: dict):
    """Attributes as Django's `attrs.html` writes them: True as a bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v),)
            for k, v in attrs.items()
            if v is not False
        ),
    )


def select_html(widget: forms.Select, name: str, value, attrs: dict):
    """What Django's templates write for a single `Select` without option groups (None for any other), in Python:
    a filter bar's selects through the form renderer took a template and a context per option."""
    if widget.allow_multiple_selected:
        return None
    chosen, options, has_selected = widget.format_value(value), [], False
    for key, label in widget.choices:
        if isinstance(label, list | tuple):
            return None
        key = "" if key is None else key
        selected = not has_selected and str(key) in chosen
        has_selected |= selected
        options.append((key, " selected" if selected else "", shown(label)))
    return format_html(
        '<select name="{}"{}>{}\n</select>',
        name,
        _attrs_html(widget.build_attrs(widget.attrs, attrs)),
        format_html_join("", '\n  <option value="{}"{}>{}</option>\n', options),
    )
