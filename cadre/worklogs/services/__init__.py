"""The only writers of worklogs records. Each state change: one function, keyword-only,
atomic, with an audit event. Bad input raises rules.Refused (a Chinese message) and writes
nothing; a stale version raises Conflict; a record out of the caller's scope, OutOfScope."""

from cadre.worklogs.rules import Refused
from cadre.worklogs.services.common import Conflict, OutOfScope
from cadre.worklogs.services.grades import (
    confirm_grade,
    decide_grade_review,
    grade_settings,
    propose_quarter_grades,
    request_grade_review,
)
from cadre.worklogs.services.logs import (
    BulkRefused,
    ItemError,
    annotate_log,
    bulk_save_logs,
    check_day,
    late_window,
    save_log,
)
from cadre.worklogs.services.reviews import delegate_review, mark_weeks, revoke_delegation

__all__ = [
    "BulkRefused",
    "Conflict",
    "ItemError",
    "OutOfScope",
    "Refused",
    "annotate_log",
    "bulk_save_logs",
    "check_day",
    "confirm_grade",
    "decide_grade_review",
    "delegate_review",
    "grade_settings",
    "late_window",
    "mark_weeks",
    "propose_quarter_grades",
    "request_grade_review",
    "revoke_delegation",
    "save_log",
]
