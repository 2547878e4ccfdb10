"""The year's target results, as evidence for the annual assessment (issue 3 item 3).

    cadre_year_result(cadre_id, year) -> YearResult
    unit_year_result(unit_id, year) -> YearResult
    year_results_for_cadres(cadre_ids, year) -> {cadre_id: YearResult}   (3 queries per chunk)
    year_results_for_units(unit_ids, year) -> {unit_id: YearResult}      (3 queries per chunk)

These are internal read functions: the caller (the assessment cycle) has already scoped the
cadres or units it asks about. A book's score counts only once the book is reconciled
(年末对账 done and scored); a cadre with a 年度工作 and a 重点工作 book gets the mean of
the reconciled books' scores. Findings are those of special inspections found in the year:
for a cadre, findings naming the cadre; for a unit, findings against the unit as such.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from cadre.targets import rules
from cadre.targets.models import Finding, FindingStatus, Task, TaskBook

CHUNK = 5000
CONFIRMED = ExpressionWrapper(
    Q(reconciliation__confirmed_at__isnull=False), output_field=BooleanField()
)


@dataclass(frozen=True)
class BookResult:
    book_id: int
    title: str
    kind: str
    status: str
    score: Decimal | None

    @property
    def reconciled(self) -> bool:
        return self.status == rules.RECONCILED


@dataclass(frozen=True)
class YearResult:
    year: int
    books: tuple[BookResult, ...] = ()
    outcomes: dict[str, int] = field(default_factory=dict)  # confirmed outcomes of own tasks
    tasks: int = 0  # tasks owned in books approved or later
    positive_findings: int = 0
    negative_findings: int = 0
    open_rectifications: int = 0

    @property
    def reconciled(self) -> bool:
        return bool(self.books) and all(b.reconciled for b in self.books)

    @property
    def score(self) -> Decimal | None:
        scores = [b.score for b in self.books if b.reconciled and b.score is not None]
        if not scores:
            return None
        return (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _book(row: dict[str, Any]) -> BookResult:
    return BookResult(row["id"], row["title"], row["kind"], row["status"], row["score"])


BOOK_FIELDS = ("id", "title", "kind", "status", "score")


def _collect(
    year: int,
    books: dict[int, list[BookResult]],
    outcomes: dict[int, dict[str, int]],
    tasks: dict[int, int],
    findings: dict[int, dict[str, int]],
    key: int,
) -> YearResult:
    f = findings.get(key, {})
    return YearResult(
        year=year,
        books=tuple(books.get(key, [])),
        outcomes=dict(outcomes.get(key, {})),
        tasks=tasks.get(key, 0),
        positive_findings=f.get("positive", 0),
        negative_findings=f.get("negative", 0),
        open_rectifications=f.get("open", 0),
    )


def _count_findings(
    rows: Iterable[dict[str, Any]], key: str, into: dict[int, dict[str, int]]
) -> None:
    for r in rows:
        bucket = into.setdefault(r[key], defaultdict(int))
        bucket["positive" if r["positive"] else "negative"] += r["n"]
        if r["status"] == FindingStatus.OPEN:
            bucket["open"] += r["n"]


def year_results_for_cadres(cadre_ids: Iterable[int], year: int) -> dict[int, YearResult]:
    ids = sorted(set(cadre_ids))
    books: dict[int, list[BookResult]] = defaultdict(list)
    outcomes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    tasks: dict[int, int] = defaultdict(int)
    findings: dict[int, dict[str, int]] = {}
    for chunk in _chunks(ids):
        for row in (
            TaskBook.objects.live()
            .filter(year=year, owner_cadre_id__in=chunk)
            .values("owner_cadre_id", *BOOK_FIELDS)
        ):
            books[row["owner_cadre_id"]].append(_book(row))
        task_rows = (
            Task.objects.live()
            .filter(owners__in=chunk, book__year=year, book__status__in=rules.APPROVED_OR_LATER)
            .values("owners", "reconciliation__outcome", confirmed=CONFIRMED)
            .annotate(n=Count("id"))
            .order_by()
        )
        for r in task_rows:
            tasks[r["owners"]] += r["n"]
            if r["confirmed"] and r["reconciliation__outcome"]:
                outcomes[r["owners"]][r["reconciliation__outcome"]] += r["n"]
        _count_findings(
            Finding.objects.filter(cadre_id__in=chunk, found_on__year=year)
            .values("cadre_id", "positive", "status")
            .annotate(n=Count("id"))
            .order_by(),
            "cadre_id",
            findings,
        )
    return {cid: _collect(year, books, outcomes, tasks, findings, cid) for cid in ids}


def cadre_year_result(cadre_id: int, year: int) -> YearResult:
    return year_results_for_cadres([cadre_id], year)[cadre_id]


def unit_year_result(unit_id: int, year: int) -> YearResult:
    return year_results_for_units([unit_id], year)[unit_id]


def year_results_for_units(unit_ids: Iterable[int], year: int) -> dict[int, YearResult]:
    """The units' own books (no owner cadre), their tasks' confirmed outcomes and the findings
    against the units as such; 3 queries per chunk (the unit (team) result of a cycle)."""
    ids = sorted(set(unit_ids))
    books: dict[int, list[BookResult]] = defaultdict(list)
    outcomes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    tasks: dict[int, int] = defaultdict(int)
    findings: dict[int, dict[str, int]] = {}
    for chunk in _chunks(ids):
        live = TaskBook.objects.live().filter(
            year=year, unit_id__in=chunk, owner_cadre__isnull=True
        )
        for row in live.values("unit_id", *BOOK_FIELDS):
            books[row["unit_id"]].append(_book(row))
        task_rows = (
            Task.objects.live()
            .filter(book__in=live.filter(status__in=rules.APPROVED_OR_LATER))
            .values("book__unit_id", "reconciliation__outcome", confirmed=CONFIRMED)
            .annotate(n=Count("id"))
            .order_by()
        )
        for r in task_rows:
            tasks[r["book__unit_id"]] += r["n"]
            if r["confirmed"] and r["reconciliation__outcome"]:
                outcomes[r["book__unit_id"]][r["reconciliation__outcome"]] += r["n"]
        _count_findings(
            Finding.objects.filter(unit_id__in=chunk, cadre__isnull=True, found_on__year=year)
            .values("unit_id", "positive", "status")
            .annotate(n=Count("id"))
            .order_by(),
            "unit_id",
            findings,
        )
    return {uid: _collect(year, books, outcomes, tasks, findings, uid) for uid in ids}
