"""The project's working-day calendar: chinese-calendar data, staff-confirmed years, and
provisional (推定) years computed from the statutory holidays.

Use these functions for every deadline: `due_after(day, n)` (a Due with its provisional
mark, to store with the deadline), `add_working_days(day, n)`, `is_workday(day)`,
`working_days_between(a, b)`, `workdays_in(a, b)`. Only a year outside
[MIN_YEAR, today + PROVISIONAL_HORIZON] raises UnknownYearError.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import chinese_calendar
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from cadre.audit.services import record_event
from cadre.core.errors import Refused
from cadre.workdays import rules
from cadre.workdays.deadlines import DeadlineSpec, registered
from cadre.workdays.models import CalendarYear, DayOverride, DeadlineChange
from cadre.workdays.rules import Calendar, Due, ScheduleError, UnknownYearError

__all__ = [
    "Due",
    "UnknownYearError",
    "add_working_days",
    "current_calendar",
    "due_after",
    "is_workday",
    "workdays_in",
    "working_days_between",
]
_CACHE_KEY = "workdays:calendar:v2"
PROVISIONAL_HORIZON = 5  # years ahead of today (or of the last known year) computed as 推定
MIN_YEAR, MAX_YEAR = 2000, 2100


def _library_years() -> set[int]:
    return {d.year for d in chinese_calendar.holidays}


def _days(mapping: dict[str, str]) -> dict[date, str]:
    return {date.fromisoformat(k): v for k, v in (mapping or {}).items()}


def build_calendar(today: date | None = None) -> Calendar:
    today = today or timezone.localdate()
    holidays = set(chinese_calendar.holidays)
    extra = set(chinese_calendar.workdays)
    library = _library_years()
    confirmed = set()
    for row in CalendarYear.objects.all():
        confirmed.add(row.year)
        worked = set(_days(row.days_worked))
        holidays |= set(_days(row.days_off)) - worked
        extra |= worked
    known = library | confirmed
    horizon = min(max(max(known), today.year) + PROVISIONAL_HORIZON, MAX_YEAR)
    provisional = {y for y in range(min(library), horizon + 1) if y not in known}
    for year in provisional:
        holidays |= set(rules.statutory_holidays(year))
    for day, is_work in DayOverride.objects.values_list("day", "is_workday"):
        (extra if is_work else holidays).add(day)
        (holidays if is_work else extra).discard(day)
    return Calendar(frozenset(holidays), frozenset(extra), frozenset(known), frozenset(provisional))


def current_calendar() -> Calendar:
    cal = cache.get(_CACHE_KEY)
    if cal is None or timezone.localdate().year + 1 not in (
        cal.known_years | cal.provisional_years
    ):
        cal = build_calendar()
        cache.set(_CACHE_KEY, cal, 300)
    return cal


def invalidate() -> None:
    """Call after staff change CalendarYear or DayOverride."""
    cache.delete(_CACHE_KEY)


def is_workday(day: date) -> bool:
    return current_calendar().is_workday(day)


def due_after(day: date, n: int) -> Due:
    """The n-th working day after `day`, marked provisional if it counted a 推定 year."""
    return rules.due_after(current_calendar(), day, n)


def add_working_days(day: date, n: int) -> date:
    return rules.add_working_days(current_calendar(), day, n)


def working_days_between(start: date, end: date) -> int:
    return rules.working_days_between(current_calendar(), start, end)


def workdays_in(start: date, end: date) -> list[date]:
    return rules.workdays_in(current_calendar(), start, end)


def provisional_years() -> list[int]:
    return sorted(current_calendar().provisional_years)


def unconfirmed_years_ahead(today: date) -> list[int]:
    """This year, and from 1 November next year, when their schedule is not official yet."""
    known = _library_years() | set(CalendarYear.objects.values_list("year", flat=True))
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    return [y for y in years if y not in known]


def provisional_deadline_count() -> int:
    """Open deadlines stored as 推定 and not yet passed, across every declared deadline."""
    today = timezone.localdate()
    return sum(
        spec.model_class()
        ._default_manager.filter(spec.open(), **{spec.flag: True, f"{spec.due}__gte": today})
        .count()
        for spec in registered()
    )


# ---------------------------------------------------------------- staff maintenance


class CalendarError(Refused):
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


@dataclass
class Confirmation:
    row: CalendarYear
    moved: list[DeadlineChange] = field(default_factory=list)
    kept: list[DeadlineChange] = field(default_factory=list)  # already passed: not moved


def _check_year(year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError) as exc:
        raise CalendarError("年度须为四位数字") from exc
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise CalendarError(f"年度须在{MIN_YEAR}至{MAX_YEAR}之间")
    if value in _library_years():
        raise CalendarError(f"{value}年的节假日数据已由日历库提供，如需更正请登记单日调整")
    return value


def _iso(days: dict[date, str]) -> dict[str, str]:
    return {d.isoformat(): (days[d] or "")[:50] for d in sorted(days)}


@transaction.atomic
def confirm_year(
    *,
    by: Any,
    year: Any,
    source: Any,
    days_off: dict[date, str],
    days_worked: dict[date, str],
    correction: Any = "",
    request: Any = None,
) -> Confirmation:
    """Enters a year's official schedule (国务院办公厅通知) and moves every open working-day
    deadline whose counted span meets that year, in this transaction. A deadline that has
    already passed is never moved: it is listed for staff instead. Confirming again is a
    correction: it needs a reason and recomputes again."""
    value = _check_year(year)
    text = (source or "").strip()
    if not text:
        raise CalendarError("请填写依据（如国务院办公厅关于该年部分节假日安排的通知）")
    if len(text) > 200:
        raise CalendarError("依据不能超过200字")
    try:
        rules.check_schedule(
            value, days_off, days_worked, rules.statutory_holidays(value, with_makeup=False)
        )
    except ScheduleError as exc:
        raise CalendarError(str(exc)) from exc
    row = CalendarYear.objects.select_for_update().filter(year=value).first()
    reason = (correction or "").strip()
    if row is not None:
        if not reason:
            raise CalendarError(f"{value}年度已确认；如需更正，请填写更正理由")
        if row.days_off == _iso(days_off) and row.days_worked == _iso(days_worked):
            raise CalendarError(f"与已确认的{value}年安排相同，无需更正")
    before = build_calendar()
    pending = _deadlines_meeting(value, before)
    old = None if row is None else {"off": row.days_off, "worked": row.days_worked}
    if row is None:
        row = CalendarYear(year=value)
    else:
        row.revision += 1
    row.source, row.confirmed_by = text, by if getattr(by, "pk", None) else None
    row.days_off, row.days_worked = _iso(days_off), _iso(days_worked)
    row.save()
    result = _move_deadlines(row, pending, build_calendar())
    record_event(
        actor=by,
        action="calendar_year_corrected" if old else "calendar_year_confirmed",
        obj=row,
        request=request,
        detail={
            "year": value,
            "revision": row.revision,
            "reason": reason[:200],
            "before": old,
            "days_off": len(days_off),
            "days_worked": len(days_worked),
            "moved": [_change_json(c) for c in result.moved],
            "kept_passed": [_change_json(c) for c in result.kept],
        },
    )
    _after_change()
    return result


@dataclass(frozen=True)
class _Pending:
    spec: DeadlineSpec
    pk: int
    start: date
    due: date
    provisional: bool
    count: int  # the working days it was computed with
    users: frozenset[int]


def _deadlines_meeting(year: int, cal: Calendar) -> list[_Pending]:
    """Open deadlines counted through `year`; one query per declared deadline field."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    pending: list[_Pending] = []
    for spec in registered():
        manager = spec.model_class()._default_manager
        rows: dict[int, dict[str, Any]] = {}
        fields = ["pk", spec.start, spec.due, spec.flag, *spec.notify]
        for values in manager.filter(spec.touching(first, last)).values_list(*fields):
            pk, start, due, provisional, *users = values
            row = rows.setdefault(
                pk, {"start": start, "due": due, "provisional": provisional, "users": set()}
            )
            row["users"].update(u for u in users if u)
        for pk, row in rows.items():
            pending.append(
                _Pending(
                    spec,
                    pk,
                    row["start"],
                    row["due"],
                    row["provisional"],
                    rules.working_days_between(cal, row["start"], row["due"]),
                    frozenset(row["users"]),
                )
            )
    return pending


def _move_deadlines(row: CalendarYear, pending: list[_Pending], cal: Calendar) -> Confirmation:
    from cadre.core.models import Notification

    result = Confirmation(row)
    today = timezone.localdate()
    notes: list[Notification] = []
    moved: dict[DeadlineSpec, list[Any]] = {}
    for item in pending:
        due = rules.due_after(cal, item.start, item.count)
        if due.day == item.due and due.provisional == item.provisional:
            continue
        passed = item.due < today
        change = DeadlineChange(
            calendar_year=row,
            revision=row.revision,
            model=item.spec.model.lower(),
            object_id=item.pk,
            label=item.spec.label,
            old_due=item.due,
            new_due=due.day,
            was_provisional=item.provisional,
            is_provisional=due.provisional and not passed,
            moved=not passed,
        )
        (result.kept if passed else result.moved).append(change)
        if passed:
            continue
        model = item.spec.model_class()
        moved.setdefault(item.spec, []).append(
            model(pk=item.pk, **{item.spec.due: due.day, item.spec.flag: due.provisional})
        )
        if due.day != item.due:
            link = _link(item.spec, item.pk)
            notes.extend(
                Notification(
                    user_id=user,
                    link=link,
                    text=(
                        f"{row.year}年节假日安排已确认，{item.spec.label}由{item.due:%Y-%m-%d}"
                        f"调整为{due.day:%Y-%m-%d}" + ("（仍为推定）" if due.provisional else "")
                    ),
                )
                for user in sorted(item.users)
            )
    for spec, rows in moved.items():  # one UPDATE per declared deadline field, not per row
        spec.model_class()._default_manager.bulk_update(rows, [spec.due, spec.flag], 500)
    DeadlineChange.objects.bulk_create([*result.moved, *result.kept])
    Notification.objects.bulk_create(notes)
    return result


def _link(spec: DeadlineSpec, pk: int) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(spec.link, args=[pk]) if spec.link else ""
    except NoReverseMatch:
        return ""


def _change_json(change: DeadlineChange) -> dict[str, Any]:
    return {
        "model": change.model,
        "id": change.object_id,
        "label": change.label,
        "from": change.old_due.isoformat(),
        "to": change.new_due.isoformat(),
    }


def latest_changes(limit: int = 200) -> list[DeadlineChange]:
    """The newest recomputed deadlines, each with `link` to its record where it has a page."""
    specs = {(spec.model.lower(), spec.label): spec for spec in registered()}
    rows = list(DeadlineChange.objects.select_related("calendar_year")[:limit])
    for row in rows:
        spec = specs.get((row.model, row.label))
        row.link = _link(spec, row.object_id) if spec else ""
    return rows


@transaction.atomic
def add_calendar_year(*, by: Any, year: Any, source: Any, request: Any = None) -> Confirmation:
    """Confirms a year from the single days entered before (DayOverride rows of that year)."""
    value = _check_year(year)
    days = DayOverride.objects.filter(day__year=value)
    return confirm_year(
        by=by,
        year=value,
        source=source,
        request=request,
        days_off={d.day: d.name for d in days if not d.is_workday},
        days_worked={d.day: d.name for d in days if d.is_workday},
    )


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
    record_event(
        actor=by,
        action="calendar_day_set",
        obj=row,
        request=request,
        detail={"day": day.isoformat(), "is_workday": is_workday, "before": before},
    )
    _after_change()
    return row
