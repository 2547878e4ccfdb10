"""The cadre page: annual assessment results on the career timeline (scoped for the reader)."""

from typing import Any

from cadre.assessments import rules
from cadre.assessments.models import Decision
from cadre.cadres.timeline import TimelineItem


def timeline_items(*, cadre: Any, user: Any) -> list[TimelineItem]:
    rows = (
        Decision.objects.visible_to(user).filter(cadre=cadre).select_related("participant__cycle")
    )
    return [
        TimelineItem(
            d.decided_on,
            None,
            "年度考核",
            f"{d.year}年度{d.participant.cycle.get_kind_display()}："
            f"{rules.grade_label(d.final_grade or None)}",
        )
        for d in rows
    ]
