"""Template helpers of the portal."""

from django import template
from django.utils.html import format_html

from anding.middleware import form_owner_token
from anding.status import Badge, badges_of

register = template.Library()


@register.simple_tag
def widget(field, css_class):
    """Render a bound field's widget with a CSS class and error state, without touching the form class."""
    attrs = {"class": css_class + (" is-invalid" if field.errors else "")}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def sort_url(context, key):
    """The query string that sorts by `key`, toggling the direction when already sorted by it."""
    request = context["request"]
    query = request.GET.copy()
    current = context.get("current_sort", "")
    query["sort"] = f"-{key}" if current == key else key
    query.pop("page", None)
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def form_owner(context):
    """A hidden field marking who opened the form, so that entries posted after a timeout can be given back."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    return format_html('<input type="hidden" name="_owner" value="{}">', form_owner_token(user))


@register.inclusion_tag("generic/status_badge.html")
def status_badge(subject, state=None, label=None):
    """Where a record stands, in words and colour: `{% status_badge meeting %}` shows its status and flags (as its
    app registered them in anding.status); `{% status_badge "report" row.status row.status_label %}` one state."""
    if state is None:
        return {"badges": badges_of(subject)}
    return {"badges": [Badge(subject, state, label)]}
