"""The write layer every power shares: a case's workflow as data (`Workflow` of `Transition`s: from which states,
to which, who may take it, whether it needs a comment, what must hold first), and the actions that open a case,
correct its fields, take a transition and attach files. Each takes the actor, checks the permission and the state,
saves in one transaction and writes the case's history (`CaseEvent`) and an audit event.

A power's module declares its `Workflow` and registers it; its own actions (scores, steps, reports) build on
`case_update` and `case_transition`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from anding import audit
from anding.attachments import delete_attachment, store_attachment
from anding.concurrency import claim_version

from ...choices import OrgKind
from ...models import CaseAttachment, CaseEvent, Organization, PowerCase
from ...permissions import has_role_over
from ...roles import POWER_DECIDE_ROLES, POWER_ROLES
from ..common import require, require_state
from ..meetings import general_branch_of

__all__ = [
    "Transition",
    "Workflow",
    "can_edit_case",
    "can_open_case",
    "case_attach",
    "case_detach",
    "case_open",
    "case_transition",
    "case_update",
    "register_workflow",
    "transitions_for",
    "workflow_of",
]


@dataclass(frozen=True)
class Transition:
    """One step of a case's workflow. `roles` are the roles that take it, held over the case's village. `comment`
    is "" (none asked), "optional" or "required" (a return's reason). `check(case)` raises a ValidationError when
    the case is not ready (a vote without its quorum). `closes` ends the case; `stores` names a field of the case
    that keeps the comment (a village's response); `style` is the button's colour; `todo=False` keeps an optional
    step (closing early) off the to-do lists."""

    name: str
    label: str | Promise
    source: tuple[str, ...]
    target: str
    roles: frozenset
    comment: str = ""
    check: Callable | None = None
    closes: bool = False
    stores: str = ""
    style: str = "primary"
    todo: bool = True


@dataclass
class Workflow:
    """The workflow of one power's cases. `open_roles` open a case (in `initial`); `edit_roles` correct its fields
    while it is in one of `editable`. `main_path` lists the states of the step indicator, in order (default: every
    state of the model's `Status`); a case in a side state (returned, rejected) shows none."""

    model: type[PowerCase]
    initial: str
    transitions: list[Transition]
    editable: tuple[str, ...]
    open_roles: frozenset = POWER_ROLES
    edit_roles: frozenset = POWER_ROLES
    main_path: tuple[str, ...] = ()
    by_name: dict = field(init=False)

    def __post_init__(self):
        self.by_name = {t.name: t for t in self.transitions}

    @property
    def path(self) -> list[tuple[str, str]]:
        labels = dict(self.model.Status.choices)
        return [(s, labels[s]) for s in (self.main_path or labels)]

    def transition(self, name: str) -> Transition:
        try:
            return self.by_name[name]
        except KeyError:
            raise Http404 from None

    def statuses_for(self, roles: Iterable) -> set[str]:
        """The states in which a holder of one of `roles` has a step to take (for the to-do lists)."""
        roles = set(roles)
        return {s for t in self.transitions if t.todo and roles & t.roles for s in t.source}


_workflows: dict[str, Workflow] = {}


def register_workflow(workflow: Workflow) -> Workflow:
    _workflows[workflow.model.power] = workflow
    return workflow


def workflow_of(case_or_model) -> Workflow:
    return _workflows[case_or_model.power]


def can_open_case(user, model, village: Organization) -> bool:
    return village.kind == OrgKind.VILLAGE and has_role_over(user, village, workflow_of(model).open_roles)


def can_edit_case(user, case: PowerCase) -> bool:
    workflow = workflow_of(case)
    return case.status in workflow.editable and has_role_over(user, case.village, workflow.edit_roles)


def transitions_for(user, case: PowerCase) -> list[Transition]:
    """The steps `user` may take on `case` now (answered from the user's positions: no query)."""
    return [
        t
        for t in workflow_of(case).transitions
        if case.status in t.source and has_role_over(user, case.village, t.roles)
    ]


def _event(case, actor, name, from_status, comment=""):
    CaseEvent.objects.create(
        case=case,
        village=case.village,
        transition=name,
        from_status=from_status,
        to_status=case.status,
        comment=comment,
        actor=actor,
    )
    audit.record(
        f"{case.power}_{name}"[:50],
        actor=actor,
        obj=case,
        detail={"from": from_status, "to": case.status, **({"comment": comment[:200]} if comment else {})},
    )


def case_open(*, actor, model: type[PowerCase], village: Organization, **fields) -> PowerCase:
    """Open a case of `model`'s power over `village` (in the workflow's first state), with its own fields."""
    workflow = workflow_of(model)
    if village.kind != OrgKind.VILLAGE:
        raise ValidationError({"village": _("Choose a village branch.")})
    require(can_open_case(actor, model, village))
    case = model(village=village, general_branch=general_branch_of(village), status=workflow.initial, **fields)
    case.title = (case.title or "").strip()
    case.full_clean()
    with transaction.atomic():
        case.stamp(actor)
        case.save()
        _event(case, actor, "open", "")
    return case


@audit.refusable(lambda case, **kw: f"{case.power}_update"[:50], obj="case")
def case_update(*, actor, case: PowerCase, version: int | None = None, **fields) -> PowerCase:
    """Correct the fields of a case while its workflow allows it (a stale version is refused)."""
    workflow = workflow_of(case)
    require(has_role_over(actor, case.village, workflow.edit_roles))
    require_state(case, workflow.editable)
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    with transaction.atomic():
        claim_version(case, version)
        case.stamp(actor)
        case.save()
        audit.record(f"{case.power}_update"[:50], actor=actor, obj=case, detail={"fields": sorted(fields)})
    return case


@audit.refusable(lambda case, name, **kw: f"{case.power}_{name}"[:50], obj="case")
def case_transition(*, actor, case: PowerCase, name: str, comment: str = "", version: int | None = None) -> PowerCase:
    """Take the step `name` of the case's workflow. A second submit of a step already taken changes nothing."""
    step = workflow_of(case).transition(name)
    require(has_role_over(actor, case.village, step.roles))
    if case.status == step.target and case.status not in step.source:
        last = case.events.order_by("-at", "-id").first()
        if last is not None and last.transition == name:
            return case  # a double click: the step was just taken
    require_state(case, step.source)
    comment = (comment or "").strip()
    if step.comment == "required" and not comment:
        raise ValidationError({"comment": _("Give the reason.")})
    if step.check is not None:
        step.check(case)
    with transaction.atomic():
        claim_version(case, version)
        from_status = case.status
        if step.stores:
            setattr(case, step.stores, comment)
        case.status = step.target
        if step.closes:
            case.closed_on = timezone.localdate()
        elif case.closed_on is not None:
            case.closed_on = None  # reopened
        case.stamp(actor)
        case.save()
        _event(case, actor, name, from_status, comment)
    return case


@audit.refusable(lambda case, **kw: f"{case.power}_attach"[:50], obj="case")
def case_attach(*, actor, case: PowerCase, upload) -> CaseAttachment:
    """Attach a file to an open case (its officers, or the village where it has a step to take)."""
    require(case.is_open and (can_edit_case(actor, case) or bool(transitions_for(actor, case))))
    with transaction.atomic():
        attachment = store_attachment(CaseAttachment, upload, actor, case=case, village=case.village)
        audit.record(f"{case.power}_attach"[:50], actor=actor, obj=case, detail={"file": attachment.original_name})
    return attachment


def case_detach(*, actor, attachment: CaseAttachment) -> None:
    """Remove a file attached by mistake: its uploader, or a secretary over the village, while the case is open."""
    case = attachment.case
    require(
        case.is_open
        and (attachment.uploaded_by_id == actor.pk or has_role_over(actor, case.village, POWER_DECIDE_ROLES))
    )
    with transaction.atomic():
        audit.record(f"{case.power}_detach"[:50], actor=actor, obj=case, detail={"file": attachment.original_name})
        delete_attachment(attachment)
