"""The one small registry through which higher apps lend figures to lower ones (DESIGN 4).

The core never imports an app. An app registers its providers in `AppConfig.ready()`; the core, or a lower app,
asks the registry.
"""

from collections import defaultdict
from collections.abc import Callable

__all__ = ["providers", "register"]

_providers: dict[str, list[Callable]] = defaultdict(list)


def register(kind: str, func: Callable) -> Callable:
    """Register `func` as a provider of `kind` (e.g. "scope", "dashboard", "todo", "demo")."""
    if func not in _providers[kind]:
        _providers[kind].append(func)
    return func


def providers(kind: str) -> list[Callable]:
    return list(_providers[kind])
