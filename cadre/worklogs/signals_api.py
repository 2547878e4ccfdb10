"""Log signals for other apps (early warnings, annual assessment) and for the compliance pages.

Not named signals.py: these are not Django signals. The functions take ids and querysets
that the CALLER has already scoped; they read, never write.

- `cadre_signals(cadre_id, start, end)`: one cadre, every signal with the logs behind it.
- `scope_signals(cadres, start, end)` / `unit_signals(unit_id, start, end)`: the counts for
  many cadres in a few aggregate queries (never a query per cadre).
- `year_routine_grades(cadre_ids, year)`: the year's routine grades for the annual assessment.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.db.models import Count, Q
from django.utils import timezone

from cadre.cadres.models import Cadre, CadreQuerySet
from cadre.core.rulebook import rule_value
from cadre.orgs.models import OrgUnit
from cadre.workdays import services as workdays
from cadre.worklogs import rules
from cadre.worklogs.models import LogStatus, QuarterGrade, WorkLog


def dup_settings() -> rules.DupSettings:
    return rules.DupSettings(
        k=int(rule_value(rules.SHINGLE_K.key)),
        threshold=float(rule_value(rules.DUP_THRESHOLD.key)),
        measure=str(rule_value(rules.DUP_MEASURE.key)),
        lookback=int(rule_value(rules.DUP_LOOKBACK.key)),
        min_chars=int(rule_value(rules.DUP_MIN_CHARS.key)),
    )


@dataclass(frozen=True)
class Period:
    """The working days of [start, end] up to today, split by the late window."""

    start: date
    end: date
    closed: list[date]  # past the late window: unlogged means missing
    open: list[date]  # may still be logged

    @property
    def expected(self) -> int:
        return len(self.closed)

    @property
    def last_closed(self) -> date | None:
        return self.closed[-1] if self.closed else None


def period(start: date, end: date, *, today: date | None = None) -> Period:
    """Raises workdays.UnknownYearError (a Chinese message) for a year without calendar data."""
    today = today or timezone.localdate()
    window = int(rule_value(rules.LATE_WINDOW.key))
    days = workdays.workdays_in(start, min(end, today)) if start <= today else []
    # the last window+1 working days up to today are open, wherever they fall
    tail = (
        workdays.workdays_in(end + timedelta(days=1), today)[-(window + 1) :]
        if (end < today)
        else []
    )
    closed, open_ = rules.split_open_days(days + tail, window)
    return Period(start, end, closed, [d for d in open_ if d <= end])


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


# ---------------------------------------------------------------- one cadre


@dataclass(frozen=True)
class LogRef:
    id: int
    day: date
    text: str
    status: str
    is_late: bool


@dataclass(frozen=True)
class Duplicate:
    log: LogRef
    earlier: LogRef
    similarity: float


@dataclass(frozen=True)
class CadreSignals:
    cadre_id: int
    start: date
    end: date
    expected_days: int
    missing_days: list[date]
    open_days: list[date]
    late_logs: list[LogRef]
    handed_in: int
    reviewed: int
    near_duplicates: list[Duplicate]
    drafts: list[LogRef] = field(default_factory=list)

    @property
    def share_reviewed(self) -> Decimal | None:
        return _share(self.reviewed, self.handed_in)

    def explanations(self) -> list[str]:
        """Each signal in a sentence, with the days or logs behind it."""
        lines = []
        if self.missing_days:
            days = "、".join(f"{d.month}月{d.day}日" for d in self.missing_days[:10])
            more = f"等{len(self.missing_days)}天" if len(self.missing_days) > 10 else ""
            lines.append(f"缺填日志{len(self.missing_days)}天：{days}{more}")
        if self.late_logs:
            lines.append(f"补填日志{len(self.late_logs)}篇")
        for dup in self.near_duplicates[:10]:
            lines.append(
                f"{rules.fmt_day(dup.log.day)}的日志与{rules.fmt_day(dup.earlier.day)}的日志"
                f"高度雷同（相似度{dup.similarity:.0%}）"
            )
        if self.handed_in and self.share_reviewed is not None:
            lines.append(f"已审阅{self.reviewed}/{self.handed_in}篇（{self.share_reviewed}%）")
        return lines


def cadre_signals(
    cadre_id: int, start: date, end: date, *, today: date | None = None
) -> CadreSignals:
    p = period(start, end, today=today)
    logs = [
        LogRef(i, d, t, s, late)
        for i, d, t, s, late in WorkLog.objects.filter(
            cadre_id=cadre_id, day__gte=start, day__lte=end
        )
        .order_by("day")
        .values_list("id", "day", "text", "status", "is_late")
    ]
    handed = [log for log in logs if log.status != LogStatus.DRAFT]
    logged = {log.day for log in handed}
    by_id = {log.id: log for log in handed}
    pairs = rules.find_near_duplicates(
        [rules.LogText(log.id, log.day, log.text) for log in handed], dup_settings()
    )
    return CadreSignals(
        cadre_id=cadre_id,
        start=start,
        end=end,
        expected_days=p.expected,
        missing_days=[d for d in p.closed if d not in logged],
        open_days=[d for d in p.open if d not in logged],
        late_logs=[log for log in handed if log.is_late],
        handed_in=len(handed),
        reviewed=sum(log.status == LogStatus.REVIEWED for log in handed),
        near_duplicates=[
            Duplicate(by_id[x.log_id], by_id[x.earlier_id], x.similarity) for x in pairs
        ],
        drafts=[log for log in logs if log.status == LogStatus.DRAFT],
    )


# ---------------------------------------------------------------- many cadres


@dataclass
class Counts:
    cadre_id: int
    org_unit_id: int
    expected: int
    handed_in: int = 0
    late: int = 0
    reviewed: int = 0
    logged_closed: int = 0
    duplicates: int | None = None  # None: not computed

    @property
    def missing(self) -> int:
        return max(self.expected - self.logged_closed, 0)

    @property
    def completeness(self) -> Decimal | None:
        return _share(self.logged_closed, self.expected)

    @property
    def share_reviewed(self) -> Decimal | None:
        return _share(self.reviewed, self.handed_in)


def scope_signals(
    cadres: CadreQuerySet,
    start: date,
    end: date,
    *,
    today: date | None = None,
    duplicates: bool = False,
) -> dict[int, Counts]:
    """Counts per cadre for the active cadres of `cadres`: one aggregate query over the
    logs (plus one streaming pass over the texts when `duplicates` is asked for)."""
    p = period(start, end, today=today)
    result = {
        cid: Counts(cid, unit_id, p.expected)
        for cid, unit_id in cadres.active().values_list("id", "org_unit_id").order_by()
    }
    closed_q = Q(day__lte=p.last_closed) if p.last_closed else Q(pk__in=[])
    rows = (
        WorkLog.objects.handed_in()
        .filter(cadre__in=cadres.active(), day__gte=start, day__lte=end)
        .values("cadre_id")
        .order_by()
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(is_late=True)),
            reviewed=Count("id", filter=Q(status=LogStatus.REVIEWED)),
            closed=Count("id", filter=closed_q),
        )
        .values_list("cadre_id", "n", "late", "reviewed", "closed")
    )
    for cadre_id, n, late, reviewed, closed in rows:
        counts = result.get(cadre_id)
        if counts is not None:
            counts.handed_in, counts.late, counts.reviewed, counts.logged_closed = (
                n,
                late,
                reviewed,
                closed,
            )
    if duplicates:
        for cadre_id, n in _duplicate_counts(cadres, start, end).items():
            if cadre_id in result:
                result[cadre_id].duplicates = n
        for counts in result.values():
            counts.duplicates = counts.duplicates or 0
    return result


def _duplicate_counts(cadres: CadreQuerySet, start: date, end: date) -> dict[int, int]:
    cfg = dup_settings()
    rows = (
        WorkLog.objects.handed_in()
        .filter(cadre__in=cadres.active(), day__gte=start, day__lte=end)
        .order_by("cadre_id", "day")
        .values_list("cadre_id", "id", "day", "text")
        .iterator(chunk_size=5000)
    )
    found = {}
    for cadre_id, group in groupby(rows, key=lambda row: row[0]):
        texts = [rules.LogText(i, d, t) for _, i, d, t in group]
        found[cadre_id] = len(rules.find_near_duplicates(texts, cfg))
    return found


@dataclass
class UnitTotals:
    unit_id: int
    name: str
    cadres: int = 0
    expected: int = 0
    logged_closed: int = 0
    handed_in: int = 0
    late: int = 0
    reviewed: int = 0
    duplicates: int = 0

    @property
    def missing(self) -> int:
        return max(self.expected - self.logged_closed, 0)

    @property
    def completeness(self) -> Decimal | None:
        return _share(self.logged_closed, self.expected)

    @property
    def share_reviewed(self) -> Decimal | None:
        return _share(self.reviewed, self.handed_in)

    def add(self, c: Counts) -> None:
        self.cadres += 1
        self.expected += c.expected
        self.logged_closed += c.logged_closed
        self.handed_in += c.handed_in
        self.late += c.late
        self.reviewed += c.reviewed
        self.duplicates += c.duplicates or 0


def unit_signals(
    unit_id: int, start: date, end: date, *, today: date | None = None, duplicates: bool = True
) -> tuple[UnitTotals, dict[int, Counts]]:
    """A unit and its subtree: totals and the counts of each cadre."""
    unit = OrgUnit.objects.get(pk=unit_id)
    cadres = Cadre.objects.filter(org_unit__path__startswith=unit.path)
    per_cadre = scope_signals(cadres, start, end, today=today, duplicates=duplicates)
    totals = UnitTotals(unit.pk, unit.name)
    for counts in per_cadre.values():
        totals.add(counts)
    return totals, per_cadre


def roll_up(
    per_cadre: Iterable[Counts], units: Iterable[tuple[int, str, str]], depth: int
) -> list[UnitTotals]:
    """Totals per unit at `depth` of the tree (cadres of deeper units counted in their
    ancestor at that depth). `units` are (id, name, path) of every unit concerned."""
    paths = {uid: path for uid, _, path in units}
    names = {uid: name for uid, name, _ in units}
    totals: dict[int, UnitTotals] = {}
    for counts in per_cadre:
        ids = [int(x) for x in paths.get(counts.org_unit_id, "").strip("/").split("/") if x]
        key = counts.org_unit_id if len(ids) <= depth else ids[depth]
        if key not in totals:
            totals[key] = UnitTotals(key, names.get(key, str(key)))
        totals[key].add(counts)
    return sorted(totals.values(), key=lambda t: paths.get(t.unit_id, ""))


# ---------------------------------------------------------------- for the annual assessment


@dataclass(frozen=True)
class YearRoutine:
    cadre_id: int
    year: int
    quarters: dict[int, str]  # quarter → final grade code (confirmed or after review)
    pending: tuple[int, ...]  # quarters proposed but not yet confirmed
    excellent_allowed: bool | None  # None: the link rule is not enabled
    reason: str

    @property
    def labels(self) -> dict[int, str]:
        return {q: rules.GRADE_LABELS[g] for q, g in self.quarters.items()}


def year_routine_grades(cadre_ids: Iterable[int], year: int) -> dict[int, YearRoutine]:
    """The year's routine grades per cadre (one query), with the local link rule "优秀 needs
    more than half of the quarters 好 and none 一般/较差" when that setting is on."""
    ids = list(cadre_ids)
    link = bool(rule_value(rules.EXCELLENT_LINK_KEY))
    found: dict[int, dict[int, str]] = defaultdict(dict)
    pending: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(ids), 20_000):
        rows = QuarterGrade.objects.filter(
            cadre_id__in=ids[start : start + 20_000], year=year
        ).values_list("cadre_id", "quarter", "confirmed_grade", "review_grade")
        for cadre_id, quarter, confirmed, reviewed in rows:
            if reviewed or confirmed:
                found[cadre_id][quarter] = reviewed or confirmed
            else:
                pending[cadre_id].append(quarter)
    result = {}
    for cadre_id in ids:
        quarters = dict(sorted(found[cadre_id].items()))
        allowed, reason = rules.excellent_allowed(list(quarters.values())) if link else (None, "")
        result[cadre_id] = YearRoutine(
            cadre_id, year, quarters, tuple(sorted(pending[cadre_id])), allowed, reason
        )
    return result
