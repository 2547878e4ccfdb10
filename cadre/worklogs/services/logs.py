"""Writing, submitting and annotating daily logs."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.audit.services import record_event
from cadre.cadres.models import Cadre, CadreStatus
from cadre.workdays import services as workdays
from cadre.worklogs import rules
from cadre.worklogs.models import Annotation, LogStatus, WorkLog
from cadre.worklogs.rules import Refused
from cadre.worklogs.services.common import Conflict, check_version, setting

MAX_BULK_ITEMS = 400
_REVIEWED = "{}的日志已审阅，不能修改，只能追加批注"


def late_window() -> int:
    return int(setting(rules.LATE_WINDOW))


def check_day(day: date, *, today: date | None = None, window: int | None = None) -> rules.DayCheck:
    """May `day` be logged today? Refused with the reason if not."""
    today = today or timezone.localdate()
    window = late_window() if window is None else window
    if day > today:
        return rules.check_log_day(
            day=day, today=today, is_workday=False, workdays_since=0, late_window=window
        )
    if (today - day).days > 31 + 2 * window:  # surely past the window: no calendar needed
        return rules.check_log_day(
            day=day, today=today, is_workday=True, workdays_since=window + 1, late_window=window
        )
    is_workday = workdays.is_workday(day)
    since = workdays.working_days_between(day, today)
    return rules.check_log_day(
        day=day, today=today, is_workday=is_workday, workdays_since=since, late_window=window
    )


@dataclass(frozen=True)
class LogInput:
    day: date
    text: str
    hours: Decimal | None
    task_ids: list[int]
    late: bool


def _validate(
    *,
    by: Any,
    cadre: Cadre,
    day: Any,
    text: Any,
    hours: Any,
    task_ids: Any,
    today: date,
    window: int,
    max_chars: int,
) -> LogInput:
    if by.cadre_id != cadre.pk:
        raise Refused("只能填写本人的日志，不能替他人填写或修改")
    if cadre.status != CadreStatus.ACTIVE:
        raise Refused("该干部已不在职，不能填写日志")
    if not isinstance(day, date):
        raise Refused("请填写日志日期")
    check = check_day(day, today=today, window=window)
    return LogInput(
        day=day,
        text=rules.clean_text(text, max_chars),
        hours=rules.clean_hours(hours),
        task_ids=rules.clean_task_ids(task_ids),
        late=check.late,
    )


@transaction.atomic
def save_log(
    *,
    by: Any,
    cadre: Cadre,
    day: Any,
    text: Any,
    hours: Any = None,
    task_ids: Any = None,
    submit: bool = False,
    version: int | None = None,
    request: Any = None,
    today: date | None = None,
) -> WorkLog:
    """Saves the day's log as a draft or submits it. The same day again updates the same
    log (one per cadre and day, a database constraint) until it is reviewed."""
    data = _validate(
        by=by,
        cadre=cadre,
        day=day,
        text=text,
        hours=hours,
        task_ids=task_ids,
        today=today or timezone.localdate(),
        window=late_window(),
        max_chars=int(setting(rules.TEXT_MAX_CHARS)),
    )
    log = _upsert(cadre=cadre, data=data, submit=submit, version=version)
    record_event(
        actor=by,
        action="worklog_submitted" if submit else "worklog_saved",
        obj=log,
        request=request,
        detail={"day": data.day.isoformat(), "late": log.is_late},
    )
    return log


def _upsert(*, cadre: Cadre, data: LogInput, submit: bool, version: int | None) -> WorkLog:
    existing = WorkLog.objects.select_for_update().filter(cadre=cadre, day=data.day).first()
    if existing is None:
        if version is not None:
            raise Conflict()
        try:
            with transaction.atomic():
                return WorkLog.objects.create(**_new_fields(cadre, data, submit, timezone.now()))
        except IntegrityError:  # a concurrent first save of the same day won the insert
            existing = WorkLog.objects.select_for_update().get(cadre=cadre, day=data.day)
    _apply_update(existing, data, submit, version, timezone.now())
    existing.save(update_fields=[*_UPDATE_FIELDS, "updated_at"])
    return existing


def _new_fields(cadre: Cadre, data: LogInput, submit: bool, now: Any) -> dict[str, Any]:
    return {
        "cadre": cadre,
        "org_unit_id": cadre.org_unit_id,
        "day": data.day,
        "text": data.text,
        "hours": data.hours,
        "task_ids": data.task_ids,
        "status": LogStatus.SUBMITTED if submit else LogStatus.DRAFT,
        "is_late": data.late if submit else False,
        "submitted_at": now if submit else None,
    }


def _new_log(cadre: Cadre, data: LogInput, submit: bool, now: Any) -> WorkLog:
    return WorkLog(**_new_fields(cadre, data, submit, now))


_UPDATE_FIELDS = ["text", "hours", "task_ids", "status", "is_late", "submitted_at", "version"]


def _apply_update(
    log: WorkLog, data: LogInput, submit: bool, version: int | None, now: Any
) -> None:
    if not log.is_editable:
        raise Refused(_REVIEWED.format(rules.fmt_day(log.day)))
    check_version(log.version, version)
    log.text, log.hours, log.task_ids = data.text, data.hours, data.task_ids
    if submit and log.status == LogStatus.DRAFT:
        log.status, log.submitted_at, log.is_late = LogStatus.SUBMITTED, now, data.late
    log.version += 1


@dataclass(frozen=True)
class ItemError:
    index: int
    day: str
    message: str


class BulkRefused(Refused):
    """A bulk submission refused as a whole; `errors` says which items and why."""

    code = "invalid"  # like a validation error, with `errors` listing the items

    def __init__(self, errors: list[ItemError]) -> None:
        super().__init__(f"共{len(errors)}条日志有误，全部未保存")
        self.errors = errors

    def extra(self) -> dict[str, Any]:
        return {"errors": [e.__dict__ for e in self.errors]}


@transaction.atomic
def bulk_save_logs(
    *,
    by: Any,
    items: Sequence[dict[str, Any]],
    submit: bool = True,
    request: Any = None,
    today: date | None = None,
) -> list[WorkLog]:
    """All or nothing: every item is checked first, and any error refuses the whole batch
    with the errors of each item. Items are the caller's own logs."""
    if not items:
        raise Refused("没有要提交的日志")
    if len(items) > MAX_BULK_ITEMS:
        raise Refused(f"每批最多提交{MAX_BULK_ITEMS}条日志")
    cadre = Cadre.objects.filter(pk=by.cadre_id).first() if by.cadre_id else None
    if cadre is None:
        raise Refused("您的账号未关联干部档案，不能提交日志")
    checked = _check_items(by=by, cadre=cadre, items=items, today=today or timezone.localdate())
    logs = _bulk_upsert(cadre=cadre, data=checked, submit=submit)
    record_event(
        actor=by,
        action="worklog_bulk_submitted" if submit else "worklog_bulk_saved",
        object_type="worklogs.worklog",
        object_id=cadre.pk,
        request=request,
        detail={"count": len(logs), "days": [d.day.isoformat() for d in checked][:50]},
    )
    return logs


def _check_items(
    *, by: Any, cadre: Cadre, items: Sequence[dict[str, Any]], today: date
) -> list[LogInput]:
    window, max_chars = late_window(), int(setting(rules.TEXT_MAX_CHARS))
    errors: list[ItemError] = []
    checked: list[LogInput] = []
    seen: set[date] = set()
    for index, item in enumerate(items):
        day = item.get("day")
        try:
            if item.get("cadre_id") not in (None, cadre.pk):
                raise Refused("只能提交本人的日志，不能替他人提交")
            if day in seen:
                raise Refused("同一批次中该日期重复")
            validated = _validate(
                by=by,
                cadre=cadre,
                day=day,
                text=item.get("text"),
                hours=item.get("hours"),
                task_ids=item.get("task_ids"),
                today=today,
                window=window,
                max_chars=max_chars,
            )
            checked.append(validated)
            seen.add(validated.day)
        except Refused as exc:
            errors.append(ItemError(index, str(day or ""), str(exc)))
    if errors:
        raise BulkRefused(errors)
    return checked


def _bulk_upsert(*, cadre: Cadre, data: list[LogInput], submit: bool) -> list[WorkLog]:
    existing = {
        log.day: log
        for log in WorkLog.objects.select_for_update().filter(
            cadre=cadre, day__in=[d.day for d in data]
        )
    }
    now = timezone.now()
    reviewed = [
        ItemError(i, d.day.isoformat(), _REVIEWED.format(rules.fmt_day(d.day)))
        for i, d in enumerate(data)
        if d.day in existing and not existing[d.day].is_editable
    ]
    if reviewed:
        raise BulkRefused(reviewed)
    for d in data:
        if d.day in existing:
            _apply_update(existing[d.day], d, submit, None, now)
    WorkLog.objects.bulk_update(list(existing.values()), [*_UPDATE_FIELDS, "updated_at"])
    try:
        with transaction.atomic():
            created = WorkLog.objects.bulk_create(
                [_new_log(cadre, d, submit, now) for d in data if d.day not in existing]
            )
    except IntegrityError as exc:  # a concurrent save of one of these days
        raise Conflict("部分日期的日志正被同时保存，请稍后重试") from exc
    return sorted([*existing.values(), *created], key=lambda log: log.day)


@transaction.atomic
def annotate_log(*, by: Any, log: WorkLog, text: Any, request: Any = None) -> Annotation:
    """Appends a note: by the cadre themself or by someone who may review the log."""
    own = by.cadre_id == log.cadre_id
    if not own and not WorkLog.objects.visible_to(by, write=True).filter(pk=log.pk).exists():
        raise Refused("您无权批注该日志")
    note = Annotation.objects.create(
        log=log, author=by, text=rules.clean_text(text, int(setting(rules.TEXT_MAX_CHARS)))
    )
    record_event(
        actor=by,
        action="worklog_annotated",
        obj=log,
        request=request,
        detail={"annotation": note.pk},
    )
    return note
