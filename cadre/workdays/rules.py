"""Working-day arithmetic over plain values (no database).

A year's calendar is the set of public holidays that fall on weekdays and the set of
weekend days that are worked in exchange (调休). Every deadline in Cadre counts working
days through these functions.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta


class UnknownYearError(LookupError):
    """No holiday data for the year: the software refuses to guess."""

    def __init__(self, year: int) -> None:
        super().__init__(f"{year}年的节假日安排尚未录入，无法计算工作日，请先在工作日历中维护该年度")
        self.year = year


@dataclass(frozen=True)
class Calendar:
    holidays: frozenset[date] = field(default_factory=frozenset)  # days off (incl. weekdays)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)  # 调休 weekend days
    known_years: frozenset[int] = field(default_factory=frozenset)

    def is_workday(self, day: date) -> bool:
        if day.year not in self.known_years:
            raise UnknownYearError(day.year)
        if day in self.extra_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


def add_working_days(cal: Calendar, start: date, n: int) -> date:
    """The n-th working day after `start` (start itself not counted); n=0 gives start."""
    if n < 0:
        raise ValueError("n must be >= 0")
    day = start
    while n:
        day += timedelta(days=1)
        if cal.is_workday(day):
            n -= 1
    return day


def working_days_between(cal: Calendar, start: date, end: date) -> int:
    """Working days in (start, end]: how many working days have passed since start."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += cal.is_workday(day)
    return count


def workdays_in(cal: Calendar, start: date, end: date) -> list[date]:
    """Working days in [start, end]."""
    days, day = [], start
    while day <= end:
        if cal.is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    return days
