"""Quarterly routine grades (平时考核): set-based proposal, confirmation, one review (复核)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from cadre.audit.services import record_event
from cadre.cadres.models import Cadre, CadreQuerySet
from cadre.workdays import services as workdays
from cadre.worklogs import providers, rules
from cadre.worklogs.models import GradeStatus, QuarterGrade, RoutineGrade, WeekReview, WorkLog
from cadre.worklogs.rules import GradeInputs, GradeSettings, Refused
from cadre.worklogs.services.common import check_version, setting

BATCH = 2000


def grade_settings() -> GradeSettings:
    return GradeSettings(
        weights=setting(rules.GRADE_WEIGHTS),
        thresholds=setting(rules.GRADE_THRESHOLDS),
        late_credit=setting(rules.LATE_CREDIT),
        deduction_per_finding=setting(rules.INSPECTION_DEDUCTION),
        max_deduction=setting(rules.INSPECTION_MAX_DEDUCTION),
    )


@dataclass(frozen=True)
class ProposalSummary:
    year: int
    quarter: int
    cadres: int
    created: int
    updated: int
    kept_confirmed: int
    capped: int
    incomplete: int = 0  # proposals left to the unit head: an input was missing


def propose_quarter_grades(
    *,
    by: Any,
    year: int,
    quarter: int,
    cadres: CadreQuerySet,
    today: date | None = None,
    request: Any = None,
) -> ProposalSummary:
    """Proposes a grade for every active cadre of `cadres` (already scoped by the caller) in
    a few aggregate queries; confirmed grades are kept as they are."""
    start, end = rules.quarter_bounds(year, quarter)
    today = today or timezone.localdate()
    if end >= today:
        raise Refused(f"{year}年第{quarter}季度尚未结束，季末后才能生成等次建议")
    expected = len(workdays.workdays_in(start, end))
    active = cadres.active()
    units = dict(active.values_list("id", "org_unit_id").order_by())
    proposals = _proposals(active, list(units), start, end, expected, grade_settings())
    capped = _apply_cap(proposals, units)
    with transaction.atomic():
        summary = _store(proposals, units, active, year, quarter, capped)
        record_event(
            actor=by,
            action="quarter_grades_proposed",
            object_type="worklogs.quartergrade",
            object_id=f"{year}Q{quarter}",
            request=request,
            detail=summary.__dict__,
        )
    return summary


def _proposals(
    cadres: QuerySet[Cadre],
    cadre_ids: list[int],
    start: date,
    end: date,
    expected: int,
    cfg: GradeSettings,
) -> dict[int, tuple[rules.GradeProposal, dict[str, Any]]]:
    counts = _log_counts(cadres, start, end)
    marks = _mark_sums(cadres, start, end)
    tasks = providers.task_progress(cadre_ids, start, end)
    findings = providers.inspection_findings(cadre_ids, start, end)
    result = {}
    for cadre_id in cadre_ids:
        on_time, late = counts.get(cadre_id, (0, 0))
        n_marks, total = marks.get(cadre_id, (0, Decimal(0)))
        inputs = GradeInputs(
            expected_days=expected,
            on_time_days=on_time,
            late_days=late,
            # the proposal needs the mean only: n copies of the mean give the same result
            marks=(total / n_marks,) * n_marks if n_marks else (),
            task_progress=tasks.get(cadre_id),
            inspection_findings=findings[cadre_id],
        )
        proposal = rules.propose_grade(inputs, cfg)
        result[cadre_id] = (proposal, _inputs_json(inputs, proposal, cfg))
    return result


def _log_counts(cadres: QuerySet[Cadre], start: date, end: date) -> dict[int, tuple[int, int]]:
    """(on time, late) handed-in logs per cadre: one aggregate query, the cadres as a
    subquery (no list of ids, whatever the size of the scope)."""
    rows = (
        WorkLog.objects.handed_in()
        .filter(cadre_id__in=cadres.values("id"), day__gte=start, day__lte=end)
        .values("cadre_id")
        .order_by()
        .annotate(
            on_time=Count("id", filter=Q(is_late=False)), late=Count("id", filter=Q(is_late=True))
        )
        .values_list("cadre_id", "on_time", "late")
    )
    return {c: (a, b) for c, a, b in rows}


def _mark_sums(cadres: QuerySet[Cadre], start: date, end: date) -> dict[int, tuple[int, Decimal]]:
    """Weekly marks (weeks whose Monday is in the quarter), summed on the 0–100 scale."""
    scores = setting(rules.MARK_SCORES)
    as_number = Case(
        *[When(mark=g, then=Value(Decimal(str(scores[g])))) for g in rules.GRADES],
        default=Cast(F("score"), DecimalField(max_digits=5, decimal_places=1)),
        output_field=DecimalField(max_digits=5, decimal_places=1),
    )
    rows = (
        WeekReview.objects.filter(
            cadre_id__in=cadres.values("id"), week_start__gte=start, week_start__lte=end
        )
        .values("cadre_id")
        .order_by()
        .annotate(n=Count("id"), total=Sum(as_number))
        .values_list("cadre_id", "n", "total")
    )
    return {c: (n, Decimal(str(total))) for c, n, total in rows}


def _inputs_json(
    inputs: GradeInputs, proposal: rules.GradeProposal, cfg: GradeSettings
) -> dict[str, Any]:
    def num(value: Any) -> str | None:
        return None if value is None else str(value)

    return {
        "expected_days": inputs.expected_days,
        "on_time_days": inputs.on_time_days,
        "late_days": inputs.late_days,
        "weeks_marked": len(inputs.marks),
        "task_progress": num(inputs.task_progress),
        "inspection_findings": inputs.inspection_findings,
        "components": {k: num(v) for k, v in proposal.components.items()},
        "weights": {k: num(cfg.weights[k]) for k in proposal.components},
        "missing": list(proposal.missing),
        "missing_labels": [rules.INPUT_LABELS[k] for k in proposal.missing],
        "reasons": list(proposal.reasons),
        "cap": "",
    }


def _apply_cap(
    proposals: dict[int, tuple[rules.GradeProposal, dict]], units: dict[int, int]
) -> int:
    """The optional 好 cap, per unit as a whole; returns how many were lowered."""
    if not setting(rules.GOOD_CAP_ENABLED):
        return 0
    groups: dict[int, list[tuple[int, str | None, Decimal | None]]] = defaultdict(list)
    for cadre_id, (proposal, _) in proposals.items():
        groups[units[cadre_id]].append((cadre_id, proposal.grade, proposal.score))
    lowered = 0
    for items in groups.values():
        for cadre_id, (grade, reason) in rules.apply_good_cap(
            items, setting(rules.GOOD_CAP_RATIO)
        ).items():
            if reason:
                proposal, data = proposals[cadre_id]
                proposals[cadre_id] = (
                    rules.GradeProposal(
                        grade,
                        proposal.score,
                        proposal.components,
                        (*proposal.reasons, reason),
                        proposal.missing,
                    ),
                    {**data, "cap": reason, "reasons": [*data["reasons"], reason]},
                )
                lowered += 1
    return lowered


def _store(
    proposals: dict,
    units: dict[int, int],
    cadres: QuerySet[Cadre],
    year: int,
    quarter: int,
    capped: int,
) -> ProposalSummary:
    existing: dict[int, str] = dict(
        QuarterGrade.objects.of_quarter(year, quarter)
        .filter(cadre_id__in=cadres.values("id"))
        .values_list("cadre_id", "status")
    )
    now = timezone.now()
    rows = [
        QuarterGrade(
            cadre_id=cadre_id,
            org_unit_id=units[cadre_id],
            year=year,
            quarter=quarter,
            proposed_grade=proposal.grade or "",
            proposed_score=proposal.score,
            incomplete=proposal.incomplete,
            inputs=data,
            proposed_at=now,
            created_at=now,
            updated_at=now,
        )
        for cadre_id, (proposal, data) in proposals.items()
        if existing.get(cadre_id, GradeStatus.PROPOSED) == GradeStatus.PROPOSED
    ]
    QuarterGrade.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["cadre", "year", "quarter"],
        update_fields=[
            "org_unit",
            "proposed_grade",
            "proposed_score",
            "incomplete",
            "inputs",
            "proposed_at",
            "updated_at",
        ],
    )
    kept = sum(1 for c in proposals if existing.get(c, GradeStatus.PROPOSED) != "proposed")
    updated = sum(1 for c in proposals if existing.get(c) == GradeStatus.PROPOSED)
    incomplete = sum(
        1
        for c, (p, _) in proposals.items()
        if p.incomplete and existing.get(c, GradeStatus.PROPOSED) == "proposed"
    )
    return ProposalSummary(
        year, quarter, len(proposals), len(rows) - updated, updated, kept, capped, incomplete
    )


# ---------------------------------------------------------------- confirmation and 复核


def _lock(grade: QuarterGrade, version: int | None) -> QuarterGrade:
    locked = QuarterGrade.objects.select_for_update().get(pk=grade.pk)
    check_version(locked.version, version)
    return locked


def _check_good_quota(grade: QuarterGrade, final: str) -> None:
    if final != RoutineGrade.GOOD or not setting(rules.GOOD_CAP_ENABLED):
        return
    group = QuarterGrade.objects.of_quarter(grade.year, grade.quarter).filter(
        org_unit_id=grade.org_unit_id
    )
    figures = group.aggregate(
        n=Count("id"),
        goods=Count(
            "id",
            filter=(
                Q(review_grade=RoutineGrade.GOOD)
                | Q(review_grade="", confirmed_grade=RoutineGrade.GOOD)
            )
            & ~Q(pk=grade.pk),
        ),
    )
    ratio = setting(rules.GOOD_CAP_RATIO)
    if not rules.good_quota_allows(figures["n"], figures["goods"] + 1, ratio):
        raise Refused(
            f"本单位本季度“好”等次已达上限（参加{figures['n']}人，"
            f"最多{rules.good_limit(figures['n'], ratio)}人）"
        )


@transaction.atomic
def confirm_grade(
    *,
    by: Any,
    grade: QuarterGrade,
    final: Any,
    reason: Any = "",
    version: int | None = None,
    request: Any = None,
) -> QuarterGrade:
    """The unit head confirms the proposal or changes it with a reason; the cadre is
    notified (the grade, the reason and the date appear on their page)."""
    locked = _lock(grade, version)
    if by.cadre_id == locked.cadre_id:
        raise Refused("不能确认本人的平时考核等次")
    reason = rules.check_confirmation(
        status=locked.status, proposed=locked.proposed_grade or None, final=final, reason=reason
    )
    _check_good_quota(locked, str(final))
    now = timezone.now()
    locked.status, locked.confirmed_grade, locked.change_reason = (
        GradeStatus.CONFIRMED,
        final,
        reason,
    )
    locked.confirmed_by, locked.confirmed_at, locked.notified_at = by, now, now
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "confirmed_grade",
            "change_reason",
            "confirmed_by",
            "confirmed_at",
            "notified_at",
            "version",
            "updated_at",
        ]
    )
    record_event(
        actor=by,
        action="quarter_grade_confirmed",
        obj=locked,
        request=request,
        detail={
            "grade": final,
            "proposed": locked.proposed_grade,
            "changed": final != locked.proposed_grade,
        },
    )
    return locked


@transaction.atomic
def request_grade_review(
    *,
    by: Any,
    grade: QuarterGrade,
    reason: Any,
    version: int | None = None,
    request: Any = None,
) -> QuarterGrade:
    """The cadre asks once for a review (复核) of a confirmed grade, with a reason."""
    locked = _lock(grade, version)
    if by.cadre_id != locked.cadre_id:
        raise Refused("只能对本人的平时考核等次申请复核")
    locked.review_reason = rules.check_review_request(
        status=locked.status, already_requested=locked.review_requested, reason=reason
    )
    locked.status, locked.review_requested_at = GradeStatus.REVIEW_REQUESTED, timezone.now()
    locked.version += 1
    locked.save(
        update_fields=["status", "review_reason", "review_requested_at", "version", "updated_at"]
    )
    record_event(actor=by, action="quarter_grade_review_requested", obj=locked, request=request)
    return locked


@transaction.atomic
def decide_grade_review(
    *,
    by: Any,
    grade: QuarterGrade,
    final: Any,
    note: Any,
    version: int | None = None,
    request: Any = None,
) -> QuarterGrade:
    """The unit head decides the review: keeps or changes the grade, with a written note."""
    locked = _lock(grade, version)
    if by.cadre_id == locked.cadre_id:
        raise Refused("不能复核本人的平时考核等次")
    locked.review_note = rules.check_review_decision(status=locked.status, grade=final, note=note)
    if final != locked.confirmed_grade:
        _check_good_quota(locked, str(final))
    now = timezone.now()
    locked.status, locked.review_grade = GradeStatus.REVIEW_DECIDED, final
    locked.review_decided_by, locked.review_decided_at, locked.notified_at = by, now, now
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "review_note",
            "review_grade",
            "review_decided_by",
            "review_decided_at",
            "notified_at",
            "version",
            "updated_at",
        ]
    )
    record_event(
        actor=by,
        action="quarter_grade_review_decided",
        obj=locked,
        request=request,
        detail={"grade": final, "was": locked.confirmed_grade},
    )
    return locked
