"""What the targets app gives the quarterly routine grade (平时考核, seed 四.4), as the provider
of the worklogs contracts (cadre/worklogs/providers.py; registered in apps.py):

    progress_by_cadre(cadre_ids, start, end) -> {cadre_id: Decimal 0–100}
    findings_by_cadre(cadre_ids, start, end) -> {cadre_id: int}

Set-based: a few queries per 5,000 cadres, never one per cadre. Internal reads: the caller
(the grade proposal) has already scoped the cadres.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.db.models import Count

from cadre.targets import progress, rules
from cadre.targets.models import Finding, Task

CHUNK = 5000


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def progress_by_cadre(cadre_ids: Sequence[int], start: date, end: date) -> dict[int, Decimal]:
    """The cadre's tasks (责任人) in the year's approved, signed or reconciled books, as they
    stood at `end`: each task's pace score (done against what was due by then), weighted by
    the task weights. A cadre with no such task is left out (no data, not zero)."""
    ids = sorted(set(cadre_ids))
    found: dict[int, Decimal] = {}
    links = Task.owners.through
    for chunk in _chunks(ids):
        owned = links.objects.filter(cadre_id__in=chunk)
        tasks = Task.objects.live().filter(
            pk__in=owned.values("task_id"),
            book__year=end.year,
            book__status__in=rules.APPROVED_OR_LATER,
        )
        states = {s.id: s for s in progress.task_states(tasks, on=end)}
        per_cadre: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
        for task_id, cadre_id in owned.filter(task_id__in=tasks.values("pk")).values_list(
            "task_id", "cadre_id"
        ):
            s = states[task_id]
            per_cadre[cadre_id].append((s.weight, rules.pace_score(s.expected, s.actual)))
        found.update({cid: rules.weighted_pace(items) for cid, items in per_cadre.items()})
    return found


def findings_by_cadre(cadre_ids: Sequence[int], start: date, end: date) -> dict[int, int]:
    """Problems (not commendations) special inspections (专项督查) found against the cadre in
    [start, end]; a cadre with none is left out."""
    ids = sorted(set(cadre_ids))
    found: dict[int, int] = {}
    for chunk in _chunks(ids):
        rows = (
            Finding.objects.filter(
                cadre_id__in=chunk, positive=False, found_on__gte=start, found_on__lte=end
            )
            .values("cadre_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("cadre_id", "n")
        )
        found.update(dict(rows))
    return found
