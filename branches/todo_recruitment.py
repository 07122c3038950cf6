"""What the recruitment lends the core: the village secretary's to-do items (cases whose next step is due within a
week or overdue by the timing rules' maximum intervals) and the monthly report's recruits by stage."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import selectors
from .choices import Role
from .models import RecruitmentCase
from .permissions import active_positions

__all__ = ["recruitment_report_figures", "recruitment_todos"]

TODO_LIMIT = 10


def recruitment_todos(user) -> list[dict]:
    """For a village secretary: the recruitment cases of their villages whose next step is due (three queries)."""
    if user is None or not user.is_authenticated:
        return []
    villages = [p.organization_id for p in active_positions(user) if p.role == Role.VILLAGE_SECRETARY]
    if not villages:
        return []
    cases = RecruitmentCase.objects.restrict(user, "change").filter(village_id__in=villages)
    items = []
    for due in selectors.recruitment_due(cases)[:TODO_LIMIT]:
        names = {
            "name": due.case.name,
            "step": due.case.next_step_label,
            "date": date_format(due.latest),
            "rule": due.rule.name,
        }
        items.append(
            {
                "label": _("Recruitment of %(name)s: “%(step)s” by %(date)s (%(rule)s)") % names,
                "url": due.case.get_absolute_url(),
                "badge": _("Overdue") if due.overdue else _("Due soon"),
                "badge_class": "danger" if due.overdue else "warning",
            }
        )
    return items


def recruitment_report_figures(village, first: datetime.date, last: datetime.date) -> dict:
    """The monthly report's figures: the village's recruits by stage (those who applied by the month's end; the
    stage as when the figures are computed, frozen at submission)."""
    return {"recruits": selectors.recruitment_stage_counts(village, on=last)}
