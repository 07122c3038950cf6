"""Template helpers of the portal."""

from decimal import ROUND_HALF_UP, Decimal

from django import forms, template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from anding.forms import select_html
from anding.middleware import form_owner_token
from anding.status import Badge, badges_html, badges_of

register = template.Library()

_navs: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def nav(context):
    """The navigation (`includes/nav.html`), rendered once per shape and kept for the process: it depends only on
    the page's view and route (the active link), whether the user holds a position, is staff or a superuser, and the
    language. Its 25 links and 30 translations cost more than the rest of a small page's template (DEBUG renders it
    each time, so that an edited template shows)."""
    request, user = context["request"], context["user"]
    match = request.resolver_match
    key = (
        match.view_name if match else None,
        match.route if match else None,
        bool(context.get("user_positions")),
        user.is_superuser,
        user.is_staff,
        get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )
    html = _navs.get(key)
    if html is None:
        html = context.template.engine.get_template("includes/nav.html").render(context)
        if not settings.DEBUG:
            _navs[key] = html
    return html


@register.simple_tag
def widget(field, css_class):
    """Render a bound field's widget with a CSS class and error state, without touching the form class."""
    attrs = {"class": css_class + (" is-invalid" if field.errors else "")}
    if field.errors:
        attrs["aria-invalid"] = "true"
    widget = field.field.widget
    if type(widget) is forms.Select:  # Django's markup, written in Python (every list's filter bar has some)
        attrs = field.build_widget_attrs(attrs, widget)
        if field.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", field.auto_id)
        html = select_html(widget, field.html_name, field.value(), attrs)
        if html is not None:
            return html
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


@register.simple_tag
def status_badge(subject, state=None, label=None):
    """Where a record stands, in words and colour: `{% status_badge meeting %}` shows its status and flags (as its
    app registered them in anding.status); `{% status_badge "report" row.status row.status_label %}` one state."""
    if state is None:
        return badges_html(badges_of(subject))
    return badges_html([Badge(subject, state, label)])


@register.filter
def yuan(value) -> str:
    """An amount of money in yuan for people to read: 万元 with two decimals from ten thousand up, else yuan with
    thousands separators ("" for None). Separators in groups of three in every language, as official documents
    write them (the zh_Hans number format does not group)."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    if abs(amount) >= 10000:
        wan = (amount / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return _("%(amount)s 10k yuan") % {"amount": f"{wan:,.2f}"}
    return _("%(amount)s yuan") % {"amount": f"{amount:,.2f}" if amount % 1 else f"{amount:,.0f}"}


@register.filter
def grouped(value) -> str:
    """A quantity for people to read: thousands separators in groups of three in every language (like `yuan`), at
    most two decimals, none when whole ("" for None): 630,000 or 1,234.5."""
    if value is None or value == "":
        return ""
    number = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{number:,.2f}".rstrip("0").rstrip(".")
