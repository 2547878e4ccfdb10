"""What the eligibility app reads from the others: declared contracts (cadre/core/contracts.py;
all listed in docs/architecture.md), required, so the start-up check refuses to run without a
provider and no fact silently reads as "no block". Set-based: every call takes all the cadres.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from cadre.accountability.rules import MeasureFact
from cadre.core import contracts

MEASURES = "eligibility.measures"
ANNUAL_GRADES = "eligibility.annual_grades"
OPEN_CASES = "eligibility.open_cases"
OPEN_INQUIRIES = "eligibility.open_inquiries"
TRAINING = "eligibility.training"
AVOIDANCE = "eligibility.avoidance"


class Measures(Protocol):
    """Counting measures in effect by the day (revoked and superseded left out)."""

    def __call__(self, cadre_ids: list[int], on: date) -> Mapping[int, list[MeasureFact]]: ...


class AnnualGrades(Protocol):
    """`year` an iterable of years: {cadre: {year: final grade}}."""

    def __call__(self, cadre_ids: Iterable[int], year: Any) -> Mapping[int, Any]: ...


class OpenSince(Protocol):
    """{cadre: the day the open matter began} for matters open on the day."""

    def __call__(self, cadre_ids: Iterable[int], on: date) -> Mapping[int, date]: ...


class Training(Protocol):
    def hours(self, cadre_ids: Sequence[int], year: int) -> Mapping[int, Decimal]: ...


class Avoidance(Protocol):
    """{cadre: [reason]} where holding the post would break 任职回避 (公务员法 74–75)."""

    def __call__(self, cadre_ids: Sequence[int], position_id: int) -> Mapping[int, list[str]]: ...


for _name, _protocol, _doc in (
    (MEASURES, Measures, "任用资格：问责措施与影响期（容错免责、撤销、变更已计入）"),
    (ANNUAL_GRADES, AnnualGrades, "任用资格：年度考核最终等次"),
    (OPEN_CASES, OpenSince, "任用资格：立案审查调查未结"),
    (OPEN_INQUIRIES, OpenSince, "任用资格：函询未了结"),
    (TRAINING, Training, "任用资格：培训学时（第七条(五)）"),
    (AVOIDANCE, Avoidance, "任用资格：任职回避、地域回避"),
):
    contracts.declare(_name, _protocol, consumer="eligibility", doc=_doc)
