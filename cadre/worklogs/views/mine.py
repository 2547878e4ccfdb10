"""The cadre's own page: today's log, the week at a glance, missing days, marks and grades."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadre.accounts.access import get_object_for_user
from cadre.audit.services import record_view
from cadre.cadres.models import Cadre
from cadre.core.errors import refusal
from cadre.workdays import services as workdays
from cadre.workdays.rules import UnknownYearError
from cadre.worklogs import rules, services
from cadre.worklogs.forms import AnnotationForm, LogForm, ReviewRequestForm
from cadre.worklogs.models import Annotation, LogStatus, QuarterGrade, WeekReview, WorkLog
from cadre.worklogs.services import Refused
from cadre.worklogs.signals_api import cadre_signals

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class DayCell:
    day: date
    state: str  # rest future logged late reviewed draft open missing unknown
    label: str
    log: WorkLog | None

    @property
    def weekday(self) -> str:
        return "周" + WEEKDAYS[self.day.weekday()]


STATE_LABELS = {
    "rest": "休息日",
    "future": "未到",
    "logged": "已提交",
    "late": "已补填",
    "reviewed": "已审阅",
    "draft": "草稿未提交",
    "open": "待填写",
    "missing": "缺填",
    "unknown": "日历未维护",
}


def _own_cadre(request: HttpRequest) -> Cadre:
    cadre_id = getattr(request.user, "cadre_id", None)
    if cadre_id is None:
        raise Http404("您的账号未关联干部档案")
    return get_object_for_user(Cadre.objects.select_related("org_unit"), request.user, cadre_id)


def _cell(day: date, today: date, log: WorkLog | None, window: int) -> DayCell:
    try:
        workday = workdays.is_workday(day)
    except UnknownYearError:
        return DayCell(day, "unknown", STATE_LABELS["unknown"], log)
    if not workday:
        return DayCell(day, "rest", STATE_LABELS["rest"], log)
    if day > today:
        return DayCell(day, "future", STATE_LABELS["future"], log)
    if log is not None and log.status != LogStatus.DRAFT:
        state = (
            "reviewed"
            if log.status == LogStatus.REVIEWED
            else ("late" if log.is_late else "logged")
        )
        return DayCell(day, state, STATE_LABELS[state], log)
    try:
        services.check_day(day, today=today, window=window)
    except Refused:
        return DayCell(day, "missing", STATE_LABELS["missing"], log)
    state = "draft" if log is not None else "open"
    return DayCell(day, state, STATE_LABELS[state], log)


def _default_day(cells: list[DayCell], today: date) -> date:
    for cell in cells:
        if cell.day == today and cell.state not in ("rest", "unknown"):
            return today
    open_days = [c.day for c in cells if c.state in ("open", "draft") and c.day <= today]
    return open_days[-1] if open_days else today


def _context(request: HttpRequest, cadre: Cadre, form: LogForm | None = None) -> dict[str, Any]:
    today = timezone.localdate()
    window = services.late_window()
    monday = _week_param(request, today)
    days = [monday + timedelta(days=i) for i in range(7)]
    mine = WorkLog.objects.visible_to(request.user).filter(cadre=cadre)
    logs = {log.day: log for log in mine.between(days[0], days[-1])}
    cells = [_cell(d, today, logs.get(d), window) for d in days]
    edit_day = _day_param(request) or _default_day(cells, today)
    editing = logs.get(edit_day) or mine.filter(day=edit_day).first()
    if form is None:
        form = LogForm(
            initial={
                "day": edit_day,
                "text": editing.text if editing else "",
                "hours": editing.hours if editing else None,
                "task_ids": ", ".join(str(t) for t in editing.task_ids) if editing else "",
                "version": editing.version if editing else None,
            }
        )
    try:
        recent = cadre_signals(cadre.pk, today - timedelta(days=42), today, today=today)
    except UnknownYearError:
        recent = None
    return {
        "cadre": cadre,
        "today": today,
        "window": window,
        "cells": cells,
        "monday": monday,
        "prev_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
        "form": form,
        "editing": editing,
        "edit_day": edit_day,
        "recent": recent,
        "reviews": WeekReview.objects.visible_to(request.user)
        .filter(cadre=cadre)
        .order_by("-week_start")[:8],
        "grades": QuarterGrade.objects.visible_to(request.user)
        .filter(cadre=cadre)
        .order_by("-year", "-quarter")[:8],
    }


def _week_param(request: HttpRequest, today: date) -> date:
    try:
        return rules.week_start(date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        return rules.week_start(today)


def _day_param(request: HttpRequest) -> date | None:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return None


def my_logs(request: HttpRequest) -> HttpResponse:
    cadre = _own_cadre(request)
    return render(request, "worklogs/mine.html", _context(request, cadre))


@require_POST
def save(request: HttpRequest) -> HttpResponse:
    cadre = _own_cadre(request)
    form = LogForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        submit = "submit" in request.POST
        with refusal(request, form) as refused:
            services.save_log(
                by=request.user,
                cadre=cadre,
                day=data["day"],
                text=data["text"],
                hours=data["hours"],
                task_ids=data["task_ids"],
                submit=submit,
                version=data["version"],
                request=request,
            )
        if refused:  # 400, or 409 for a stale version
            return render(
                request, "worklogs/mine.html", _context(request, cadre, form), status=refused.status
            )
        done = "提交" if submit else "保存为草稿"
        messages.success(request, f"{rules.fmt_day(data['day'])}的日志已{done}")
        week = rules.week_start(data["day"])
        return redirect(f"{reverse('worklogs:mine')}?week={week}&day={data['day']}")
    return render(request, "worklogs/mine.html", _context(request, cadre, form), status=400)


def log_detail(request: HttpRequest, log_id: int) -> HttpResponse:
    log = get_object_for_user(
        WorkLog.objects.select_related("cadre", "org_unit"),
        request.user,
        log_id,
        request=request,
    )
    if request.user.cadre_id != log.cadre_id:  # type: ignore[union-attr]
        record_view(user=request.user, obj=log, request=request)
    return _render_detail(request, log, AnnotationForm())


def _render_detail(
    request: HttpRequest, log: WorkLog, form: AnnotationForm, status: int = 200
) -> HttpResponse:
    context = {
        "log": log,
        "form": form,
        "annotations": Annotation.objects.visible_to(request.user)
        .filter(log=log)
        .select_related("author"),
        "can_annotate": request.user.cadre_id == log.cadre_id  # type: ignore[union-attr]
        or WorkLog.objects.visible_to(request.user, write=True).filter(pk=log.pk).exists(),
    }
    return render(request, "worklogs/log_detail.html", context, status=status)


@require_POST
def annotate(request: HttpRequest, log_id: int) -> HttpResponse:
    log = get_object_for_user(WorkLog.objects, request.user, log_id, request=request)
    form = AnnotationForm(request.POST)
    if form.is_valid():
        with refusal(request, form) as refused:
            services.annotate_log(
                by=request.user, log=log, text=form.cleaned_data["text"], request=request
            )
        if refused:
            return _render_detail(request, log, form, status=refused.status)
        messages.success(request, "批注已添加")
    return redirect("worklogs:log", log_id=log.pk)


@require_POST
def request_review(request: HttpRequest, grade_id: int) -> HttpResponse:
    grade = get_object_for_user(QuarterGrade.objects, request.user, grade_id, request=request)
    form = ReviewRequestForm(request.POST)
    if form.is_valid():
        with refusal(request):
            services.request_grade_review(
                by=request.user,
                grade=grade,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                request=request,
            )
            messages.success(request, "复核申请已提交，请等待单位负责人答复")
    else:
        messages.error(request, "请填写申请复核的理由")
    return redirect("worklogs:grade", grade_id=grade.pk)
