"""The unit (team) result of a year (单位（班子）考核结果), set-based for all units of a cycle.

Two parts: the unit's own task books after the year-end reconciliation (年末对账, the targets
app) and the satisfaction evaluation (满意不满意单位评议, this app's surveys), combined by
rules.unit_outcome with the settings assessments.unit_result_weights / _tiers. A part that is
not there is stored empty and shown as missing, never as zero. The unit's 一把手 (the head
of its leadership team during the year) gets the result in their evidence (seed 四.4).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cadre.assessments import rules
from cadre.assessments.models import Cycle, Participant, TargetStatus, UnitResult
from cadre.assessments.services import survey
from cadre.assessments.services.common import AssessmentError
from cadre.audit.services import record_event
from cadre.cadres.models import TeamMembership, TeamRole
from cadre.core.rulebook import rule_value

CHUNK = 5000
FIELDS = (
    "cycle",
    "target_status",
    "target_score",
    "target_outcomes",
    "survey",
    "satisfaction_verdict",
    "satisfaction_score",
    "satisfaction_rate",
    "score",
    "tier",
    "basis",
    "computed_at",
    "computed_by",
    "updated_at",
)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _target_results(unit_ids: list[int], year: int) -> dict[int, Any]:
    """The targets app's unit year results. The one place this module reads another domain
    app (to move onto cadre.core.contracts with the other evidence readers)."""
    from cadre.targets.evidence import year_results_for_units

    return year_results_for_units(unit_ids, year)


def heads_in_year(cadre_ids: Iterable[int], year: int) -> dict[int, list[tuple[int, str]]]:
    """{cadre: [(unit id, unit name)]} of the units whose leadership team the cadre headed
    (主要负责人, 一把手) at some time in the year."""
    ids = sorted(set(cadre_ids))
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    during = Q(started_on__lte=date(year, 12, 31)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=date(year, 1, 1))
    )
    for chunk in _chunks(ids):
        rows = (
            TeamMembership.objects.filter(during, cadre_id__in=chunk, role=TeamRole.HEAD)
            .values_list("cadre_id", "team__org_unit_id", "team__org_unit__name")
            .order_by("cadre_id", "started_on")
        )
        for cadre_id, unit_id, name in rows:
            if (unit_id, name) not in found[cadre_id]:
                found[cadre_id].append((unit_id, name))
    return dict(found)


def cycle_units(cycle: Cycle) -> list[int]:
    """The units of a cycle: those of its participants and those its participants headed."""
    units = set(
        Participant.objects.filter(cycle=cycle)
        .values_list("org_unit_id", flat=True)
        .distinct()
        .order_by()
    )
    cadres = list(Participant.objects.filter(cycle=cycle).values_list("cadre_id", flat=True))
    for headed in heads_in_year(cadres, cycle.year).values():
        units.update(uid for uid, _ in headed)
    return sorted(units)


def _parts(target: Any, found: tuple[int, rules.UnitSurveyResult] | None) -> dict[str, Any]:
    books = getattr(target, "books", ()) or ()
    reconciled = bool(books) and bool(getattr(target, "reconciled", False))
    status = (
        TargetStatus.RECONCILED
        if reconciled
        else (TargetStatus.PENDING if books else TargetStatus.NONE)
    )
    values: dict[str, Any] = {
        "target_status": status,
        "target_score": target.score if reconciled else None,
        "target_outcomes": dict(getattr(target, "outcomes", {}) or {}) if books else {},
        "survey_id": None,
        "satisfaction_verdict": "",
        "satisfaction_score": None,
        "satisfaction_rate": None,
    }
    if found is not None:
        survey_id, result = found
        values.update(
            survey_id=survey_id,
            satisfaction_verdict=result.verdict,
            satisfaction_score=result.score,
            satisfaction_rate=result.satisfaction_rate,
        )
    return values


def _outcome(values: dict[str, Any], weights: Any, tiers: Any) -> rules.UnitOutcome:
    return rules.unit_outcome(
        rules.UnitParts(
            values["target_score"],
            values["satisfaction_score"],
            vetoed=values["satisfaction_verdict"] == "vetoed",
        ),
        weights=weights,
        tiers=tiers,
    )


@transaction.atomic
def compute_unit_results(*, cycle: Cycle, by: Any) -> int:
    """Computes (or recomputes in place) the year's result of every unit of the cycle."""
    from cadre.assessments.services.cycles import require_phase

    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)  # one computation at a time
    require_phase(cycle, rules.EVIDENCE, rules.PROPOSAL, doing="计算单位（班子）考核结果")
    unit_ids = cycle_units(cycle)
    targets = _target_results(unit_ids, cycle.year)
    surveys = survey.unit_results_for_year(cycle.year, unit_ids)
    weights = rule_value(rules.UNIT_RESULT_WEIGHTS.key)
    tiers = rule_value(rules.UNIT_RESULT_TIERS.key)
    existing: dict[int, UnitResult] = {}
    for chunk in _chunks(unit_ids):
        existing.update(
            (r.org_unit_id, r)
            for r in UnitResult.objects.filter(year=cycle.year, org_unit_id__in=chunk)
        )
    now = timezone.now()
    new: list[UnitResult] = []
    changed: list[UnitResult] = []
    counts = Counter[str]()
    for uid in unit_ids:
        values = _parts(targets.get(uid), surveys.get(uid))
        outcome = _outcome(values, weights, tiers)
        counts[outcome.tier or "none"] += 1
        row = existing.get(uid) or UnitResult(org_unit_id=uid, year=cycle.year)
        for name, value in values.items():
            setattr(row, name, value)
        row.cycle, row.score, row.tier = cycle, outcome.score, outcome.tier or ""
        row.basis, row.computed_at, row.computed_by, row.updated_at = (
            outcome.basis[:200],
            now,
            by,
            now,
        )
        (changed if row.pk else new).append(row)
    try:
        with transaction.atomic():
            UnitResult.objects.bulk_create(new, batch_size=1000)
    except IntegrityError as exc:  # another cycle of the year computed the same units now
        raise AssessmentError("单位（班子）考核结果正由他人同时计算，请稍后重试") from exc
    UnitResult.objects.bulk_update(changed, FIELDS, batch_size=500)
    record_event(
        actor=by,
        action="assessment_unit_results_computed",
        obj=cycle,
        detail={
            "units": len(unit_ids),
            "tiers": dict(counts),
            "weights": weights,
            "thresholds": tiers,
        },
    )
    return len(unit_ids)


def results_for_heads(
    cycle: Cycle, cadre_ids: Iterable[int]
) -> dict[int, list[tuple[str, UnitResult | None]]]:
    """{cadre: [(unit name, its result for the cycle's year or None)]} for the heads among
    the cadres (evidence for the 一把手, seed 四.4 加强党政“一把手”考核)."""
    heads = heads_in_year(cadre_ids, cycle.year)
    unit_ids = sorted({uid for rows in heads.values() for uid, _ in rows})
    stored: dict[int, UnitResult] = {}
    for chunk in _chunks(unit_ids):
        stored.update(
            (r.org_unit_id, r)
            for r in UnitResult.objects.filter(year=cycle.year, org_unit_id__in=chunk)
        )
    return {cid: [(name, stored.get(uid)) for uid, name in rows] for cid, rows in heads.items()}


def tier_counts(rows: Any) -> list[tuple[str, int]]:
    """How many units stand at each tier (a distribution, not a ranking)."""
    found = Counter(rows.values_list("tier", flat=True))
    return [(rules.TEAM_CHOICES[t], found.get(t, 0)) for t in rules.UNIT_TIERS] + [
        ("暂不评定", found.get("", 0))
    ]


def as_dict(r: UnitResult) -> dict[str, Any]:
    """The API shape of one result (Decimals as strings; a missing part is null)."""

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "id": r.pk,
        "org_unit_id": r.org_unit_id,
        "unit": r.org_unit.name,
        "year": r.year,
        "target_status": r.target_status,
        "target_score": text(r.target_score),
        "target_outcomes": r.target_outcomes,
        "survey_id": r.survey_id,
        "satisfaction_verdict": r.satisfaction_verdict or None,
        "satisfaction_score": text(r.satisfaction_score),
        "satisfaction_rate": text(r.satisfaction_rate),
        "score": text(r.score),
        "tier": r.tier or None,
        "tier_label": r.tier_label,
        "basis": r.basis,
        "computed_at": r.computed_at,
    }
