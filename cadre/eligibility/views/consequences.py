"""The consequence list (issue 11 part 4) and the app's index page."""

from collections import Counter
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cadre.accounts.access import has_role
from cadre.audit.services import record_export
from cadre.core.errors import refusal
from cadre.core.excel import export_response
from cadre.eligibility import consequences
from cadre.eligibility.models import (
    Override,
    OverrideStatus,
    Unsuitability,
    UnsuitabilityStatus,
)
from cadre.eligibility.services import EligibilityError
from cadre.eligibility.views.common import (
    PAGE_SIZE,
    WRITERS,
    require_reader,
    today,
    unit_choices,
    unit_param,
)
from cadre.orgs.models import OrgUnit


def index(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    units = Unsuitability.objects.visible_to(request.user)
    overrides = Override.objects.visible_to(request.user)
    return render(
        request,
        "eligibility/index.html",
        {
            "open_unsuitable": units.filter(status=UnsuitabilityStatus.DETERMINED).count(),
            "pending_overrides": overrides.filter(status=OverrideStatus.PENDING).count(),
            "approved_overrides": overrides.filter(status=OverrideStatus.APPROVED).count(),
            "month": consequences.month_of(today()),
            "can_write": has_role(request.user, *WRITERS),
        },
    )


def _found(request: HttpRequest) -> tuple[Any, OrgUnit | None, list[consequences.Change]]:
    unit = unit_param(request)
    period = consequences.parse_period(request.GET.get("start"), request.GET.get("end"), today())
    found = consequences.changes(consequences.cadres_of(request.user, unit, period), period)
    kind = request.GET.get("kind", "")
    if kind in consequences.KINDS:
        found = [c for c in found if c.kind == kind]
    return period, unit, found


def _render(request: HttpRequest) -> HttpResponse:
    period: Any = None
    unit: OrgUnit | None = None
    found: list[consequences.Change] = []
    with refusal(request) as refused:
        period, unit, found = _found(request)
    counts = Counter(c.kind for c in found)
    return render(
        request,
        "eligibility/consequences.html",
        {
            "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
            "period": period,
            "unit": unit,
            "unit_choices": unit_choices(request),
            "kinds": consequences.KINDS,
            "counts": [(k, label, counts.get(k, 0)) for k, label in consequences.KINDS.items()],
            "window": consequences.ENDING_WITHIN_DAYS,
        },
        status=refused.status,
    )


def consequence_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    return _render(request)


def consequence_export(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    try:
        period, unit, found = _found(request)
    except EligibilityError:
        return _render(request)  # the page, showing the refusal (400)
    rows = consequences.export_rows(found)
    record_export(
        user=request.user, what="eligibility.consequences", count=len(found), request=request
    )
    name = unit.name if unit else "全部"
    return export_response(
        f"任用资格变化_{name}_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
        "资格变化",
        consequences.EXPORT_HEADERS,
        rows,
    )
