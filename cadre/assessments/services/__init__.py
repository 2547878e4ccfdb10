"""The only writers of assessment records (re-exported from the submodules), and the results
readers other apps look for here (development and care call `final_grades` and
`grades_decided_between` through cadre.assessments.services)."""

from cadre.assessments.results import (
    final_grades,
    grade_effects,
    grade_history,
    grades_decided_between,
)
from cadre.assessments.services.common import AssessmentError, ConflictError

__all__ = [
    "AssessmentError",
    "ConflictError",
    "final_grades",
    "grade_effects",
    "grade_history",
    "grades_decided_between",
]
