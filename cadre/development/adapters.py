"""What development and care read from accountability and assessments: declared contracts
(cadre/core/contracts.py; all listed in docs/architecture.md), required, so the start-up
check refuses to run without a provider and nothing here falls back to "no grade" at run
time.

    development.recent_measures(cadre_ids, since, until)   accountability: measures taking effect
    development.annual_grades(cadre_ids, year)             assessments: final annual grades
    development.grades_decided_between(cadre_ids, since, until)   assessments: grades decided

Consumer: care (rank seniority, triggered talks). Eligibility (rotation, secondment, rank
promotion, exemplars) is asked of the one gate, `cadre.cadres.decisions` (issue 11).
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from cadre.core import contracts

RECENT_MEASURES = "development.recent_measures"
ANNUAL_GRADES = "development.annual_grades"
GRADES_DECIDED = "development.grades_decided_between"


class DatedEvents(Protocol):
    """[(cadre, date, text)] of events in [since, until]."""

    def __call__(
        self, cadre_ids: Iterable[int], since: date, until: date
    ) -> Sequence[tuple[int, date, str]]: ...


class AnnualGrades(Protocol):
    """`year` an iterable of years: {cadre: {year: grade}} for the graded years only."""

    def __call__(self, cadre_ids: Iterable[int], year: Any) -> Mapping[int, Any]: ...


contracts.declare(
    RECENT_MEASURES, DatedEvents, consumer="care", doc="新作出的问责措施（触发谈心谈话）"
)
contracts.declare(
    ANNUAL_GRADES, AnnualGrades, consumer="care", doc="年度考核最终等次（职级晋升年限）"
)
contracts.declare(
    GRADES_DECIDED, DatedEvents, consumer="care", doc="新确定的年度考核等次（触发谈心谈话）"
)


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
