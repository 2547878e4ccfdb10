"""Evidence from the other apps, read through declared contracts, set-based.

Each reader calls a contract (cadre/core/contracts.py; all listed in docs/architecture.md)
that another app provides from its AppConfig.ready(); a required contract without a provider
stops the system at start-up (core.E010), so at run time every source is there. Data that is
legitimately absent for one cadre (no book, no talk) is shown as such by the panel, never as
a zero. Every reader takes the whole cycle's cadre ids at once and the providers make a few
queries per source (chunking their own queries), never one per cadre.

The callers have already scoped the cadres (a cycle's participants); these are internal reads.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.utils import timezone

from cadre.assessments import rules
from cadre.core import contracts

# ---- the contracts this app reads (consumer: assessments) ---------------------------------

TARGET_RESULTS = "assessments.target_results"
ROUTINE_GRADES = "assessments.routine_grades"
MEASURES = "assessments.measures"
ELIGIBILITY = "assessments.eligibility"
TRAINING = "assessments.training"
TALKS = "assessments.talks"
WARNINGS = "assessments.warnings_acted_on"
INVESTIGATIONS = "assessments.under_investigation"


class PerYear(Protocol):
    """{cadre: the app's record of the year} for the cadres asked about."""

    def __call__(self, cadre_ids: Sequence[int], year: int) -> Mapping[int, Any]: ...


class OnDay(Protocol):
    def __call__(self, cadre_ids: Sequence[int], on: date) -> Mapping[int, Any]: ...


class MeasureRecord(Protocol):
    """One measure as the accountability app answers it (attributes read by `measures`)."""

    id: int
    kind: str
    label: str
    category: str  # the accountability app's category of the kind
    effective_on: date
    until: date | None
    open_ended: bool
    ended_on: date | None
    exempted: bool
    exemption_note: str


class Measures(Protocol):
    """Measures taking effect by the year's end, revoked and superseded ones left out."""

    def __call__(
        self, cadre_ids: Sequence[int], year: int
    ) -> Mapping[int, Sequence[MeasureRecord]]: ...


class Training(Protocol):
    def hours(self, cadre_ids: Sequence[int], year: int) -> Mapping[int, Decimal]: ...

    def yearly_requirement(self) -> Decimal: ...


class Talks(Protocol):
    def count(self, cadre_ids: Sequence[int], year: int) -> Mapping[int, int]: ...

    def yearly_requirement(self) -> int: ...


class UnderInvestigation(Protocol):
    """Cadres under formal investigation (立案审查调查) not concluded on the day."""

    def __call__(self, cadre_ids: Sequence[int], on: date) -> Collection[int]: ...


for _name, _protocol, _doc in (
    (TARGET_RESULTS, PerYear, "年度考核证据：目标任务书完成情况与专项督查发现"),
    (ROUTINE_GRADES, PerYear, "年度考核证据：本年度季度平时考核等次"),
    (MEASURES, Measures, "年度考核证据：问责措施及其影响期、容错免责"),
    (ELIGIBILITY, OnDay, "年度考核证据：任用资格统一判断（能否评为优秀等）"),
    (TRAINING, Training, "年度考核证据：培训学时与要求"),
    (TALKS, Talks, "年度考核证据：谈心谈话次数与要求"),
    (INVESTIGATIONS, UnderInvestigation, "不定等次：正在接受立案审查调查且未结案的干部"),
):
    contracts.declare(_name, _protocol, consumer="assessments", doc=_doc)
# The warnings app (alerts) is not built yet: optional, and the panel leaves the item out.
contracts.declare(
    WARNINGS, PerYear, consumer="assessments", required=False, doc="年度考核证据：已处置的预警"
)


@dataclass(frozen=True)
class Source:
    data: dict[int, Any] = field(default_factory=dict)
    note: str = ""  # e.g. the requirement a figure is measured against


# ---- targets: task-book results and special inspection findings ----------------------------


def target_results(cadre_ids: list[int], year: int) -> Source:
    """{cadre: YearResult} (books, outcomes, findings), provided by targets."""
    return Source(dict(contracts.get(TARGET_RESULTS)(cadre_ids, year)))


# ---- worklogs: the year's routine (平时) grades ----------------------------------------------


def routine_grades(cadre_ids: list[int], year: int) -> Source:
    return Source(dict(contracts.get(ROUTINE_GRADES)(cadre_ids, year)))


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
    exempted, counted as nothing negative). Revoked and superseded ones are left out by the
    provider (accountability)."""
    found: dict[int, list[MeasureRow]] = defaultdict(list)
    for cid, rows in contracts.get(MEASURES)(cadre_ids, year).items():
        for m in rows:
            active = rules.in_force_during(year, m.effective_on, m.until, m.open_ended, m.ended_on)
            if not active and m.effective_on.year != year:
                continue
            found[cid].append(
                MeasureRow(
                    m.id,
                    m.kind,
                    m.label,
                    rules.measure_category(m.kind, m.category),
                    m.effective_on,
                    m.until,
                    m.open_ended,
                    m.ended_on,
                    m.exempted,
                    m.exemption_note,
                    active,
                )
            )
    return Source(dict(found))


def eligibility(cadre_ids: list[int], on: date) -> Source:
    """The one eligibility answer (cadre.cadres.decisions) on a day, as JSON: every decision
    (keys = Decision values) with its blocks, and the 降职/辞退 proposals."""
    return Source(dict(contracts.get(ELIGIBILITY)(cadre_ids, on)))


# ---- development and care ----------------------------------------------------------------


def training_hours(cadre_ids: list[int], year: int) -> Source:
    training = contracts.get(TRAINING)
    return Source(dict(training.hours(cadre_ids, year)), str(training.yearly_requirement()))


def talks(cadre_ids: list[int], year: int) -> Source:
    provided = contracts.get(TALKS)
    return Source(dict(provided.count(cadre_ids, year)), str(provided.yearly_requirement()))


# ---- warnings acted on (optional) and investigations --------------------------------------


def warnings_acted_on(cadre_ids: list[int], year: int) -> Source | None:
    """Warnings (预警) staff acted on; None while no app provides them (the item is left
    out of the panel, not shown as a placeholder)."""
    fn = contracts.optional(WARNINGS)
    return None if fn is None else Source(dict(fn(cadre_ids, year)))


def under_investigation(cadre_ids: list[int], on: date) -> Source:
    """{cadre: True} for cadres under formal investigation (立案审查调查) not concluded on the
    day, provided by supervision; staff may also record it on the participant."""
    return Source(dict.fromkeys(contracts.get(INVESTIGATIONS)(cadre_ids, on), True))


# ---- everything for a cycle ------------------------------------------------------------


@dataclass(frozen=True)
class Gathered:
    targets: Source
    routine: Source
    measures: Source
    eligibility: Source
    training: Source
    talks: Source
    warnings: Source | None  # None: no app provides warnings yet
    investigation: Source


def gather(cadre_ids: Iterable[int], year: int, on: date | None = None) -> Gathered:
    """Every source for the cadres and year; `on` is the day of the eligibility answer (the
    decision day, the year's end: compile.decision_day). An investigation counts as it stands
    on the day of compiling (or `on`, if later): one concluded since the year's end no longer
    makes the cadre ungraded, one opened since does (考核规定 第二十四条: at the time of
    assessment)."""
    ids = sorted(set(cadre_ids))
    year_end = on or date(year, 12, 31)
    now = max(year_end, timezone.localdate())
    return Gathered(
        targets=target_results(ids, year),
        routine=routine_grades(ids, year),
        measures=measures(ids, year),
        eligibility=eligibility(ids, year_end),
        training=training_hours(ids, year),
        talks=talks(ids, year),
        warnings=warnings_acted_on(ids, year),
        investigation=under_investigation(ids, now),
    )
