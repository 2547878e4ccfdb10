"""The cadre page: this cadre's target tasks and inspection findings (scoped to the viewer)."""

from typing import Any

from django.utils import timezone

from cadre.cadres.extensions import Section
from cadre.cadres.timeline import TimelineItem
from cadre.targets import progress, rules
from cadre.targets.models import Finding, Reconciliation, Task


def sections(*, cadre: Any, user: Any) -> list[Section]:
    year = timezone.localdate().year
    tasks = (
        Task.objects.visible_to(user)
        .live()
        .filter(owners=cadre, book__year__gte=year - 1)
        .exclude(book__status="cancelled")
    )
    states = progress.task_states(tasks)
    findings = list(
        Finding.objects.visible_to(user)
        .filter(cadre=cadre)
        .select_related("inspection__topic")[:20]
    )
    if not states and not findings:
        return []
    outcomes = dict(
        Reconciliation.objects.visible_to(user)
        .filter(task__in=[s.id for s in states], confirmed_at__isnull=False)
        .values_list("task_id", "outcome")
    )
    rows = [(s, rules.OUTCOME_LABELS.get(outcomes.get(s.id, ""), "")) for s in states]
    return [
        Section(
            title="目标任务与专项督查",
            template="targets/_profile_section.html",
            context={"rows": rows, "findings": findings, "year": year},
        )
    ]


def timeline_items(*, cadre: Any, user: Any) -> list[TimelineItem]:
    return [
        TimelineItem(
            f.found_on,
            f.closed_on,
            "督查发现",
            f"{f.inspection.topic.name}：{'表扬' if f.positive else '问题'} {f.description[:40]}",
        )
        for f in Finding.objects.visible_to(user)
        .filter(cadre=cadre)
        .select_related("inspection__topic")[:50]
    ]
