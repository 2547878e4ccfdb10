"""What supervision's pages show of this app, provided as `supervision.follow_ups`
(cadre/supervision/providers.py): each read is scoped to the user."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from cadre.accountability.models import Measure, WrittenInquiry


def overdue_inquiries(user: Any, today: date) -> QuerySet[WrittenInquiry]:
    return WrittenInquiry.objects.visible_to(user).overdue(today).select_related("cadre")


def clue_inquiries(user: Any, clue: Any) -> QuerySet[WrittenInquiry]:
    return WrittenInquiry.objects.visible_to(user).filter(clue=clue)


def case_measures(user: Any, case: Any) -> QuerySet[Measure]:
    return Measure.objects.visible_to(user).filter(case=case).select_related("cadre")
