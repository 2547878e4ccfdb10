"""The project's working-day calendar: chinese-calendar data plus staff-entered years.

Use these functions for every deadline: `add_working_days(day, n)`, `is_workday(day)`,
`working_days_between(a, b)`, `workdays_in(a, b)`. A year with no data raises
UnknownYearError (a Chinese message), never a guess.
"""

from datetime import date
from typing import Any

import chinese_calendar
from django.core.cache import cache
from django.db import transaction

from cadre.audit.services import record_event
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


# ---------------------------------------------------------------- staff maintenance

MIN_YEAR, MAX_YEAR = 2000, 2100


class CalendarError(ValueError):
    """Bad calendar input; the message is Chinese and shown as is."""


def library_years() -> list[int]:
    return sorted(_library_years())


def registered_years() -> list[CalendarYear]:
    return list(CalendarYear.objects.order_by("year"))


def overrides() -> list[DayOverride]:
    return list(DayOverride.objects.order_by("day"))


def _after_change() -> None:
    # This process at once (the change is visible in the same transaction), every process
    # after commit; other worker processes keep their copy until the cache entry expires.
    invalidate()
    transaction.on_commit(invalidate)


@transaction.atomic
def add_calendar_year(*, by: Any, year: Any, source: Any, request: Any = None) -> CalendarYear:
    """Declares a year's holidays entered: from now on the year is computed, not refused.
    Enter the year's holidays and 调休 days (DayOverride) first."""
    try:
        value = int(year)
    except (TypeError, ValueError) as exc:
        raise CalendarError("年度须为四位数字") from exc
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise CalendarError(f"年度须在{MIN_YEAR}至{MAX_YEAR}之间")
    if value in _library_years():
        raise CalendarError(f"{value}年的节假日数据已由日历库提供，如需更正请登记单日调整")
    if CalendarYear.objects.filter(year=value).exists():
        raise CalendarError(f"{value}年度已登记")
    text = (source or "").strip()
    if not text:
        raise CalendarError("请填写依据（如国务院办公厅关于该年部分节假日安排的通知）")
    if len(text) > 200:
        raise CalendarError("依据不能超过200字")
    row = CalendarYear.objects.create(year=value, source=text)
    record_event(actor=by, action="calendar_year_added", obj=row, request=request,
                 detail={"year": value})
    _after_change()
    return row


@transaction.atomic
def set_day_override(
    *, by: Any, day: Any, is_workday: Any, name: Any = "", request: Any = None
) -> DayOverride:
    """Enters or corrects one day: a holiday (休息) or a worked weekend day (调休上班)."""
    if not isinstance(day, date):
        raise CalendarError("请填写日期")
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise CalendarError(f"日期须在{MIN_YEAR}至{MAX_YEAR}年之间")
    if not isinstance(is_workday, bool):
        raise CalendarError("请选择该日上班或休息")
    label = (name or "").strip()
    if len(label) > 50:
        raise CalendarError("名称不能超过50字")
    row = DayOverride.objects.select_for_update().filter(day=day).first()
    before = None if row is None else row.is_workday
    if row is None:
        row = DayOverride.objects.create(day=day, is_workday=is_workday, name=label)
    else:
        row.is_workday, row.name = is_workday, label
        row.save(update_fields=["is_workday", "name", "updated_at"])
    record_event(actor=by, action="calendar_day_set", obj=row, request=request,
                 detail={"day": day.isoformat(), "is_workday": is_workday, "before": before})
    _after_change()
    return row
