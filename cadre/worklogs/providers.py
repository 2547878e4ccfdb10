"""What the quarter grade proposal needs from other apps: two declared contracts (issue 14,
docs/architecture.md). Both are required (the start-up check refuses to run without a
provider) and set-based: one call for all the cadres of a quarter, never one per cadre.

    worklogs.task_progress(cadre_ids, start, end) -> {cadre_id: Decimal 0–100}
        how the cadre's tasks stood at the end of the period against what was due by then;
        a cadre left out has no task: the input is missing for them and their proposal is
        marked incomplete (never scored as zero)
    worklogs.inspection_findings(cadre_ids, start, end) -> {cadre_id: int}
        problems that special inspections (专项督查, seed 三.4) found against the cadre in
        the period; a cadre left out has none

The targets app provides both (cadre/targets/apps.py).
"""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

from cadre.core import contracts

TASK_PROGRESS = "worklogs.task_progress"
INSPECTION_FINDINGS = "worklogs.inspection_findings"


class TaskProgress(Protocol):
    def __call__(
        self, cadre_ids: Sequence[int], start: date, end: date
    ) -> Mapping[int, Decimal]: ...


class InspectionFindings(Protocol):
    def __call__(self, cadre_ids: Sequence[int], start: date, end: date) -> Mapping[int, int]: ...


contracts.declare(
    TASK_PROGRESS,
    TaskProgress,
    consumer="worklogs",
    doc="季度平时考核：干部所承担任务的进展（0–100）",
)
contracts.declare(
    INSPECTION_FINDINGS,
    InspectionFindings,
    consumer="worklogs",
    doc="季度平时考核：专项督查发现的涉及本人的问题数",
)


def task_progress(cadre_ids: list[int], start: date, end: date) -> dict[int, Decimal]:
    """Progress per cadre; a cadre without a task in the period is left out."""
    return dict(contracts.get(TASK_PROGRESS)(cadre_ids, start, end))


def inspection_findings(cadre_ids: list[int], start: date, end: date) -> dict[int, int]:
    """Findings per cadre, 0 for a cadre with none."""
    found = contracts.get(INSPECTION_FINDINGS)(cadre_ids, start, end)
    return {cadre_id: int(found.get(cadre_id, 0)) for cadre_id in cadre_ids}
