"""Excel exports: a cycle's results, and a survey's satisfaction report (formula-safe cells,
TRUST.md IO-02). Rows in unit-tree order, never sorted by score."""

from django.http import HttpRequest, HttpResponse

from cadre.accounts.access import require_role
from cadre.assessments import access, rules
from cadre.assessments.models import Participant, SurveyComment, SurveyUnit
from cadre.assessments.services import survey as survey_services
from cadre.audit.services import record_export
from cadre.core.excel import workbook_response, write_sheet

RESULT_HEADERS = [
    "单位",
    "姓名",
    "职务",
    "进度",
    "建议等次",
    "不定等次原因",
    "综合评价意见",
    "主持公道说明",
    "确定等次",
    "最终等次（含复核）",
    "决定日期",
    "书面通知日期",
    "本人签收",
    "复核",
]


def cycle_results(request: HttpRequest, cycle_id: int) -> HttpResponse:
    require_role(request.user, "org_admin")
    cycle = access.get_cycle(request.user, cycle_id, request=request)
    qs = (
        Participant.objects.visible_to(request.user)
        .filter(cycle=cycle)
        .select_related("cadre", "org_unit", "decision", "decision__review")
        .order_by("org_unit__path", "cadre__name")
    )
    rows = []
    for p in qs.iterator(chunk_size=2000):
        d = getattr(p, "decision", None)
        review = getattr(d, "review", None) if d else None
        rows.append(
            [
                p.org_unit.name,
                p.cadre.name,
                p.title,
                p.get_stage_display(),
                rules.GRADE_LABELS.get(p.proposed_grade, ""),
                p.ungraded_reason,
                p.evaluation_text,
                p.justice_note,
                rules.grade_label(d.grade or None) if d else "",
                rules.grade_label(d.final_grade or None) if d else "",
                d.decided_on.isoformat() if d else "",
                d.notified_on.isoformat() if d and d.notified_on else "",
                "是" if d and d.acknowledged_at else "",
                review.get_status_display() if review else "",
            ]
        )
    import openpyxl

    wb = openpyxl.Workbook()
    write_sheet(wb, "考核结果", RESULT_HEADERS, rows)
    record_export(user=request.user, what="assessments.results", count=len(rows), request=request)
    return workbook_response(wb, f"{cycle.title}-考核结果.xlsx")


def satisfaction_report(request: HttpRequest, survey_id: int) -> HttpResponse:
    s = access.get_survey(request.user, survey_id, request=request)
    require_role(request.user, "org_admin")
    visible = set(
        SurveyUnit.objects.visible_to(request.user).filter(survey=s).values_list("id", flat=True)
    )
    results = [r for r in survey_services.results(s) if r.survey_unit_id in visible]
    import openpyxl

    wb = openpyxl.Workbook()
    dims = list(rules.SURVEY_DIMENSIONS.values())
    write_sheet(
        wb,
        "单位结果",
        [
            "单位",
            "有效评议",
            "综合得分",
            "总体满意率%",
            "评议结论",
            "一票否决事项",
            *dims,
            "意见数",
            "已办结",
        ],
        [
            [
                r.name,
                r.result.responses,
                str(r.result.score or ""),
                str(r.result.satisfaction_rate or ""),
                r.result.verdict_label,
                r.veto_item,
                *[str(r.result.dims.get(k, "")) for k in rules.SURVEY_DIMENSIONS],
                r.comments,
                r.comments_closed,
            ]
            for r in results
        ],
    )
    tier_rows = []
    for r in results:
        tier_rows += [[r.name, t.tier, t.responses, str(t.score)] for t in r.result.tiers]
        tier_rows += [
            [r.name, name, "少于最少份数，不单独显示", ""] for name in r.result.hidden_tiers
        ]
    write_sheet(wb, "分层面结果", ["单位", "评议层面", "有效评议", "得分"], tier_rows)
    comments = (
        SurveyComment.objects.visible_to(request.user)
        .filter(survey=s)
        .select_related("survey_unit__org_unit")
        .order_by("survey_unit__org_unit__path", "id")
    )
    write_sheet(
        wb,
        "意见建议及整改",
        ["单位", "评议层面", "意见建议", "处理状态", "书面答复", "整改情况"],
        [
            [
                c.survey_unit.org_unit.name,
                c.tier_name,
                c.text,
                c.get_status_display(),
                c.response_text,
                c.rectification_text,
            ]
            for c in comments.iterator(chunk_size=2000)
        ],
    )
    record_export(
        user=request.user,
        what="assessments.satisfaction_report",
        count=len(results),
        request=request,
    )
    return workbook_response(wb, f"{s.title}-评议报告.xlsx")
