"""The only writers of development records (re-exported from the submodules)."""

from cadre.development.services.base import DevelopmentError
from cadre.development.services.rotation import (
    Candidate,
    add_moves,
    add_relative,
    approve_plan,
    check_plan,
    create_plan,
    execute_plan,
    rotation_candidates,
    set_plan_status,
    thresholds,
    withdraw_move,
)
from cadre.development.services.secondment import (
    cancel_placement,
    create_placement,
    end_placement,
    ending_soon,
    evaluate_placement,
    out_now,
    overdue_reports,
    submit_report,
)
from cadre.development.services.training import (
    CadreNeeds,
    candidates_for_session,
    close_session,
    complete_enrolment,
    create_programme,
    create_session,
    create_topic,
    enrol,
    evaluate_session,
    follow_ups_due,
    hours_by_unit,
    needs_for,
    quality,
    record_attendance,
    record_follow_up,
    training_hours,
    update_topic,
    withdraw,
)

__all__ = [
    "CadreNeeds", "Candidate", "DevelopmentError", "add_moves", "add_relative", "approve_plan",
    "cancel_placement", "candidates_for_session", "check_plan", "close_session",
    "complete_enrolment", "create_placement", "create_plan", "create_programme",
    "create_session", "create_topic", "end_placement", "ending_soon", "enrol",
    "evaluate_placement", "evaluate_session", "execute_plan", "follow_ups_due", "hours_by_unit",
    "needs_for", "out_now", "overdue_reports", "quality", "record_attendance",
    "record_follow_up", "rotation_candidates", "set_plan_status", "submit_report",
    "thresholds", "training_hours", "update_topic", "withdraw", "withdraw_move",
]
