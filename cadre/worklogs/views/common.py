"""Helpers shared by the worklogs pages: periods, the unit in focus."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from cadre.accounts.access import get_object_for_user
from cadre.orgs.models import OrgUnit
from cadre.worklogs import rules
from cadre.worklogs.forms import PeriodForm
from cadre.worklogs.services import Refused


def last_complete_quarter(today: date) -> tuple[int, int]:
    quarter = rules.quarter_of(today) - 1
    return (today.year, quarter) if quarter else (today.year - 1, 4)


@dataclass(frozen=True)
class PeriodChoice:
    start: date
    end: date
    year: int
    quarter: int | None
    label: str
    unit: OrgUnit | None


def period_from(request: HttpRequest, params: Any = None) -> PeriodChoice:
    """?year=&quarter= or ?start=&end= (default: the last complete quarter); ?unit= in scope."""
    form = PeriodForm(request.GET if params is None else params)
    if not form.is_valid():
        raise Refused("；".join(str(e) for errs in form.errors.values() for e in errs))
    data = form.cleaned_data
    unit = unit_in_scope(request, data.get("unit"))
    if data.get("start") and data.get("end"):
        start, end = data["start"], data["end"]
        if (end - start).days > 366:
            raise Refused("统计区间不能超过一年")
        return PeriodChoice(start, end, start.year, None, f"{start:%Y-%m-%d}至{end:%Y-%m-%d}", unit)
    year, quarter = last_complete_quarter(timezone.localdate())
    year, quarter = data.get("year") or year, data.get("quarter") or quarter
    start, end = rules.quarter_bounds(year, quarter)
    return PeriodChoice(start, end, year, quarter, f"{year}年第{quarter}季度", unit)


def period_or_default(request: HttpRequest) -> PeriodChoice:
    """Like period_from, but bad parameters fall back to the default period with a message."""
    try:
        return period_from(request)
    except Refused as exc:
        messages.error(request, f"{exc}，已改为显示默认区间")
        return period_from(request, QueryDict(""))


def unit_in_scope(request: HttpRequest, unit_id: int | None) -> OrgUnit | None:
    if unit_id is None:
        return None
    return get_object_for_user(OrgUnit.objects, request.user, unit_id, request=request)


def top_unit(user: Any) -> OrgUnit | None:
    """The widest unit the user sees: the default focus of the unit pages."""
    return OrgUnit.objects.visible_to(user).order_by("depth", "path").first()
