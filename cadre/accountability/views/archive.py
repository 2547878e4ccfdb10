"""Archive and eligibility (accountability pages)."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cadre.accountability.models import (
    Measure,
    WrittenInquiry,
)
from cadre.accountability.views.common import STAFF, _cadre, _staff
from cadre.accounts.access import own_cadre_id, require_role
from cadre.audit.services import record_view
from cadre.cadres import decisions
from cadre.cadres.models import Cadre


def _on(request: HttpRequest, cadre: Cadre) -> date:
    """?on=YYYY-MM-DD; today when absent, and (with a message) for a bad date or a day
    before the cadre's birth, as the API refuses them."""
    value = request.GET.get("on", "")
    today = timezone.localdate()
    if not value:
        return today
    try:
        day = date.fromisoformat(value)
    except ValueError:
        messages.warning(request, f"日期格式应为 YYYY-MM-DD：{value[:20]}，已按今天显示")
        return today
    if day < cadre.birth_date:
        messages.warning(request, f"查询日期早于{cadre.name}的出生日期，已按今天显示")
        return today
    return day


def archive(request: HttpRequest, cadre_id: int) -> HttpResponse:
    """函询、诫勉档案 and the full measure history of one cadre, with the live eligibility
    answer (cadre.cadres.decisions) for the day asked (today by default), the same as on the
    cadre page. Org and discipline staff in scope; the cadre sees their own (decided measures
    only)."""
    cadre = _cadre(request, cadre_id)
    own = own_cadre_id(request.user) == cadre.pk
    if not own:
        _staff(request)
    user = request.user
    measures = Measure.objects.visible_to(user).filter(cadre=cadre).select_related("replaces")
    on = _on(request, cadre)
    record_view(user=user, obj=cadre, request=request)
    context = {
        "cadre": cadre,
        "own": own,
        "on": on,
        "measures": measures,
        "admonishments": [m for m in measures if m.kind == "admonishment"],
        "inquiries": WrittenInquiry.objects.visible_to(user).filter(cadre=cadre),
        "answer": decisions.answer(cadre.pk, on),
        "clues": [] if own else _linked_clues(user, cadre),
    }
    return render(request, "accountability/archive.html", context)


def _linked_clues(user: Any, cadre: Cadre) -> list[dict[str, Any]]:
    """The problem clues linked to the cadre (at intake or by discipline staff), each with its
    case and the measures taken on that case. Supervision's own scope decides: discipline and
    org staff of the handling unit, never the cadre, never a conflicted user (visible_to)."""
    from cadre.supervision.models import Case, Clue

    clues = list(
        Clue.objects.visible_to(user)
        .filter(subject_cadre=cadre)
        .select_related("report", "handling_unit")
    )
    cases = {
        c.clue_id: c
        for c in Case.objects.visible_to(user).filter(clue_id__in=[c.pk for c in clues])
    }
    measures: dict[int, list[Measure]] = {}
    for m in Measure.objects.visible_to(user).filter(cadre=cadre, case__in=list(cases.values())):
        measures.setdefault(m.case_id, []).append(m)
    return [
        {
            "clue": c,
            "case": cases.get(c.pk),
            "measures": measures.get(cases[c.pk].pk, []) if c.pk in cases else [],
        }
        for c in clues
    ]


def my_archive(request: HttpRequest) -> HttpResponse:
    cadre_id = own_cadre_id(request.user)
    if cadre_id is None:
        require_role(request.user, *STAFF)
        return redirect("accountability:measures")
    return redirect("accountability:archive", cadre_id=cadre_id)
