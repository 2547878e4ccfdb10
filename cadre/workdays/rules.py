"""Working-day arithmetic over plain values (no database).

A year's calendar is the set of public holidays that fall on weekdays and the set of
weekend days that are worked in exchange (调休). Every deadline in Cadre counts working
days through these functions.

A year is *official* when its schedule is known: bundled with chinese-calendar, or confirmed
by staff from the State Council's notice. Until then it is *provisional* (推定): the statutory
holidays of 《全国年节及纪念日放假办法》(2024年修订，2025年起施行) — 元旦1天、春节4天（农历除夕
起）、清明1天、劳动节2天、端午1天、中秋1天、国庆3天 — with 补假 on the next working day for
one that falls on a weekend (第六条), and no 调休. The lunar dates come from the `holidays`
library; deadlines that reach into a provisional year are marked and recomputed when the
year is confirmed.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays as holidays_lib

from cadre.core.errors import Refused

STATUTE = "全国年节及纪念日放假办法（2024年修订）"
PROVISIONAL_NOTE = (
    "推定：{years}年节假日安排尚未公布，本期限按法定节假日（{statute}）和周末推算，"
    "安排公布并录入后自动重算"
)
PROVISIONAL_FIELD = "期限经过尚未确认节假日安排的年度，按法定节假日推定，确认后重算"


class UnknownYearError(Refused, LookupError):
    """No holiday data and no statutory computation for the year: refuse to guess."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"{year}年的节假日安排尚未录入，无法计算工作日，请先在工作日历中维护该年度"
        )
        self.year = year


class ScheduleError(Refused):
    """A holiday schedule that contradicts the law or itself; the message names the day."""


@dataclass(frozen=True)
class Calendar:
    holidays: frozenset[date] = field(default_factory=frozenset)  # days off (incl. weekdays)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)  # 调休 weekend days
    known_years: frozenset[int] = field(default_factory=frozenset)  # official schedule
    provisional_years: frozenset[int] = field(default_factory=frozenset)  # statutory only

    def is_workday(self, day: date) -> bool:
        if day.year not in self.known_years and day.year not in self.provisional_years:
            raise UnknownYearError(day.year)
        if day in self.extra_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def is_provisional(self, day: date) -> bool:
        return day.year in self.provisional_years and day.year not in self.known_years


@dataclass(frozen=True)
class Due:
    """A deadline and whether a provisional year was counted to reach it."""

    day: date
    provisional: bool = False

    @property
    def note(self) -> str:
        return provisional_note([self.day.year]) if self.provisional else ""


def provisional_note(years: Iterable[int]) -> str:
    return PROVISIONAL_NOTE.format(
        years="、".join(str(y) for y in sorted(set(years))), statute=STATUTE
    )


def add_working_days(cal: Calendar, start: date, n: int) -> date:
    """The n-th working day after `start` (start itself not counted); n=0 gives start."""
    return due_after(cal, start, n).day


def due_after(cal: Calendar, start: date, n: int) -> Due:
    """As add_working_days, and marked provisional when a counted day is in a provisional year."""
    if n < 0:
        raise ValueError("n must be >= 0")
    day, provisional = start, False
    while n:
        day += timedelta(days=1)
        if cal.is_workday(day):
            n -= 1
        provisional = provisional or cal.is_provisional(day)
    return Due(day, provisional)


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


# ---- statutory holidays and schedules ---------------------------------------------------


def statutory_holidays(year: int, *, with_makeup: bool = True) -> dict[date, str]:
    """The days off the law fixes for `year`, in Chinese; with 补假 (第六条) when asked.

    Lunar dates (除夕、春节、端午、中秋) and 清明 come from `holidays`' China calendar, which
    computes them for any year; the law's list of days is the 2024 amendment's.
    """
    days = holidays_lib.China(years=year, language="zh_CN", observed=with_makeup)
    return {day: str(name) for day, name in days.items()}


def check_schedule(
    year: int,
    days_off: Mapping[date, str],
    worked: Mapping[date, str],
    statutory: Mapping[date, str],
) -> None:
    """An official schedule must stay in its year, not list a day twice, and give every
    statutory holiday off (全国年节及纪念日放假办法 第二条、第三条)."""
    for day in sorted({*days_off, *worked}):
        if day.year != year:
            raise ScheduleError(f"{day:%Y-%m-%d} 不在{year}年内，请检查日期")
    both = sorted(set(days_off) & set(worked))
    if both:
        raise ScheduleError(f"{both[0]:%Y-%m-%d} 同时被列为放假和上班，请只保留一种安排")
    for day, name in sorted(statutory.items()):
        if day in worked:
            raise ScheduleError(f"{day:%Y-%m-%d}（{name}）是法定节假日，不能安排上班（{STATUTE}）")
        if day.weekday() < 5 and day not in days_off:
            raise ScheduleError(
                f"安排中缺少法定节假日 {day:%Y-%m-%d}（{name}），请补充后再确认（{STATUTE}）"
            )


_LINE = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:\s*[~～至—-]\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2}))?\s*(.*)$"
)


def parse_schedule_lines(text: str) -> dict[date, str]:
    """Days pasted from the notice, one a line: `2027-02-05 春节` or a range
    `2027-02-05至2027-02-11 春节` (also `~`); blank lines are skipped."""
    days: dict[date, str] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip().replace("，", " ").replace(",", " ")
        if not line:
            continue
        match = _LINE.match(line)
        try:
            if match is None:
                raise ValueError(line)
            y1, m1, d1, y2, m2, d2, name = match.groups()
            start = date(int(y1), int(m1), int(d1))
            end = date(int(y2), int(m2), int(d2)) if y2 else start
        except ValueError as exc:
            raise ScheduleError(
                f"第{number}行“{raw.strip()[:30]}”的日期无法识别，应为 YYYY-MM-DD 或 "
                f"YYYY-MM-DD至YYYY-MM-DD，后接名称"
            ) from exc
        if end < start or (end - start).days > 31:
            raise ScheduleError(f"第{number}行的日期区间不正确（结束早于开始或超过31天）")
        day = start
        while day <= end:
            days[day] = name.strip()[:50]
            day += timedelta(days=1)
    return days


_OFF, _WORKED = {"休息", "放假", "节假日", "off"}, {"上班", "调休上班", "work"}


def parse_schedule_csv(text: str) -> tuple[dict[date, str], dict[date, str]]:
    """A CSV of `日期,安排,名称` rows (安排: 放假/休息 or 上班); a header row is allowed."""
    import csv
    import io

    off: dict[date, str] = {}
    worked: dict[date, str] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or (number == 1 and cells[0] in ("日期", "date")):
            continue
        if len(cells) < 2:
            raise ScheduleError(f"第{number}行应有“日期,安排,名称”三列")
        try:
            day = parse_schedule_lines(cells[0])
        except ScheduleError as exc:
            raise ScheduleError(f"第{number}行的日期“{cells[0][:20]}”无法识别") from exc
        if cells[1] not in _OFF | _WORKED:
            raise ScheduleError(f"第{number}行的安排应为“放假”或“上班”，而不是“{cells[1][:10]}”")
        name = cells[2][:50] if len(cells) > 2 else ""
        for d in day:
            (off if cells[1] in _OFF else worked)[d] = name
    return off, worked
