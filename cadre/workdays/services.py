"""The project's working-day calendar: chinese-calendar data plus staff-entered years.

Use these functions for every deadline: `add_working_days(day, n)`, `is_workday(day)`,
`working_days_between(a, b)`, `workdays_in(a, b)`. A year with no data raises
UnknownYearError (a Chinese message), never a guess.
"""

from datetime import date

import chinese_calendar
from django.core.cache import cache

from cadre.workdays import rules
from cadre.workdays.models import CalendarYear, DayOverride
from cadre.workdays.rules import Calendar, UnknownYearError

__all__ = [
    "UnknownYearError",
    "add_working_days",
    "current_calendar",
    "is_workday",
    "workdays_in",
    "working_days_between",
]
_CACHE_KEY = "workdays:calendar:v1"


def _library_years() -> set[int]:
    return {d.year for d in chinese_calendar.holidays}


def build_calendar() -> Calendar:
    holidays = set(chinese_calendar.holidays)
    extra = set(chinese_calendar.workdays)
    for day, is_work in DayOverride.objects.values_list("day", "is_workday"):
        (extra if is_work else holidays).add(day)
        (holidays if is_work else extra).discard(day)
    known = _library_years() | set(CalendarYear.objects.values_list("year", flat=True))
    return Calendar(frozenset(holidays), frozenset(extra), frozenset(known))


def current_calendar() -> Calendar:
    cal = cache.get(_CACHE_KEY)
    if cal is None:
        cal = build_calendar()
        cache.set(_CACHE_KEY, cal, 300)
    return cal


def invalidate() -> None:
    """Call after staff change CalendarYear or DayOverride."""
    cache.delete(_CACHE_KEY)


def is_workday(day: date) -> bool:
    return current_calendar().is_workday(day)


def add_working_days(day: date, n: int) -> date:
    return rules.add_working_days(current_calendar(), day, n)


def working_days_between(start: date, end: date) -> int:
    return rules.working_days_between(current_calendar(), start, end)


def workdays_in(start: date, end: date) -> list[date]:
    return rules.workdays_in(current_calendar(), start, end)
