"""What supervision's pages show from the app above it: one declared contract (issue 14,
docs/architecture.md). Supervision sits below accountability (which builds measures and
inquiries on its clues and cases), so it names what it reads here and accountability
provides it (cadre/accountability/apps.py):

    supervision.follow_ups.overdue_inquiries(user, today)   函询 past their reply date
    supervision.follow_ups.clue_inquiries(user, clue)       函询 sent on a clue
    supervision.follow_ups.case_measures(user, case)        处理措施 recorded on a case

Each answers a QuerySet already scoped to `user` (visible_to).
"""

from datetime import date
from typing import Any, Protocol

from django.db.models import QuerySet

from cadre.core import contracts

FOLLOW_UPS = "supervision.follow_ups"


class FollowUps(Protocol):
    def overdue_inquiries(self, user: Any, today: date) -> QuerySet[Any]: ...

    def clue_inquiries(self, user: Any, clue: Any) -> QuerySet[Any]: ...

    def case_measures(self, user: Any, case: Any) -> QuerySet[Any]: ...


contracts.declare(
    FOLLOW_UPS,
    FollowUps,
    consumer="supervision",
    doc="监督页面：逾期函询、线索的函询、案件的处理措施",
)


def follow_ups() -> FollowUps:
    return contracts.get(FOLLOW_UPS)
