"""A run that passes midnight in Beijing moves the test modules' dates of the day to the new day (tests/days.py)."""

import datetime
import sys
import types

from django.utils import timezone

from . import days


def test_the_first_test_of_a_new_day_moves_the_modules_constants_of_the_day(monkeypatch):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    old = days.day_constants(yesterday)
    module = types.ModuleType("tests.a_module_of_yesterday")
    module.TODAY, module.THIS_MONTH, module.TOMORROW, module.YEAR = (
        old[n] for n in ("TODAY", "THIS_MONTH", "TOMORROW", "YEAR")
    )
    module.FIXED = datetime.date(2020, 1, 1)
    elsewhere = types.ModuleType("branches.not_a_test")
    elsewhere.TODAY = yesterday
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(sys.modules, elsewhere.__name__, elsewhere)
    monkeypatch.setattr(days, "_day", yesterday)

    days.follow_the_day(today)

    assert module.TODAY == today
    assert module.THIS_MONTH == today.replace(day=1)
    assert module.TOMORROW == (today + datetime.timedelta(days=1)).isoformat()
    assert module.YEAR == today.year
    assert module.FIXED == datetime.date(2020, 1, 1)
    assert elsewhere.TODAY == yesterday
    assert days._day == today


def test_on_the_same_day_nothing_moves(monkeypatch):
    module = types.ModuleType("tests.a_module_of_today")
    module.TODAY = timezone.localdate() - datetime.timedelta(days=3)
    monkeypatch.setitem(sys.modules, module.__name__, module)

    days.follow_the_day(timezone.localdate())

    assert module.TODAY == timezone.localdate() - datetime.timedelta(days=3)
