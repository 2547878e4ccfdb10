"""The only writers of target records; one function per state change, each audited."""

from cadre.targets.services.books import (
    ConflictError,
    TaskData,
    act_on_book,
    amend_book,
    create_book,
    replace_tasks,
    save_task,
    withdraw_task,
)
from cadre.targets.services.inspections import (
    add_finding,
    add_follow_up,
    add_inspection_visit,
    close_inspection,
    create_inspection,
    save_topic,
)
from cadre.targets.services.projects import (
    add_problem,
    add_project_milestone,
    add_visit,
    complete_project_milestone,
    create_project,
    link_leader,
    update_problem,
)
from cadre.targets.services.reconciliation import confirm_reconciliation, propose_reconciliation
from cadre.targets.services.tracking import (
    create_midyear_review,
    record_progress,
    save_review_opinion,
)

__all__ = [
    "ConflictError",
    "TaskData",
    "act_on_book",
    "add_finding",
    "add_follow_up",
    "add_inspection_visit",
    "add_problem",
    "add_project_milestone",
    "add_visit",
    "amend_book",
    "close_inspection",
    "complete_project_milestone",
    "confirm_reconciliation",
    "create_book",
    "create_inspection",
    "create_midyear_review",
    "create_project",
    "link_leader",
    "propose_reconciliation",
    "record_progress",
    "replace_tasks",
    "save_review_opinion",
    "save_task",
    "save_topic",
    "update_problem",
    "withdraw_task",
]
