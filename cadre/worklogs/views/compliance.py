"""Compliance: per cadre in a unit (unit heads), by unit across the scope (org admins)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cadre.accounts.access import get_object_for_user, require_role, require_staff
from cadre.audit.services import record_view
from cadre.cadres.models import Cadre
from cadre.orgs.models import OrgUnit
from cadre.workdays.rules import UnknownYearError
from cadre.worklogs.signals_api import UnitTotals, cadre_signals, roll_up, scope_signals
from cadre.worklogs.views.common import period_or_default, top_unit

PAGE_SIZE = 100
SORTS = {
    "missing": lambda c: (-c.missing, c.cadre_id),
    "late": lambda c: (-c.late, c.cadre_id),
    "dups": lambda c: (-(c.duplicates or 0), c.cadre_id),
    "reviewed": lambda c: (c.share_reviewed or 0, c.cadre_id),
}


def unit_compliance(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    choice = period_or_default(request)
    unit = choice.unit or top_unit(request.user)
    cadres = Cadre.objects.visible_to(request.user)
    if unit is not None:
        cadres = cadres.filter(org_unit__path__startswith=unit.path)
    try:
        per_cadre = scope_signals(cadres, choice.start, choice.end, duplicates=True)
    except UnknownYearError as exc:
        messages.error(request, str(exc))
        per_cadre = {}
    rows = sorted(per_cadre.values(), key=SORTS.get(request.GET.get("sort", ""), SORTS["missing"]))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    names = dict(
        Cadre.objects.visible_to(request.user)
        .filter(pk__in=[c.cadre_id for c in page])
        .values_list("id", "name")
    )
    unit_names = dict(
        OrgUnit.objects.visible_to(request.user)
        .filter(pk__in={c.org_unit_id for c in page})
        .values_list("id", "name")
    )
    for c in page:
        # Display labels for the template only (not Counts fields: the API serialises those).
        c.name, c.unit_name = names.get(c.cadre_id, ""), unit_names.get(c.org_unit_id, "")  # type: ignore[attr-defined]
    totals = UnitTotals(unit.pk if unit else 0, unit.name if unit else "")
    for counts in per_cadre.values():
        totals.add(counts)
    context = {
        "choice": choice,
        "unit": unit,
        "page": page,
        "totals": totals,
        "sort": request.GET.get("sort", "missing"),
    }
    return render(request, "worklogs/compliance.html", context)


def cadre_detail(request: HttpRequest, cadre_id: int) -> HttpResponse:
    """One cadre's signals for the period, each with the days and logs behind it."""
    require_staff(request.user)
    cadre = get_object_for_user(
        Cadre.objects.select_related("org_unit"), request.user, cadre_id, request=request
    )
    record_view(user=request.user, obj=cadre, request=request)
    choice = period_or_default(request)
    try:
        signals = cadre_signals(cadre.pk, choice.start, choice.end)
    except UnknownYearError as exc:
        messages.error(request, str(exc))
        signals = None
    return render(
        request,
        "worklogs/cadre_signals.html",
        {"cadre": cadre, "choice": choice, "signals": signals},
    )


def overview(request: HttpRequest) -> HttpResponse:
    """Compliance across the whole scope, by unit one level below the unit in focus."""
    require_role(request.user, "org_admin")
    choice = period_or_default(request)
    unit = choice.unit or top_unit(request.user)
    if unit is None:
        return render(request, "worklogs/overview.html", {"choice": choice, "rows": []})
    cadres = Cadre.objects.visible_to(request.user).filter(org_unit__path__startswith=unit.path)
    units = OrgUnit.objects.visible_to(request.user).filter(path__startswith=unit.path)
    try:
        per_cadre = scope_signals(cadres, choice.start, choice.end)
    except UnknownYearError as exc:
        messages.error(request, str(exc))
        per_cadre = {}
    rows = roll_up(
        per_cadre.values(), units.values_list("id", "name", "path"), depth=unit.depth + 1
    )
    chart = {
        "units": [r.name for r in rows],
        "completeness": [float(r.completeness or 0) for r in rows],
        "reviewed": [float(r.share_reviewed or 0) for r in rows],
        "late": [r.late for r in rows],
    }
    return render(
        request,
        "worklogs/overview.html",
        {"choice": choice, "unit": unit, "rows": rows, "chart": chart},
    )
