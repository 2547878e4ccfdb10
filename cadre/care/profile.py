"""The cadre page: talks (as the reader may see them, never the summary), visits, honours
and rank promotions on the timeline."""

from typing import Any

from cadre.cadres.timeline import TimelineItem
from cadre.care.models import Exemplar, HeartTalk, Visit


def timeline_items(*, cadre: Any, user: Any) -> list[TimelineItem]:
    items = [
        TimelineItem(
            t.held_on, t.held_on, "谈心谈话", f"{t.get_kind_display()}（谈话人：{t.talker.name}）"
        )
        for t in HeartTalk.objects.visible_to(user).filter(talkee=cadre).select_related("talker")
    ]
    items += [
        TimelineItem(v.visited_on, v.visited_on, "走访慰问", v.get_occasion_display())
        for v in Visit.objects.visible_to(user).filter(cadre=cadre)
    ]
    items += [
        TimelineItem(e.awarded_on, e.awarded_on, "荣誉", f"{e.year}年度{e.kind.name}")
        for e in Exemplar.objects.visible_to(user)
        .filter(cadre=cadre, revoked_on__isnull=True)
        .select_related("kind")
    ]
    return items
