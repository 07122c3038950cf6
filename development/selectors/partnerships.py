"""Reads of the external partnerships: the partners (already restricted to the user's scope) with the number of
their events the user may see (a subquery: one statement)."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from ..models import PartnerEvent

__all__ = ["partner_rows"]


def partner_rows(partners, user):
    """Partners with `event_count`: how many of their events are in `user`'s scope."""
    events = (
        PartnerEvent.objects.restrict(user)
        .filter(partner=OuterRef("pk"))
        .order_by()
        .values("partner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return partners.annotate(event_count=Coalesce(Subquery(events, output_field=IntegerField()), 0))
