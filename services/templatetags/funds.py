"""`{{ amount|fen }}`: an amount of yuan written exactly, to the fen, with thousands separators (¥52,345.67), as the
messages of `services.actions.funds` write it; the `yuan` filter of the portal rounds to 万元 for reading."""

from django import template

from ..actions.funds import money

register = template.Library()


@register.filter
def fen(value) -> str:
    return "" if value is None or value == "" else money(value)
