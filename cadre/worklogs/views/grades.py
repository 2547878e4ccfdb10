"""Quarter grades: proposal, confirmation (one or many), 复核, the printable sheet."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cadre.accounts.access import get_object_for_user, is_staff, require_staff
from cadre.audit.services import record_view
from cadre.cadres.models import Cadre
from cadre.core.errors import refusal
from cadre.workdays.rules import UnknownYearError
from cadre.worklogs import access, rules, services
from cadre.worklogs.forms import ConfirmForm, DecideForm, ReviewRequestForm
from cadre.worklogs.models import GradeStatus, QuarterGrade, WeekReview
from cadre.worklogs.services import Refused
from cadre.worklogs.signals_api import cadre_signals
from cadre.worklogs.views.common import (
    period_from,
    period_or_default,
    top_unit,
)

PAGE_SIZE = 100


def grade_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    choice = period_or_default(request)
    unit = choice.unit or top_unit(request.user)
    quarter = choice.quarter or rules.quarter_of(choice.start)
    grades = QuarterGrade.objects.visible_to(request.user).of_quarter(choice.year, quarter)
    if unit is not None:
        grades = grades.filter(org_unit__path__startswith=unit.path)
    if request.GET.get("status"):
        grades = grades.filter(status=request.GET["status"])
    page = Paginator(
        grades.select_related("cadre", "org_unit").order_by("org_unit__path", "cadre_id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for grade in page:
        grade.form = ConfirmForm(
            initial={
                "grade": grade.confirmed_grade or grade.proposed_grade,
                "version": grade.version,
            }
        )
    context = {
        "choice": choice,
        "unit": unit,
        "quarter": quarter,
        "page": page,
        "can_confirm": access.is_unit_head(request.user),
        "statuses": GradeStatus.choices,
    }
    return render(request, "worklogs/grades.html", context)


def _back(request: HttpRequest) -> str:
    back = request.POST.get("back", "")
    return back if back.startswith("/worklogs/") else reverse("worklogs:grades")


@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    """Proposes grades for the cadres in the unit head's own units."""
    heads = access.head_paths(request.user)
    if heads == []:
        raise PermissionDenied("只有单位负责人可以生成等次建议")
    with refusal(request) as refused:
        choice = period_from(request, request.POST)
    if refused:
        return redirect(_back(request))
    cadres = Cadre.objects.visible_to(request.user)
    if heads is not None:
        q = Q(pk__in=[])
        for path in heads:
            q |= Q(org_unit__path__startswith=path)
        cadres = cadres.filter(q)
    if choice.unit is not None:
        cadres = cadres.filter(org_unit__path__startswith=choice.unit.path)
    with refusal(request):
        summary = services.propose_quarter_grades(
            by=request.user,
            year=choice.year,
            quarter=choice.quarter or 1,
            cadres=cadres,
            request=request,
        )
        messages.success(
            request,
            f"已生成{summary.created + summary.updated}人的等次建议"
            f"（新增{summary.created}，更新{summary.updated}，已确认保持不变{summary.kept_confirmed}"
            + (f"，因“好”等次比例上限调整{summary.capped}人" if summary.capped else "")
            + "）"
            + (f"；其中{summary.incomplete}人依据不全，需人工评定" if summary.incomplete else ""),
        )
    return redirect(_back(request))


@require_POST
def confirm_many(request: HttpRequest) -> HttpResponse:
    """Confirms the checked proposals as proposed (no change, so no reason needed)."""
    if not access.is_unit_head(request.user):
        raise PermissionDenied("只有单位负责人可以确认等次")
    ids = [int(v) for v in request.POST.getlist("grade_id") if v.isdigit()]
    done, errors = 0, []
    for grade_id in ids:
        grade = get_object_for_user(
            QuarterGrade.objects.select_related("cadre"),
            request.user,
            grade_id,
            write=True,
            request=request,
        )
        try:
            services.confirm_grade(
                by=request.user, grade=grade, final=grade.proposed_grade, request=request
            )
            done += 1
        except Refused as exc:
            errors.append(f"{grade.cadre.name}：{exc}")
    if done:
        messages.success(request, f"已确认{done}人")
    for error in errors[:20]:
        messages.error(request, error)
    if not ids:
        messages.error(request, "请勾选要确认的人员")
    return redirect(_back(request))


def grade_detail(request: HttpRequest, grade_id: int) -> HttpResponse:
    grade = get_object_for_user(
        QuarterGrade.objects.select_related("cadre", "org_unit"),
        request.user,
        grade_id,
        request=request,
    )
    own = request.user.cadre_id == grade.cadre_id  # type: ignore[union-attr]
    if not own:
        record_view(user=request.user, obj=grade, request=request)
    can_act = (
        not own
        and QuarterGrade.objects.visible_to(request.user, write=True).filter(pk=grade.pk).exists()
    )
    initial = {"grade": grade.confirmed_grade or grade.proposed_grade, "version": grade.version}
    context = {
        "grade": grade,
        "own": own,
        "can_act": can_act,
        "confirm_form": ConfirmForm(initial=initial),
        "decide_form": DecideForm(
            initial={"grade": grade.confirmed_grade, "version": grade.version}
        ),
        "request_form": ReviewRequestForm(initial={"version": grade.version}),
        **_quarter_facts(request, grade),
    }
    return render(request, "worklogs/grade_detail.html", context)


def _quarter_facts(request: HttpRequest, grade: QuarterGrade) -> dict:
    start, end = rules.quarter_bounds(grade.year, grade.quarter)
    reviews = (
        WeekReview.objects.visible_to(request.user)
        .filter(cadre_id=grade.cadre_id, week_start__gte=start, week_start__lte=end)
        .order_by("week_start")
    )
    try:
        signals = cadre_signals(grade.cadre_id, start, end)
    except UnknownYearError:
        signals = None
    return {
        "start": start,
        "end": end,
        "reviews": reviews,
        "signals": signals,
        "grade_labels": rules.GRADE_LABELS,
    }


@require_POST
def confirm(request: HttpRequest, grade_id: int) -> HttpResponse:
    grade = get_object_for_user(
        QuarterGrade.objects, request.user, grade_id, write=True, request=request
    )
    form = ConfirmForm(request.POST)
    if form.is_valid():
        with refusal(request):
            services.confirm_grade(
                by=request.user,
                grade=grade,
                final=form.cleaned_data["grade"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                request=request,
            )
            messages.success(request, "等次已确认，已告知本人")
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    back = request.POST.get("back", "")
    return redirect(
        back if back.startswith("/worklogs/") else reverse("worklogs:grade", args=[grade.pk])
    )


@require_POST
def decide(request: HttpRequest, grade_id: int) -> HttpResponse:
    grade = get_object_for_user(
        QuarterGrade.objects, request.user, grade_id, write=True, request=request
    )
    form = DecideForm(request.POST)
    if form.is_valid():
        with refusal(request):
            services.decide_grade_review(
                by=request.user,
                grade=grade,
                final=form.cleaned_data["grade"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
                request=request,
            )
            messages.success(request, "复核意见已保存，已告知本人")
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("worklogs:grade", grade_id=grade.pk)


def print_sheet(request: HttpRequest, grade_id: int) -> HttpResponse:
    """The quarter sheet for one cadre, laid out for A4 (print CSS; the browser prints PDF)."""
    grade = get_object_for_user(
        QuarterGrade.objects.select_related("cadre", "org_unit", "confirmed_by"),
        request.user,
        grade_id,
        request=request,
    )
    if is_staff(request.user):
        record_view(user=request.user, obj=grade, request=request)
    context = {"grade": grade, **_quarter_facts(request, grade)}
    context["weeks"] = [(r, r.week_start + timedelta(days=6)) for r in context["reviews"]]
    return render(request, "worklogs/grade_print.html", context)
