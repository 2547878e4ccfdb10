"""The cadre page: training and secondments on the career timeline, needs as a panel."""

from typing import Any

from django.utils import timezone

from cadre.accounts.access import is_staff
from cadre.cadres.extensions import Section
from cadre.cadres.timeline import TimelineItem
from cadre.development.models import Enrolment, EnrolmentStatus, Placement, PlacementStatus


def timeline_items(*, cadre: Any, user: Any) -> list[TimelineItem]:
    items = [
        TimelineItem(
            e.session.starts_on,
            e.session.ends_on,
            "培训",
            f"{e.session.programme.name}（{e.session.programme.get_kind_display()}，"
            f"{e.hours}学时{('，' + e.get_result_display()) if e.result else ''}）",
        )
        for e in Enrolment.objects.visible_to(user)
        .filter(cadre=cadre, status=EnrolmentStatus.COMPLETED)
        .select_related("session__programme")
    ]
    items += [
        TimelineItem(
            p.started_on,
            p.ended_on or p.planned_end_on,
            "挂职",
            f"{p.host_name}{p.post_title}（{p.get_kind_display()}"
            f"{('，' + p.programme) if p.programme else ''}；"
            f"人事关系在{p.home_unit.name}）",
        )
        for p in Placement.objects.visible_to(user)
        .filter(cadre=cadre)
        .exclude(status=PlacementStatus.CANCELLED)
        .select_related("home_unit")
    ]
    return items


def sections(*, cadre: Any, user: Any) -> list[Section]:
    if not is_staff(user):
        return []
    from cadre.cadres.models import Cadre
    from cadre.development.services import needs_for, training_hours

    today = timezone.localdate()
    needs = needs_for(Cadre.objects.visible_to(user).filter(pk=cadre.pk), today)
    return [
        Section(
            "培训情况",
            "development/_profile_section.html",
            {
                "hours": training_hours([cadre.pk], today.year)[cadre.pk],
                "year": today.year,
                "needs": needs[0].needs if needs else [],
            },
        )
    ]
