"""Who may do what in the development app, answered from the positions read once per request."""

from anding.scoping import ALL, in_scope, scope_ranges
from branches.choices import OrgKind
from branches.models import Organization
from branches.tree import ranges_q

__all__ = [
    "branch_generals",
    "can_change_event",
    "can_change_pairing",
    "can_change_record",
    "figures_villages",
    "pairing_villages",
]


def _villages(user, model, action: str, kind=OrgKind.VILLAGE):
    ranges = scope_ranges(user, model, action)
    villages = Organization.objects.filter(kind=kind)
    if ranges is ALL:
        return villages
    if not ranges:
        return villages.none()
    return villages.filter(ranges_q(ranges))


def figures_villages(user):
    """The villages whose yearly figures `user` enters: their own village, their general branch's, the town's."""
    from .models import VillageFigures

    return _villages(user, VillageFigures, "change")


def pairing_villages(user):
    """The villages `user` may make lead a pairing (the officers of their general branch, the town)."""
    from .models import Pairing

    return _villages(user, Pairing, "change")


def can_change_pairing(user, pairing) -> bool:
    """Change a pairing and add its progress: the officers over its lead village, the town."""
    return in_scope(user, pairing, "change")


def branch_generals(user):
    """The general branches whose partnership events, resources, trainings and sales `user` records: their own
    (secretary and deputies), every one for the town."""
    from .models import PartnerEvent

    return _villages(user, PartnerEvent, "change", kind=OrgKind.GENERAL)


def can_change_event(user, event) -> bool:
    """Correct or complete a partnership event: the officers of its general branch, the town."""
    return in_scope(user, event, "change")


def can_change_record(user, record) -> bool:
    """Correct a record of the development app (a pairing's progress, a training, a shared sale): those who may
    record it, by its model's "change" scope (a progress record through its pairing's lead village)."""
    return in_scope(user, record, "change")
