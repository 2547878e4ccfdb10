"""Read assemblies for the cadre page: career timeline and field-level change history."""

from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from django.db.models import Field

from cadre.cadres.models import Cadre


@dataclass(frozen=True)
class TimelineItem:
    on: date
    until: date | None
    kind: str
    text: str


def career_timeline(
    appointments: Any, ranks: Any, extra: list[TimelineItem] | None = None
) -> list[TimelineItem]:
    items = [
        TimelineItem(
            a.started_on,
            a.ended_on,
            a.get_how_display(),
            f"{a.position.org_unit.name} {a.position.title}",
        )
        for a in appointments
    ]
    items += [TimelineItem(r.started_on, r.ended_on, "职级", r.get_rank_display()) for r in ranks]
    items += extra or []
    return sorted(items, key=lambda i: i.on, reverse=True)


@dataclass(frozen=True)
class Change:
    at: datetime
    by: str
    field: str
    old: str
    new: str


def profile_history(cadre: Cadre, limit: int = 50) -> list[Change]:
    """Field-by-field diffs between consecutive history versions of the cadre."""
    versions = list(cadre.history.select_related("history_user").order_by("-history_date")[:limit])
    changes: list[Change] = []
    for newer, older in pairwise(versions):
        delta = newer.diff_against(older)
        for c in delta.changes:
            if c.field == "version":
                continue
            field = Cadre._meta.get_field(c.field)
            assert isinstance(field, Field)  # history tracks concrete fields only
            label = str(field.verbose_name)
            changes.append(
                Change(
                    newer.history_date,
                    str(newer.history_user or "系统"),
                    label,
                    str(c.old),
                    str(c.new),
                )
            )
    return changes
