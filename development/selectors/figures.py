"""Reads of the villages' yearly figures. The rows come in already restricted to the user's scope."""

__all__ = ["figures_rows", "latest_figures"]


def figures_rows(figures):
    return figures.select_related("village__parent")


def latest_figures(village_ids) -> dict:
    """{village id: its latest yearly figures} for `village_ids` (one query)."""
    from ..models import VillageFigures

    latest = {}
    for row in VillageFigures.objects.filter(village__in=village_ids).order_by("village", "-year"):
        latest.setdefault(row.village_id, row)
    return latest
