"""What accountability needs from the app above it: one declared contract (issue 14,
docs/architecture.md). Tolerance sits above accountability (an 免责 determination ends the
effect of measures recorded here), so this app names the one fact it reads and tolerance
provides it (cadre/tolerance/apps.py):

    accountability.case_exempted_on(case_id=, cadre_id=) -> date | None
        the decision date of the cadre's 免责 determination on the case, if there is one
"""

from datetime import date
from typing import Protocol

from cadre.core import contracts

CASE_EXEMPTED_ON = "accountability.case_exempted_on"


class CaseExemptedOn(Protocol):
    def __call__(self, *, case_id: int, cadre_id: int) -> date | None: ...


contracts.declare(
    CASE_EXEMPTED_ON,
    CaseExemptedOn,
    consumer="accountability",
    doc="处理措施：该干部在本案中被认定免责的日期",
)


def case_exempted_on(*, case_id: int, cadre_id: int) -> date | None:
    return contracts.get(CASE_EXEMPTED_ON)(case_id=case_id, cadre_id=cadre_id)
