"""Demo data of branch life (issue 3): a year of meetings, deployed tasks and monthly reports.

For the 12 months before the current month and the current month so far, on the demo town loaded by `demo.load`:

- every village branch holds its 支委会, 党小组会 and 主题党日 each month, its 支部党员大会 and 党课 each quarter
  and its 组织生活会 in December, with a few gaps (a missed 支委会, a 党课 still due this quarter), attendance of
  its members with absence reasons, and the review of its general-branch secretary;
- each general branch holds a monthly work meeting of its officers whose agenda links deployed tasks and village
  matters, reviewed by the town; the town's leadership meeting hears the general branches each month;
- the town (and now and then a general branch) deploys about two tasks a month; the assignees report progress;
  old tasks are mostly done, a few are overdue, recent ones are under way;
- every village reports every month: some late, some returned once and resubmitted; last month's reports are
  partly approved, partly awaiting review, a few still drafts or missing; this month's are partly drafted.

Everything is written through the workflow actions with the demo users as the actors, so the permissions,
transitions and audit events are real. The services stamp "now"; afterwards the timestamps of the records (not
of the append-only audit trail) are moved back to the dates the story needs, with queryset updates.

The load is idempotent: a village-month (or general-branch month, or town month) that already has a meeting, a
village-month that already has a report, and a task whose issuer and title exist are skipped. Choices come from
fixed seeds, so a second run on the same day adds nothing. `today` (default: the local date) may be earlier than
the real date, never later: the services refuse meetings held and reports written in the future.
"""

import datetime
import sys

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from ..models import Organization
from .committees import load_committees
from .common import Life
from .meetings import load_leadership_meetings, load_village_meetings, load_work_meetings
from .powers import load_powers
from .recruitment import load_recruitment
from .reports import load_reports
from .story import TOWN_CODE
from .tasks import load_tasks


def _line(stdout, label: str, made: dict, keys: list[str]) -> None:
    parts = [f"{made.get(key, 0):,} {key}" for key in keys if made.get(key)]
    extra = [f"{value:,} {key}" for key, value in made.items() if key not in keys and value]
    stdout.write(f"{label}: " + (", ".join(parts + extra) or "nothing new"))


def load(stdout=None, today: datetime.date | None = None) -> None:
    """Add (or complete) a year of branch life on the demo town, in one transaction."""
    if not isinstance(stdout, OutputWrapper):
        stdout = OutputWrapper(stdout or sys.stdout)
    today = today or timezone.localdate()
    if today > timezone.localdate():
        raise ValueError("The demo's story cannot end after today: the services refuse records in the future.")
    town = Organization.objects.filter(code=TOWN_CODE).first()
    if town is None:
        stdout.write("Branch life: the demo town is not loaded; nothing done")
        return
    with transaction.atomic():
        life = Life(town, today)
        stdout.write(
            f"Branch life: {life.months[0]:%Y-%m} to {life.current:%Y-%m} (today {today}), "
            f"{len(life.generals)} general branches, {len(life.villages)} villages"
        )
        made = load_committees(life)
        _line(stdout, "  Committees and party groups", made, ["committees", "seats", "party groups"])
        made = load_tasks(life)
        _line(stdout, "  Deployed tasks", made, ["tasks", "assignments", "progress", "done", "in_progress", "pending"])
        made = load_village_meetings(life)
        _line(stdout, "  Village meetings", made, ["meetings", "reviewed", "held", "planned", "attendance lines"])
        made = load_work_meetings(life)
        _line(stdout, "  Work meetings", made, ["meetings", "reviewed", "held", "planned", "agenda items"])
        made = load_leadership_meetings(life)
        _line(stdout, "  Leadership meetings", made, ["meetings", "held", "planned", "attendance lines"])
        made = load_reports(life)
        _line(
            stdout,
            "  Monthly reports",
            made,
            ["reports", "approved", "checked", "submitted", "returned", "draft", "missing", "late", "returned once"],
        )
        made = load_recruitment(life)
        _line(stdout, "  Recruitment", made, ["cases", "steps", "pre-reviews"])
        made = load_powers(life)
        _line(stdout, "  Cases of the seven powers", made, [])
        stdout.write(f"  Timestamps moved back to the story's dates: {life.flush_backdates():,} rows")
