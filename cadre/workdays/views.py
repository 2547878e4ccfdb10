from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cadre.accounts.access import is_staff
from cadre.workdays import services
from cadre.workdays.access import can_maintain, require_maintainer
from cadre.workdays.forms import DayForm, YearForm


def calendar_page(request: HttpRequest) -> HttpResponse:
    if not is_staff(request.user):
        raise PermissionDenied
    return _render(request, YearForm(), DayForm())


def _render(request: HttpRequest, year_form: YearForm, day_form: DayForm,
            status: int = 200) -> HttpResponse:
    context = {
        "library_years": services.library_years(),
        "registered": services.registered_years(),
        "overrides": services.overrides(),
        "year_form": year_form,
        "day_form": day_form,
        "can_maintain": can_maintain(request.user),
    }
    return render(request, "workdays/calendar.html", context, status=status)


@require_POST
def add_year(request: HttpRequest) -> HttpResponse:
    require_maintainer(request.user)
    form = YearForm(request.POST)
    if form.is_valid():
        try:
            services.add_calendar_year(by=request.user, request=request, **form.cleaned_data)
        except services.CalendarError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记{form.cleaned_data['year']}年度")
            return redirect("workdays:calendar")
    return _render(request, form, DayForm(), status=400)


@require_POST
def set_day(request: HttpRequest) -> HttpResponse:
    require_maintainer(request.user)
    form = DayForm(request.POST)
    if form.is_valid():
        try:
            services.set_day_override(by=request.user, request=request, **form.cleaned_data)
        except services.CalendarError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存{form.cleaned_data['day']:%Y-%m-%d}的安排")
            return redirect("workdays:calendar")
    return _render(request, YearForm(), form, status=400)
