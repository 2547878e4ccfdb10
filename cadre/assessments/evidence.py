"""Evidence panels: one item per source, each with its lines and links to the source.

Never a bare rank: a score appears only as one line of the item it comes from, and nothing
here compares one cadre with another. Every source is a declared contract that is there at
run time (the start-up check refuses a missing provider); what is legitimately absent for one
cadre (no book, no grade yet) is said as such. The providers' records carry their own labels
or come from the domain app's pure `rules` module, imported by name (reader → domain).
Pure functions over the values `sources.gather` and the cycle's own tallies return.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.urls import NoReverseMatch, reverse

from cadre.assessments import rules
from cadre.assessments.sources import Gathered, MeasureRow, Source
from cadre.targets.rules import OUTCOME_LABELS as TARGET_OUTCOMES
from cadre.targets.rules import STATUS_LABELS as BOOK_STATUSES

QUARTERS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


_SENTINEL = 987654321


@lru_cache(maxsize=128)
def _pattern(name: str, nargs: int) -> str | None:
    """The URL with placeholder ids, reversed once per name (thousands of links a cycle)."""
    try:
        return reverse(name, args=[_SENTINEL] * nargs)
    except NoReverseMatch:
        return None


def link(text: str, name: str, *args: Any) -> dict[str, str] | None:
    url = _pattern(name, len(args))
    if url is None:
        return None
    for arg in args:
        url = url.replace(str(_SENTINEL), str(int(arg)), 1)
    return {"text": text, "url": url}


def item(
    key: str,
    title: str,
    *,
    lines: Iterable[str] = (),
    links: Iterable[dict[str, str] | None] = (),
    tone: str = "neutral",
) -> dict[str, Any]:
    return {
        "key": key,
        "title": title,
        "tone": tone,
        "lines": list(lines),
        "links": [x for x in links if x],
    }


def _get(obj: Any, key: str, default: Any = None) -> Any:
    return obj.get(key, default) if isinstance(obj, dict) else getattr(obj, key, default)


# ---- one item per source -----------------------------------------------------------------


def targets_item(src: Source, cadre_id: int) -> dict[str, Any]:
    result = src.data.get(cadre_id)
    books = list(_get(result, "books", ()) or ())
    if not books:
        return item("targets", "目标任务书完成情况", lines=["本年度无本人目标任务书"])
    kinds = {"annual": "年度工作", "key": "重点工作"}
    lines = []
    for b in books:
        score = f"，得分 {b.score}" if b.score is not None and b.reconciled else ""
        lines.append(
            f"《{b.title}》（{kinds.get(b.kind, b.kind)}）："
            f"{BOOK_STATUSES.get(b.status, b.status)}{score}"
        )
    outcomes = _get(result, "outcomes", {}) or {}
    tasks = _get(result, "tasks", 0) or 0
    if tasks:
        parts = (
            "，".join(f"{TARGET_OUTCOMES.get(k, k)} {n}" for k, n in outcomes.items())
            or "尚未对账确认"
        )
        lines.append(f"承担任务 {tasks} 项：{parts}")
    score = _get(result, "score")
    if score is not None:
        lines.append(f"已对账任务书平均得分 {score}（仅作为证据之一，不作排序）")
    tone = "negative" if outcomes.get("incomplete") else "neutral"
    return item(
        "targets",
        "目标任务书完成情况",
        lines=lines,
        tone=tone,
        links=[link(f"任务书：{b.title}", "targets:book", b.book_id) for b in books],
    )


def findings_item(src: Source, cadre_id: int) -> dict[str, Any]:
    title = "专项督查发现"
    result = src.data.get(cadre_id)
    pos = _get(result, "positive_findings", 0) or 0
    neg = _get(result, "negative_findings", 0) or 0
    open_ = _get(result, "open_rectifications", 0) or 0
    if not (pos or neg):
        lines = ["本年度专项督查未记载涉及本人的发现"]
    else:
        lines = [f"表扬肯定 {pos} 项，发现问题 {neg} 项"]
        if open_:
            lines.append(f"其中 {open_} 项整改尚未完成")
    return item(
        "findings",
        title,
        lines=lines,
        tone="negative" if neg else ("positive" if pos else "neutral"),
        links=[link("专项督查", "targets:inspections")],
    )


def routine_item(src: Source, cadre_id: int) -> dict[str, Any]:
    title = "平时考核（日志式管理）"
    r = src.data.get(cadre_id)
    quarters = dict(_get(r, "quarters", {}) or {})
    labels = dict(_get(r, "labels", {}) or {})  # quarter → the grade's label
    if not quarters:
        lines = ["本年度尚无确定的季度平时考核等次"]
    else:
        lines = [
            "；".join(
                f"{QUARTERS.get(q, q)}：{labels.get(q, g)}" for q, g in sorted(quarters.items())
            )
        ]
    pending = _get(r, "pending", ()) or ()
    if pending:
        lines.append("待确认：" + "、".join(QUARTERS.get(q, str(q)) for q in pending))
    allowed = _get(r, "excellent_allowed")
    if allowed is False:
        lines.append(f"平时考核与年度优秀挂钩规则：{_get(r, 'reason', '') or '不满足'}")
    bad = any(g in ("average", "poor") for g in quarters.values())
    return item(
        "routine",
        title,
        lines=lines,
        tone="negative" if bad else "neutral",
        links=[
            link("平时考核", "worklogs:grades"),
            link("日志与平时表现", "worklogs:cadre_signals", cadre_id),
        ],
    )


def democratic_item(
    view: rules.DistributionView | None,
    turnout: Mapping[str, Any] | None,
    session_ids: Iterable[int],
) -> dict[str, Any]:
    title = "民主测评"
    if view is None or view.ballots == 0:
        return item("democratic", title, lines=["本周期未对其组织民主测评或尚无有效票"])
    choices = rules.BALLOT_CHOICES
    lines = []
    for row in view.rows:
        lines.append(
            f"{row.label}（{row.total}票）："
            + "，".join(f"{choices[c]} {n}" for c, n in row.counts.items())
        )
    if view.merged is not None:
        lines.append(
            f"{view.merged.label}（{view.merged.total}票）："
            + "，".join(f"{choices[c]} {n}" for c, n in view.merged.counts.items())
        )
    if view.hidden:
        lines.append("少于最少票数、不单独显示的类别：" + "、".join(view.hidden))
    if view.total is not None:
        share = view.share(rules.EXCELLENT, rules.COMPETENT)
        lines.append(f"合计{view.total.total}票，优秀和称职票占 {(share or Decimal(0)) * 100:.1f}%")
    elif view.overall is not None:
        lines.append(f"有效票共{view.ballots}票；为免推算出少数类别的投票，合计分布不予显示")
    else:
        lines.append(f"有效票共{view.ballots}票，少于最少票数，分布不予显示")
    if turnout and turnout.get("total", {}).get("rate") is not None:
        t = turnout["total"]
        lines.append(f"参评率 {t['rate']}%（发放 {t['issued']}，收回/投票 {t['cast']}）")
    return item(
        "democratic",
        title,
        lines=lines,
        links=[link("测评详情", "assessments:session", sid) for sid in session_ids],
    )


def satisfaction_item(
    result: rules.UnitSurveyResult | None, survey_id: int | None, unit_name: str
) -> dict[str, Any]:
    title = f"所在单位满意度评议（{unit_name}）"
    if result is None:
        return item("satisfaction", title, lines=["本年度该单位未列入满意不满意单位评议"])
    lines = [f"评议结论：{result.verdict_label}"]
    if result.score is not None:
        lines.append(
            f"综合得分 {result.score}，总体满意率 {result.satisfaction_rate}%"
            f"（有效评议 {result.responses} 份）"
        )
    for key, label in rules.SURVEY_DIMENSIONS.items():
        if key in result.dims:
            lines.append(f"{label}：平均 {result.dims[key]} 分（5分制）")
    tone = {"satisfied": "positive", "unsatisfied": "negative", "vetoed": "negative"}.get(
        result.verdict, "neutral"
    )
    return item(
        "satisfaction",
        title,
        lines=lines,
        tone=tone,
        links=[link("评议结果", "assessments:survey_results", survey_id) if survey_id else None],
    )


def unit_result_item(unit_name: str, r: Any, cycle_id: int) -> dict[str, Any]:
    """The unit (team) result of a unit the cadre headed in the year (一把手, seed 四.4):
    its targets after the year-end reconciliation and its satisfaction evaluation, each
    shown as missing when it is not there (never as zero), and the tier they make."""
    title = f"所任“一把手”单位的单位（班子）考核结果（{unit_name}）"
    if r is None:
        return item("unit_result", title, lines=["该单位本年度的单位（班子）考核结果尚未计算"])
    score = f"（综合得分 {r.score}）" if r.score is not None else ""
    lines = [f"单位（班子）考核等次：{r.tier_label}{score}", f"评定依据：{r.basis}"]
    if r.target_score is not None:
        parts = "，".join(f"{TARGET_OUTCOMES.get(k, k)} {n}" for k, n in r.target_outcomes.items())
        lines.append(
            f"目标考核（年末对账）：得分 {r.target_score}" + (f"（{parts}）" if parts else "")
        )
    else:
        lines.append(f"目标考核（年末对账）：缺失（{r.get_target_status_display()}）")
    if r.satisfaction_score is not None:
        lines.append(
            f"满意度评议：{r.satisfaction_label}，得分 {r.satisfaction_score}，"
            f"总体满意率 {r.satisfaction_rate}%"
        )
    elif r.satisfaction_verdict == "vetoed":
        lines.append(f"满意度评议：{r.satisfaction_label}")
    else:
        lines.append(
            "满意度评议：缺失（"
            + ("暂无评议数据" if r.satisfaction_verdict else "本年度该单位未列入满意不满意单位评议")
            + "）"
        )
    tone = {
        "good": "positive",
        "fairly_good": "positive",
        "average": "negative",
        "poor": "negative",
    }.get(r.tier, "neutral")
    return item(
        "unit_result",
        title,
        lines=lines,
        tone=tone,
        links=[
            link("单位（班子）考核结果", "assessments:unit_results", cycle_id)
            if cycle_id
            else None,
            link("满意度评议结果", "assessments:survey_results", r.survey_id)
            if r.survey_id
            else None,
        ],
    )


def measures_item(src: Source, cadre_id: int) -> dict[str, Any]:
    """The year's measures. What they (and everything else) mean for 优秀 is the eligibility
    answer, shown next to the panel (`eligibility/_answer.html`), not restated here."""
    title = "问责措施与影响期"
    rows: list[MeasureRow] = [m for m in src.data.get(cadre_id, []) if not m.exempted]
    lines = []
    for m in rows:
        until = "无固定期限" if m.open_ended else (f"至{m.until:%Y-%m-%d}" if m.until else "")
        state = "影响期与本年度重叠" if m.in_force else "本年度作出"
        lines.append(f"{m.label}（{m.effective_on:%Y-%m-%d}起，{until}）：{state}")
    if not rows:
        lines.append("本年度无影响期内的问责措施")
    return item(
        "measures",
        title,
        lines=lines,
        tone="negative" if rows else "neutral",
        links=[link(f"措施：{m.label}", "accountability:measure", m.id) for m in rows]
        + [link("问责档案", "accountability:archive", cadre_id)],
    )


def exemptions_item(src: Source, cadre_id: int) -> dict[str, Any]:
    title = "容错免责"
    rows = [m for m in src.data.get(cadre_id, []) if m.exempted]
    if not rows:
        return item("exemptions", title, lines=["本年度无免责认定"])
    lines = [
        f"{m.label}（{m.effective_on:%Y-%m-%d}）：已免责，不作负面评价"
        + (f"（{m.exemption_note}）" if m.exemption_note else "")
        for m in rows
    ]
    return item(
        "exemptions",
        title,
        lines=lines,
        tone="neutral",
        links=[link(f"措施：{m.label}", "accountability:measure", m.id) for m in rows],
    )


def training_item(src: Source, cadre_id: int) -> dict[str, Any]:
    title = "培训学时"
    hours = Decimal(str(src.data.get(cadre_id, 0) or 0))
    required = Decimal(src.note or "0")
    met = hours >= required
    return item(
        "training",
        title,
        lines=[
            f"本年度培训 {hours.normalize():f} 学时（要求 "
            f"{required.normalize():f} 学时），{'已达到' if met else '未达到'}要求"
        ],
        tone="neutral" if met else "negative",
        links=[link("能力提升", "development:dashboard")],
    )


def talks_item(src: Source, cadre_id: int) -> dict[str, Any]:
    title = "谈心谈话"
    n = int(src.data.get(cadre_id, 0) or 0)
    needed = int(src.note or "1")
    return item(
        "talks",
        title,
        lines=[
            f"本年度谈心谈话 {n} 次（要求每年不少于 {needed} 次）"
            + ("" if n >= needed else "，尚未覆盖")
        ],
        links=[link("关心关爱", "care:dashboard")],
    )


def warnings_item(src: Source, cadre_id: int) -> dict[str, Any]:
    title = "预警处置"
    rows = src.data.get(cadre_id) or []
    lines = [str(_get(r, "text", r)) for r in rows] or ["本年度无已处置的预警"]
    return item("warnings", title, lines=lines, tone="negative" if rows else "neutral")


def history_item(previous: list[tuple[int, str | None]]) -> dict[str, Any]:
    lines = [f"{y}年度：{rules.grade_label(g)}" for y, g in previous[:3]] or ["无往年考核结果记录"]
    return item("history", "往年年度考核", lines=lines)


# ---- a participant's panel and facts ---------------------------------------------------


@dataclass(frozen=True)
class Subject:
    participant_id: int
    cadre_id: int
    unit_id: int
    unit_name: str
    is_leader: bool
    joined_on: date | None
    under_investigation: bool
    leave_days: int


def panel(
    s: Subject,
    g: Gathered,
    *,
    view: rules.DistributionView | None,
    turnout: Mapping[str, Any] | None,
    sessions: Iterable[int],
    survey: tuple[int, rules.UnitSurveyResult] | None,
    previous: list[tuple[int, str | None]],
    headed: Iterable[tuple[str, Any]] = (),
    cycle_id: int = 0,
) -> list[dict[str, Any]]:
    items = [
        targets_item(g.targets, s.cadre_id),
        routine_item(g.routine, s.cadre_id),
        democratic_item(view, turnout, sessions),
    ]
    if s.is_leader:
        items.append(
            satisfaction_item(
                survey[1] if survey else None, survey[0] if survey else None, s.unit_name
            )
        )
    items += [unit_result_item(name, result, cycle_id) for name, result in headed]
    items += [
        findings_item(g.targets, s.cadre_id),
        measures_item(g.measures, s.cadre_id),
        exemptions_item(g.measures, s.cadre_id),
        training_item(g.training, s.cadre_id),
        talks_item(g.talks, s.cadre_id),
        *([warnings_item(g.warnings, s.cadre_id)] if g.warnings is not None else []),
        history_item(previous),
    ]
    return items


def facts_for(
    s: Subject, g: Gathered, year: int, previous: list[tuple[int, str | None]]
) -> rules.CadreFacts:
    rows: list[MeasureRow] = g.measures.data.get(s.cadre_id, [])
    # Exempted measures (容错免责) count as nothing: they are simply left out here.
    counting = [m for m in rows if m.in_force and not m.exempted]
    routine = g.routine.data.get(s.cadre_id)
    quarters = tuple((_get(routine, "quarters", {}) or {}).values())
    return rules.CadreFacts(
        year=year,
        joined_on=s.joined_on,
        under_investigation=s.under_investigation
        or any(m.category == "referral" for m in counting)
        or bool(g.investigation.data.get(s.cadre_id)),
        leave_days=s.leave_days,
        measures_in_force=tuple(m.category for m in counting),
        routine_grades=quarters,
        previous_grades=tuple(gr for _, gr in previous),
    )


def _excellent_answer(g: Gathered, cadre_id: int) -> list[Any]:
    """The blocks of the one eligibility answer (cadre.cadres.decisions, read through
    `assessments.eligibility`) for 年度考核评为优秀, on the decision day."""
    verdict = _get(g.eligibility.data.get(cadre_id), "excellent_grade")
    if verdict is None or _get(verdict, "eligible", True):
        return []
    return list(_get(verdict, "blocks", []) or [])


def accountability_blocks(g: Gathered, cadre_id: int) -> list[rules.Violation]:
    """The eligibility answer's reasons against 优秀 (measures, open cases, 不适宜担任现职,
    employment; exempted measures already left out), each once."""
    found: dict[tuple[str, str], rules.Violation] = {}
    for b in _excellent_answer(g, cadre_id):
        v = rules.Violation(f"{_get(b, 'reason')}，不得确定为优秀等次", str(_get(b, "source")))
        found.setdefault((v.rule, v.source), v)
    return list(found.values())


def answered_categories(g: Gathered, cadre_id: int) -> set[str]:
    """Categories of the year's measures that the eligibility answer already names against
    优秀 (by the measure and its first day). The assessment rule's own block for such a
    category would state the same measure a second time on the panel."""
    reasons = [
        str(_get(b, "reason", ""))
        for b in _excellent_answer(g, cadre_id)
        if _get(b, "fact", "measure") == "measure"
    ]
    rows: list[MeasureRow] = g.measures.data.get(cadre_id, [])
    return {
        m.category
        for m in rows
        if any(r.startswith(f"{m.label}（{m.effective_on.isoformat()}起）") for r in reasons)
    }
