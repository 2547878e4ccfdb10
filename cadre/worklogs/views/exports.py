"""Excel exports of logs and grades, within the caller's scope (and audited)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from cadre.audit.services import record_export
from cadre.core.errors import refusal
from cadre.core.excel import export_response
from cadre.worklogs import rules
from cadre.worklogs.models import QuarterGrade, WorkLog
from cadre.worklogs.views.common import period_from

MAX_ROWS = 100_000
LOG_HEADERS = [
    "单位",
    "姓名",
    "日期",
    "工作内容",
    "时长（小时）",
    "关联任务",
    "状态",
    "补填",
    "提交时间",
]
GRADE_HEADERS = [
    "单位",
    "姓名",
    "年度",
    "季度",
    "综合得分",
    "建议等次",
    "确认等次",
    "调整理由",
    "复核申请理由",
    "复核等次",
    "复核意见",
    "最终等次",
    "状态",
]


def export_logs(request: HttpRequest) -> HttpResponse:
    with refusal(request) as refused:
        choice = period_from(request)
    if refused:
        user = request.user
        assert user.is_authenticated  # LoginRequiredMiddleware: only signed-in users get here
        return redirect("worklogs:mine" if user.cadre_id else "worklogs:compliance")
    logs = WorkLog.objects.visible_to(request.user).between(choice.start, choice.end)
    if choice.unit is not None:
        logs = logs.filter(org_unit__path__startswith=choice.unit.path)
    if logs.count() > MAX_ROWS:
        messages.error(request, f"导出超过{MAX_ROWS}行，请缩小单位或时间范围")
        return redirect("worklogs:compliance")
    rows = [
        [
            log.org_unit.name,
            log.cadre.name,
            log.day,
            log.text,
            log.hours,
            ",".join(str(t) for t in log.task_ids),
            log.get_status_display(),
            "是" if log.is_late else "",
            timezone.localtime(log.submitted_at).replace(tzinfo=None) if log.submitted_at else "",
        ]
        for log in logs.select_related("cadre", "org_unit")
        .order_by("org_unit__path", "cadre_id", "day")
        .iterator(2000)
    ]
    record_export(user=request.user, what="worklogs.worklog", count=len(rows), request=request)
    return export_response(
        f"工作日志_{choice.start:%Y%m%d}-{choice.end:%Y%m%d}.xlsx", "工作日志", LOG_HEADERS, rows
    )


def export_grades(request: HttpRequest) -> HttpResponse:
    with refusal(request) as refused:
        choice = period_from(request)
    if refused:
        return redirect("worklogs:grades")
    grades = QuarterGrade.objects.visible_to(request.user).filter(year=choice.year)
    if request.GET.get("quarter"):
        grades = grades.filter(quarter=choice.quarter)
    if choice.unit is not None:
        grades = grades.filter(org_unit__path__startswith=choice.unit.path)
    label = rules.GRADE_LABELS.get
    rows = [
        [
            g.org_unit.name,
            g.cadre.name,
            g.year,
            g.quarter,
            g.proposed_score,
            label(g.proposed_grade, "") or ("依据不全，需人工评定" if g.incomplete else ""),
            label(g.confirmed_grade, ""),
            g.change_reason,
            g.review_reason,
            label(g.review_grade, ""),
            g.review_note,
            g.final_grade_display,
            g.get_status_display(),
        ]
        for g in grades.select_related("cadre", "org_unit")
        .order_by("quarter", "org_unit__path", "cadre_id")
        .iterator(2000)
    ]
    record_export(user=request.user, what="worklogs.quartergrade", count=len(rows), request=request)
    return export_response(f"平时考核等次_{choice.year}.xlsx", "平时考核", GRADE_HEADERS, rows)
