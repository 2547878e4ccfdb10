"""The cadre page's panel: recent routine grades and weekly marks (cadres.extensions)."""

from typing import Any

from cadre.cadres.extensions import Section
from cadre.worklogs.models import QuarterGrade, WeekReview


def sections(*, cadre: Any, user: Any) -> list[Section]:
    grades = list(
        QuarterGrade.objects.visible_to(user).filter(cadre=cadre).order_by("-year", "-quarter")[:4]
    )
    marks = list(
        WeekReview.objects.visible_to(user).filter(cadre=cadre).order_by("-week_start")[:6]
    )
    if not grades and not marks:
        return []
    return [
        Section(
            "平时考核与工作日志",
            "worklogs/_profile_section.html",
            {"grades": grades, "marks": marks, "cadre": cadre},
        )
    ]
