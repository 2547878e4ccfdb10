"""Evidence from the other apps, read through their own functions, set-based.

Each reader imports its app lazily and answers `Source(data, available)`. When an app (or the
function) is not there, `available` is False and the panel shows "暂无数据/未接入" — never a
zero. Every reader takes the whole cycle's cadre ids at once and makes a few queries per
source (the apps chunk their own queries), never one per cadre.

The callers have already scoped the cadres (a cycle's participants); these are internal reads.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib import import_module
from types import ModuleType
from typing import Any

from cadre.assessments import rules


@dataclass(frozen=True)
class Source:
    data: dict[int, Any] = field(default_factory=dict)
    available: bool = False
    note: str = ""  # e.g. the requirement a figure is measured against


NOT_AVAILABLE = Source()


def _module(name: str) -> ModuleType | None:
    """The module, or None when it (or its app) is not built yet."""
    try:
        return import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise


def _function(module: str, *names: str) -> Any:
    mod = _module(module)
    for name in names:
        fn = getattr(mod, name, None) if mod is not None else None
        if callable(fn):
            return fn
    return None


def _setting(key: str, default: Any) -> Any:
    from cadre.core.rulebook import RULES, rule_value

    return rule_value(key) if key in RULES else default


# ---- targets: task-book results and special inspection findings ----------------------------


def target_results(cadre_ids: list[int], year: int) -> Source:
    """{cadre: YearResult} from cadre.targets.evidence (books, outcomes, findings)."""
    fn = _function("cadre.targets.evidence", "year_results_for_cadres")
    if fn is None:
        return NOT_AVAILABLE
    return Source(dict(fn(cadre_ids, year)), True)


# ---- worklogs: the year's routine (平时) grades ----------------------------------------------


def routine_grades(cadre_ids: list[int], year: int) -> Source:
    fn = _function("cadre.worklogs.signals_api", "year_routine_grades")
    if fn is None:
        return NOT_AVAILABLE
    return Source(dict(fn(cadre_ids, year)), True)


# ---- accountability and tolerance: measures, influence periods, exemptions -----------------


@dataclass(frozen=True)
class MeasureRow:
    id: int
    kind: str
    label: str
    category: str  # this app's category name (rules.CATEGORY_OF_MEASURE)
    effective_on: date
    until: date | None
    open_ended: bool
    ended_on: date | None
    exempted: bool
    exemption_note: str
    in_force: bool  # its influence period overlaps the assessment year


def measures(cadre_ids: list[int], year: int) -> Source:
    """Measures whose influence overlaps the year, exempted ones flagged (容错免责: shown as
    exempted, counted as nothing negative). Revoked and superseded ones are left out."""
    models = _module("cadre.accountability.models")
    acc_rules = _module("cadre.accountability.rules")
    if models is None or acc_rules is None or not hasattr(models, "Measure"):
        return NOT_AVAILABLE
    measure = models.Measure
    labels = dict(measure._meta.get_field("kind").choices or [])
    categories = getattr(acc_rules, "KIND_CATEGORY", {})
    gone = ("revoked", "superseded")
    found: dict[int, list[MeasureRow]] = defaultdict(list)
    for start in range(0, len(cadre_ids), 5000):
        rows = (measure.objects.filter(cadre_id__in=cadre_ids[start:start + 5000],
                                       effective_on__lte=date(year, 12, 31))
                .exclude(status__in=gone)
                .values_list("id", "cadre_id", "kind", "effective_on", "influence_until",
                             "open_ended", "ended_on", "exempted", "exemption_note"))
        for mid, cid, kind, eff, until, open_ended, ended, exempted, note in rows:
            active = rules.in_force_during(year, eff, until, open_ended, ended)
            if not active and eff.year != year:
                continue
            found[cid].append(MeasureRow(
                mid, kind, str(labels.get(kind, kind)),
                rules.measure_category(kind, categories.get(kind, "")), eff, until,
                open_ended, ended, exempted, note, active,
            ))
    return Source(dict(found), True)


def eligibility(cadre_ids: list[int], on: date) -> Source:
    """accountability's verdicts (promotion, excellent_grade, rank_promotion) on a day."""
    fn = _function("cadre.accountability.eligibility", "eligibility_many")
    if fn is None:
        return NOT_AVAILABLE
    return Source(dict(fn(cadre_ids, on)), True)


# ---- development and care ----------------------------------------------------------------


def training_hours(cadre_ids: list[int], year: int) -> Source:
    fn = _function("cadre.development.services", "training_hours")
    if fn is None:
        return NOT_AVAILABLE
    required = Decimal(str(_setting("development.training.yearly_hours", 90)))
    return Source(dict(fn(cadre_ids, year)), True, str(required))


def talks(cadre_ids: list[int], year: int) -> Source:
    fn = _function("cadre.care.services", "talked_to")
    if fn is None:
        return NOT_AVAILABLE
    needed = int(_setting("care.talk.per_year", 1))
    return Source(dict(fn(cadre_ids, year)), True, str(needed))


# ---- warnings acted on and investigations (apps not built yet degrade to "未接入") ----------


def warnings_acted_on(cadre_ids: list[int], year: int) -> Source:
    """Warnings (预警) staff acted on, from cadre.alerts when that app offers the reader."""
    fn = _function("cadre.alerts.evidence", "warnings_acted_on")
    if fn is None:
        return NOT_AVAILABLE
    return Source(dict(fn(cadre_ids, year)), True)


def under_investigation(cadre_ids: list[int], on: date) -> Source:
    """{cadre: True} for cadres under formal investigation (立案审查调查) not closed, when the
    supervision app offers that reader; staff can always record it on the participant."""
    fn = _function("cadre.supervision.evidence", "under_investigation")
    if fn is None:
        return NOT_AVAILABLE
    return Source(dict.fromkeys(fn(cadre_ids, on), True), True)


# ---- everything for a cycle ------------------------------------------------------------


@dataclass(frozen=True)
class Gathered:
    targets: Source
    routine: Source
    measures: Source
    eligibility: Source
    training: Source
    talks: Source
    warnings: Source
    investigation: Source


def gather(cadre_ids: Iterable[int], year: int, on: date | None = None) -> Gathered:
    """Every source for the cadres and year; `on` is the day for eligibility verdicts (the
    year's end, or today while the year runs)."""
    ids = sorted(set(cadre_ids))
    year_end = on or date(year, 12, 31)
    return Gathered(
        targets=target_results(ids, year),
        routine=routine_grades(ids, year),
        measures=measures(ids, year),
        eligibility=eligibility(ids, year_end),
        training=training_hours(ids, year),
        talks=talks(ids, year),
        warnings=warnings_acted_on(ids, year),
        investigation=under_investigation(ids, year_end),
    )
