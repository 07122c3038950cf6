"""The addresses of records' pages, without resolving the URL patterns for each: `record_url(name, pk)` is
`reverse(name, args=[pk])`, from the address reversed once per URL name (and script prefix and URLconf) for a marker
key, into which the keys are put. A list page asks for 50 of them and the navigation for 25: `reverse()` walks the
patterns each time (docs/bench/HISTORY.md, "First round").

Only for keys that are non-negative integers in `<int:...>` parts; anything else goes to `reverse()` itself.
"""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

__all__ = ["record_url"]

_MARKS = (918_273_645_546_372_819, 827_364_519_918_273_645)  # keys no table reaches
_templates: dict[tuple, str | None] = {}


def record_url(viewname: str, *keys) -> str:
    """`reverse(viewname, args=keys)` for integer keys (at most two)."""
    if not keys or len(keys) > len(_MARKS) or any(type(k) is not int or k < 0 for k in keys):
        return reverse(viewname, args=keys)
    cache_key = (viewname, len(keys), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    template = _templates.get(cache_key)
    if template is None and cache_key not in _templates:
        template = reverse(viewname, args=_MARKS[: len(keys)])
        if any(template.count(str(mark)) != 1 for mark in _MARKS[: len(keys)]):
            template = None  # the marker did not come through as given: reverse each time
        _templates[cache_key] = template
    if template is None:
        return reverse(viewname, args=keys)
    for mark, key in zip(_MARKS, keys, strict=False):
        template = template.replace(str(mark), str(key))
    return template
