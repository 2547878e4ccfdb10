"""The unit (team) results of a cycle (单位（班子）考核结果): the list in the order of the unit
tree (never by score) and the computation for all units of the cycle. Each result is also a
line of evidence for the unit's 一把手 (services/units.py)."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cadre.accounts.access import is_staff
from cadre.assessments import access, rules
from cadre.assessments.models import Cycle, UnitResult
from cadre.assessments.services import units as unit_services
from cadre.audit.services import record_view
from cadre.core.errors import refusal
from cadre.core.rulebook import rule_value

PAGE = 100
SHOWN_ON_DASHBOARD = 10


def _rows(user: Any, cycle: Cycle) -> Any:
    return (
        UnitResult.objects.visible_to(user)
        .filter(year=cycle.year, org_unit__path__startswith=cycle.scope_unit.path)
        .select_related("org_unit")
        .order_by("org_unit__path")
    )


def _can_compute(user: Any, cycle: Cycle) -> bool:
    return (
        cycle.phase in (rules.EVIDENCE, rules.PROPOSAL)
        and Cycle.objects.visible_to(user, write=True).filter(pk=cycle.pk).exists()
    )


def summary(user: Any, cycle: Cycle) -> dict[str, Any]:
    """The dashboard's part: the distribution by tier and the first units of the tree."""
    rows = _rows(user, cycle)
    return {
        "unit_results": list(rows[:SHOWN_ON_DASHBOARD]),
        "unit_result_tiers": unit_services.tier_counts(rows),
        "unit_results_more": rows.count() > SHOWN_ON_DASHBOARD,
        "can_compute_units": _can_compute(user, cycle),
    }


def unit_results(request: HttpRequest, cycle_id: int, status: int = 200) -> HttpResponse:
    cycle = access.get_cycle(request.user, cycle_id, request=request)
    if not is_staff(request.user):
        return redirect("assessments:mine")
    rows = _rows(request.user, cycle)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    record_view(user=request.user, obj=cycle, request=request)
    return render(
        request,
        "assessments/unit_results.html",
        {
            "cycle": cycle,
            "page": page,
            "tiers": unit_services.tier_counts(rows),
            "can_compute": _can_compute(request.user, cycle),
            "settings": _settings_text(),
        },
        status=status,
    )


def _settings_text() -> str:
    weights = rule_value(rules.UNIT_RESULT_WEIGHTS.key)
    tiers = rule_value(rules.UNIT_RESULT_TIERS.key)
    parts = "、".join(f"{label}{weights.get(k, 0)}%" for k, label in rules.UNIT_PARTS.items())
    lines = "、".join(f"{rules.TEAM_CHOICES[t]}≥{tiers[t]}" for t in rules.UNIT_TIERS[:-1])
    return f"权重：{parts}；等次分数线：{lines}，以下为{rules.TEAM_CHOICES['poor']}"


@require_POST
def compute(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access.get_cycle(request.user, cycle_id, write=True, request=request)
    with refusal(request) as refused:
        n = unit_services.compute_unit_results(cycle=cycle, by=request.user)
    if refused:
        return unit_results(request, cycle_id, status=400)
    messages.success(request, f"已计算{n}个单位的单位（班子）考核结果")
    return redirect("assessments:unit_results", cycle.pk)
