"""The cadre page's accountability panel and timeline entries (cadres.extensions hook).

Staff with the org or discipline role in scope see the decided measures and inquiries; the
cadre sees their own decided measures. Of supervision only the number of problem clues linked
to the cadre is shown, to those who may see those clues (supervision's own scope and conflict
exclusion), with the archive for the rest; never to the cadre. Eligibility (任用资格) is the
eligibility app's own section (cadre/eligibility/profile.py), the one answer for every decision.
"""

from typing import Any

from cadre.accountability.models import Measure, WrittenInquiry
from cadre.accounts.access import has_role, own_cadre_id
from cadre.cadres.extensions import Section
from cadre.cadres.timeline import TimelineItem
from cadre.supervision.models import Clue


def _visible(cadre: Any, user: Any) -> bool:
    return has_role(user, "org_admin", "discipline") or own_cadre_id(user) == cadre.pk


def timeline_items(*, cadre: Any, user: Any) -> list[TimelineItem]:
    if not _visible(cadre, user):
        return []
    measures = Measure.objects.visible_to(user).filter(cadre=cadre)
    return [
        TimelineItem(
            m.effective_on,
            m.influence_until,
            "问责",
            m.get_kind_display() + ("（容错免责）" if m.exempted else ""),
        )
        for m in measures
    ]


def sections(*, cadre: Any, user: Any) -> list[Section]:
    if not _visible(cadre, user):
        return []
    measures = list(Measure.objects.visible_to(user).filter(cadre=cadre)[:20])
    inquiries = WrittenInquiry.objects.visible_to(user).filter(cadre=cadre).count()
    clues = Clue.objects.visible_to(user).filter(subject_cadre=cadre).count()
    if not measures and not inquiries and not has_role(user, "org_admin", "discipline"):
        return []
    return [
        Section(
            "问责与处理措施",
            "accountability/_profile_section.html",
            {
                "cadre": cadre,
                "measures": measures,
                "inquiries": inquiries,
                "clues": clues,
            },
        )
    ]
