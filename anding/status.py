"""Where a record stands, told the same way on every page: a status badge and a step indicator, built from data.

A badge is a state in words and colour (UI.md): `Badge(kind, state, label)`, its colour from `TONES`, the one
mapping of states to colours, so that "returned" is the same red on every page. A new workflow adds its states to
`TONES`. The badge also carries `<kind>-badge-<state>` (e.g. `task-badge-overdue`) for tests and print rules.

A step indicator is the path of a workflow with each step done, current or still to come: `steps(path, state)`.

Badges render through `badges_html` (`{% status_badge %}` in the `portal` tags, and the status cells of the lists'
tables), the steps through `generic/steps.html`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

__all__ = ["TONES", "Badge", "badges_html", "badges_of", "register_badges", "steps"]

# The one mapping of states to colours (portal.css: .status-<tone>).
TONES = {
    "draft": "neutral",
    "pending": "neutral",
    "planned": "info",
    "submitted": "info",
    "in_progress": "info",
    "open": "info",
    "checked": "indigo",
    "held": "warning",
    "late": "warning",
    "reviewed": "success",
    "approved": "success",
    "done": "success",
    "completed": "success",
    "returned": "danger",
    "overdue": "danger",
    "missing": "missing",
    # the seven powers
    "given": "info",
    "proposed": "info",
    "scored": "indigo",
    "reviewing": "indigo",
    "responded": "indigo",
    "rectifying": "warning",
    "final": "success",
    "closed": "success",
    "rejected": "danger",
    "reported": "warning",
    "responding": "info",
    "issued": "info",
    "deliberated": "indigo",
    "resolved": "indigo",
    "published": "indigo",
    "withdrawn": "neutral",
}


@dataclass(frozen=True)
class Badge:
    """One state in words and colour. `kind` names the record ("meeting", "report", "task")."""

    kind: str
    state: str
    label: str

    @property
    def css(self) -> str:
        return f"status-{TONES.get(self.state, 'neutral')} {self.kind}-badge-{self.state}"


_builders: dict[type, Callable[[object], list[Badge]]] = {}


def register_badges(model: type, builder: Callable[[object], list[Badge]]) -> None:
    """Say how a record of `model` shows where it stands: its status and its flags (late, overdue)."""
    _builders[model] = builder


def badges_of(obj) -> list[Badge]:
    """The badges of a record, from the builder its app registered (none if it registered none)."""
    builder = _builders.get(type(obj))
    return builder(obj) if builder else []


def badges_html(badges: Sequence[Badge]) -> SafeString:
    """The badges' markup, separated by a space (a list's status column draws 50 of them: no template per badge)."""
    return format_html_join(" ", '<span class="badge badge-status {}">{}</span>', ((b.css, b.label) for b in badges))


def steps(path: Sequence[tuple[str, str]], state: str) -> list[dict]:
    """The step indicator of a workflow: each `(state, label)` of `path` done, current or still to come.

    The step of `state` is current, the ones before it done; once the last step is reached, every step is done.
    Each step: {"status", "label", "number", "state": "done" | "current" | "todo", "current": bool}.
    """
    states = [value for value, _label in path]
    at = states.index(state)
    finished = at == len(states) - 1
    return [
        {
            "status": value,
            "label": label,
            "number": n + 1,
            "state": "done" if n < at or finished else "current" if n == at else "todo",
            "current": n == at,
        }
        for n, (value, label) in enumerate(path)
    ]
