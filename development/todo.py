"""The dashboard's to-do entry of the development app: the pairings under way, written by the user, with no
progress recorded for three months (one query; none for those who write no pairing)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anding.scoping import ALL, scope_ranges

from .models import Pairing
from .selectors import stale

__all__ = ["pairing_todos"]


def pairing_todos(user, today: datetime.date | None = None) -> list[dict]:
    ranges = scope_ranges(user, Pairing, "change")
    if ranges is not ALL and not ranges:
        return []
    n = stale(Pairing.objects.restrict(user, "change"), today or timezone.localdate()).count()
    if not n:
        return []
    label = ngettext(
        "%(n)d pairing under way has no progress recorded for three months",
        "%(n)d pairings under way have no progress recorded for three months",
        n,
    ) % {"n": n}
    return [
        {
            "label": label,
            "url": reverse("development:pairing_list") + "?stale=true",
            "badge": _("Record progress"),
            "badge_class": "warning",
        }
    ]
