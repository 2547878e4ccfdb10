"""What development and care read from accountability and assessments: declared contracts
(cadre/core/contracts.py; all listed in docs/architecture.md), required, so the start-up
check refuses to run without a provider and nothing here falls back to "no block" or "no
grade" at run time.

    development.eligibility(cadre_ids, on)                 accountability: verdicts on a day
    development.recent_measures(cadre_ids, since, until)   accountability: measures taking effect
    development.annual_grades(cadre_ids, year)             assessments: final annual grades
    development.grades_decided_between(cadre_ids, since, until)   assessments: grades decided

Consumers: development (rotation: promotion blocks) and care (rank promotion, triggered talks).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from cadre.core import contracts

ELIGIBILITY = "development.eligibility"
RECENT_MEASURES = "development.recent_measures"
ANNUAL_GRADES = "development.annual_grades"
GRADES_DECIDED = "development.grades_decided_between"


class Eligibility(Protocol):
    """{cadre: {"promotion" | "excellent_grade" | "rank_promotion": {"blocks": [...]}}}."""

    def __call__(self, cadre_ids: Iterable[int], on: date) -> Mapping[int, Any]: ...


class DatedEvents(Protocol):
    """[(cadre, date, text)] of events in [since, until]."""

    def __call__(
        self, cadre_ids: Iterable[int], since: date, until: date
    ) -> Sequence[tuple[int, date, str]]: ...


class AnnualGrades(Protocol):
    """`year` an iterable of years: {cadre: {year: grade}} for the graded years only."""

    def __call__(self, cadre_ids: Iterable[int], year: Any) -> Mapping[int, Any]: ...


contracts.declare(
    ELIGIBILITY, Eligibility, consumer="development, care", doc="问责影响期对提拔、职级晋升的限制"
)
contracts.declare(
    RECENT_MEASURES, DatedEvents, consumer="care", doc="新作出的问责措施（触发谈心谈话）"
)
contracts.declare(
    ANNUAL_GRADES, AnnualGrades, consumer="care", doc="年度考核最终等次（职级晋升年限）"
)
contracts.declare(
    GRADES_DECIDED, DatedEvents, consumer="care", doc="新确定的年度考核等次（触发谈心谈话）"
)


@dataclass(frozen=True)
class Block:
    reason: str
    source: str
    until: date | None


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _blocks_of(answer: Any, aspect: str) -> list[Block]:
    part = _get(answer, aspect)
    if part is None:
        return []
    return [
        Block(str(_get(b, "reason") or ""), str(_get(b, "source") or ""), _date(_get(b, "until")))
        for b in (_get(part, "blocks") or [])
    ]


def eligibility_blocks(cadre_ids: Iterable[int], on: date, aspect: str) -> dict[int, list[Block]]:
    """Blocks from measures (影响期) for `aspect` ∈ promotion / rank_promotion /
    excellent_grade."""
    ids = list(cadre_ids)
    if not ids:
        return {}
    answers = contracts.get(ELIGIBILITY)(ids, on)
    return {cid: _blocks_of(a, aspect) for cid, a in dict(answers).items()}


def annual_grades(cadre_ids: Iterable[int], years: Iterable[int]) -> dict[int, dict[int, str]]:
    """Final annual grades {cadre: {year: grade}} (graded years only)."""
    return dict(contracts.get(ANNUAL_GRADES)(list(cadre_ids), list(years)))


def recent_measures(
    cadre_ids: Iterable[int], since: date, until: date
) -> list[tuple[int, date, str]]:
    """(cadre, date, label) of counting measures taking effect in the window (triggered
    talks)."""
    return list(contracts.get(RECENT_MEASURES)(list(cadre_ids), since, until))


def recent_grades(
    cadre_ids: Iterable[int], since: date, until: date
) -> list[tuple[int, date, str]]:
    """(cadre, decided date, grade) of annual grades decided in the window."""
    return list(contracts.get(GRADES_DECIDED)(list(cadre_ids), since, until))
