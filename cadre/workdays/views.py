from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadre.accounts.access import is_staff
from cadre.core.errors import refusal
from cadre.workdays import rules, services
from cadre.workdays.access import can_maintain, require_maintainer
from cadre.workdays.forms import ConfirmForm, DayForm


def calendar_page(request: HttpRequest) -> HttpResponse:
    if not is_staff(request.user):
        raise PermissionDenied
    return _render(request, ConfirmForm(), DayForm())


def _render(
    request: HttpRequest, confirm_form: ConfirmForm, day_form: DayForm, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    pending = services.unconfirmed_years_ahead(today)
    ahead = [y for y in services.provisional_years() if y >= today.year]
    next_year = ahead[0] if ahead else today.year + 1
    context = {
        "library_years": services.library_years(),
        "registered": services.registered_years(),
        "provisional_years": [y for y in ahead if y <= today.year + 2],
        "pending": pending,
        "statutory_year": next_year,
        "statutory": sorted(rules.statutory_holidays(next_year, with_makeup=False).items()),
        "changes": services.latest_changes(),
        "overrides": services.overrides(),
        "confirm_form": confirm_form,
        "day_form": day_form,
        "can_maintain": can_maintain(request.user),
        "statute": rules.STATUTE,
    }
    return render(request, "workdays/calendar.html", context, status=status)


@require_POST
def confirm_year(request: HttpRequest) -> HttpResponse:
    require_maintainer(request.user)
    form = ConfirmForm(request.POST, request.FILES)
    if form.is_valid():
        off, worked = form.schedule()
        with refusal(request, form) as refused:
            result = services.confirm_year(
                by=request.user,
                request=request,
                year=form.cleaned_data["year"],
                source=form.cleaned_data["source"],
                days_off=off,
                days_worked=worked,
                correction=form.cleaned_data["correction"],
            )
        if not refused:
            messages.success(
                request,
                f"已确认{result.row.year}年节假日安排（第{result.row.revision}版）："
                f"调整期限{len(result.moved)}项，已过期未调整{len(result.kept)}项",
            )
            return redirect("workdays:calendar")
    return _render(request, form, DayForm(), status=400)


@require_POST
def set_day(request: HttpRequest) -> HttpResponse:
    require_maintainer(request.user)
    form = DayForm(request.POST)
    if form.is_valid():
        with refusal(request, form) as refused:
            services.set_day_override(by=request.user, request=request, **form.cleaned_data)
        if not refused:
            messages.success(request, f"已保存{form.cleaned_data['day']:%Y-%m-%d}的安排")
            return redirect("workdays:calendar")
    return _render(request, ConfirmForm(), form, status=400)
