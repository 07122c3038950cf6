"""The test modules' dates of the day (`TODAY`, `THIS_MONTH`, `YEAR` ...) are computed when the module is imported,
at the start of a run. A run that passes midnight in Beijing (16:00 UTC) would then compare yesterday's dates with the
day the code under test reads. `tests/conftest.py` calls `follow_the_day` before each test: on the first test of a new
day it moves every test module's constants of the day (those equal to the old day's value, imported ones included)
to the new day. Module fixtures and parametrized values computed before midnight keep theirs."""

import datetime
import sys

from django.utils import timezone

from branches.months import add_months

_day = timezone.localdate()


def day_constants(today: datetime.date) -> dict:
    """The constants of the day the test modules define, by name, as they derive them from `today`."""
    this_month = today.replace(day=1)
    return {
        "TODAY": today,
        "YESTERDAY": today - datetime.timedelta(days=1),
        "TOMORROW": (today + datetime.timedelta(days=1)).isoformat(),
        "YEAR": today.year,
        "START": today.replace(month=1, day=1),
        "THIS_MONTH": this_month,
        "LAST_MONTH": add_months(this_month, -1),
        "PAST_MONTH": add_months(this_month, -2),
    }


def follow_the_day(today: datetime.date | None = None) -> None:
    global _day
    today = today or timezone.localdate()
    if today == _day:
        return
    old, new = day_constants(_day), day_constants(today)
    for module in list(sys.modules.values()):
        if not getattr(module, "__name__", "").startswith("tests."):
            continue
        for name, value in old.items():
            if name in vars(module) and vars(module)[name] == value:
                setattr(module, name, new[name])
    _day = today
