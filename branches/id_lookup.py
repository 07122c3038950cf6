"""Exact lookups by ID number, counted, limited and audited.

A masked ID number hides the birth date and sequence digits (docs/SECURITY.md), but a lookup that answers
"found" or "already on the roster" confirms a guess. So every such lookup (the roster's search, the duplicate
check of the member form, the rows of a roster import that match or resemble a member) is an audit event, without
the number, and a user gets at most
ID_NUMBER_LOOKUPS_PER_HOUR of them: enough for data entry, far too few to try the hundreds of candidates that
the visible facts leave open.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit
from anding.crypto import blind_index
from anding.models import AuditEvent

from .models import PartyMember

__all__ = ["id_number_lookup", "id_number_taken", "looks_like_id_number", "spend_id_number_lookups"]

ACTION = "id_number_lookup"
_ID_LIKE = re.compile(r"^[0-9]{17}[0-9X]$")


def looks_like_id_number(value: str) -> bool:
    return bool(_ID_LIKE.match((value or "").strip().upper()))


def lookups_left(user) -> int:
    """How many exact lookups `user` may still make in this hour."""
    since = timezone.now() - datetime.timedelta(hours=1)
    done = AuditEvent.objects.filter(actor=user, action=ACTION, result=AuditEvent.Result.SUCCESS, at__gte=since)
    return max(settings.ID_NUMBER_LOOKUPS_PER_HOUR - done.count(), 0)


def spend_id_number_lookups(user, count: int, *, purpose: str) -> None:
    """Spend `count` of `user`'s lookups at once (one audit event each), or none: ValidationError when fewer are
    left, the refusal audited."""
    if count <= 0:
        return
    left = lookups_left(user)
    if count > left:
        audit.record(ACTION, actor=user, result=AuditEvent.Result.FAILURE, detail={"purpose": purpose, "n": count})
        if count == 1:
            message = _("You have looked up %(limit)d ID numbers in the last hour, the most allowed. Try again later.")
        else:
            message = _(
                "This file has %(n)d rows that match or resemble members already on the roster; each counts as a "
                "lookup by ID number, and you have %(left)d of %(limit)d left in this hour. Remove the rows already "
                "on the roster, or try again later."
            )
        raise ValidationError(
            message % {"n": count, "left": left, "limit": settings.ID_NUMBER_LOOKUPS_PER_HOUR},
            code="id_lookup_limit",
        )
    for _n in range(count):
        audit.record(ACTION, actor=user, detail={"purpose": purpose})


def id_number_lookup(user, value: str, *, purpose: str) -> str:
    """The blind index of `value` for one exact lookup by `user`, audited; ValidationError past the hourly limit."""
    spend_id_number_lookups(user, 1, purpose=purpose)
    return blind_index(value.strip().upper())


def id_number_taken(member) -> bool:
    """Whether another member of the whole roster has `member`'s ID number (its blind index already derived)."""
    return PartyMember.objects.filter(id_number_digest=member.id_number_digest).exclude(pk=member.pk).exists()
