"""Review queue by person and week, one week's logs, batch marking, delegation."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadre.accounts.access import get_object_for_user
from cadre.audit.services import record_view
from cadre.cadres.models import Cadre
from cadre.core.errors import refusal
from cadre.orgs.models import OrgUnit
from cadre.worklogs import access, rules, services
from cadre.worklogs.forms import DelegationForm, MarkForm, parse_week_keys
from cadre.worklogs.models import LogStatus, ReviewerDelegation, WeekReview, WorkLog
from cadre.worklogs.signals_api import cadre_signals

PAGE_SIZE = 50


def _require_reviewer(user: Any) -> None:
    if not access.is_reviewer(user):
        raise PermissionDenied("只有单位负责人或受托审阅人可以审阅日志")


def _week(request: HttpRequest) -> date:
    try:
        return rules.week_start(date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        return rules.week_start(timezone.localdate()) - timedelta(days=7)


def queue(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request.user)
    week = _week(request)
    reviewable = WorkLog.objects.visible_to(request.user, write=True).handed_in()
    rows = (
        reviewable.between(week, week + timedelta(days=6))
        .values("cadre_id", "cadre__name", "org_unit__name")
        .order_by("org_unit__name", "cadre_id")
        .annotate(
            n=Count("id"),
            pending=Count("id", filter=Q(status=LogStatus.SUBMITTED)),
            late=Count("id", filter=Q(is_late=True)),
        )
    )
    if request.GET.get("pending"):
        rows = rows.filter(pending__gt=0)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    marks = {
        r.cadre_id: r
        for r in WeekReview.objects.visible_to(request.user).filter(
            week_start=week, cadre_id__in=[row["cadre_id"] for row in page]
        )
    }
    for row in page:
        row["review"] = marks.get(row["cadre_id"])
    since = week - timedelta(weeks=8)
    pending_weeks = (
        reviewable.filter(status=LogStatus.SUBMITTED, day__gte=since)
        .annotate(w=TruncWeek("day"))
        .values("w")
        .order_by("-w")
        .annotate(n=Count("id"))
    )
    context = {
        "week": week,
        "page": page,
        "form": MarkForm(),
        "pending_weeks": pending_weeks,
        "prev_week": week - timedelta(days=7),
        "next_week": week + timedelta(days=7),
        "scale": str(services.common.setting(rules.REVIEW_SCALE)),
    }
    return render(request, "worklogs/review_queue.html", context)


def person_week(request: HttpRequest, cadre_id: int, week: str) -> HttpResponse:
    _require_reviewer(request.user)
    monday = _parse_monday(week)
    logs = list(
        WorkLog.objects.visible_to(request.user)
        .filter(cadre_id=cadre_id)
        .between(monday, monday + timedelta(days=6))
        .order_by("day")
    )
    cadre = _cadre_of(request, cadre_id, logs)
    review = (
        WeekReview.objects.visible_to(request.user)
        .filter(cadre_id=cadre_id, week_start=monday)
        .first()
    )
    signals = cadre_signals(cadre_id, monday - timedelta(days=28), monday + timedelta(days=6))
    dups = {d.log.id: d for d in signals.near_duplicates}
    for log in logs:
        log.dup = dups.get(log.pk)
    form = MarkForm(
        initial={
            "mark": review.mark if review else "",
            "score": review.score if review else None,
            "comment": review.comment if review else "",
            "version": review.version if review else 0,
        }
    )
    context = {
        "cadre": cadre,
        "monday": monday,
        "logs": logs,
        "review": review,
        "form": form,
        "scale": str(services.common.setting(rules.REVIEW_SCALE)),
        "missing": [d for d in signals.missing_days if monday <= d],
        "prev_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
    }
    return render(request, "worklogs/review_week.html", context)


def _parse_monday(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise Http404("日期格式不正确") from exc
    return rules.week_start(day)


def _cadre_of(request: HttpRequest, cadre_id: int, logs: list[WorkLog]) -> Any:
    """The cadre behind the week: through the registry scope, else (a delegate who does not
    see the registry) through the logs already in scope; 404 when neither."""
    if logs:
        return logs[0].cadre
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, request=request)
    record_view(user=request.user, obj=cadre, request=request)
    return cadre


@require_POST
def mark(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request.user)
    form = MarkForm(request.POST)
    back = request.POST.get("back", "")
    if not back.startswith("/worklogs/"):
        back = reverse("worklogs:review")
    try:
        keys = parse_week_keys(request.POST.getlist("week_key"))
    except forms.ValidationError:
        messages.error(request, "所选的周格式不正确")
        return redirect(back)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    data = form.cleaned_data
    versions = (
        {keys[0]: data["version"]} if len(keys) == 1 and data["version"] is not None else None
    )
    with refusal(request):
        reviews = services.mark_weeks(
            by=request.user,
            weeks=keys,
            mark=data["mark"],
            score=data["score"],
            comment=data["comment"],
            versions=versions,
            request=request,
        )
        messages.success(request, f"已评价{len(reviews)}个周")
    return redirect(back)


# ---------------------------------------------------------------- delegation


def delegations(request: HttpRequest) -> HttpResponse:
    if not access.is_unit_head(request.user):
        raise PermissionDenied("只有单位负责人可以委托审阅")
    return _render_delegations(request, DelegationForm(initial={"starts_on": timezone.localdate()}))


def _render_delegations(
    request: HttpRequest, form: DelegationForm, status: int = 200
) -> HttpResponse:
    rows = (
        ReviewerDelegation.objects.visible_to(request.user, write=True)
        .select_related("org_unit", "delegate", "granted_by")
        .order_by("-created_at")[:200]
    )
    return render(
        request,
        "worklogs/delegations.html",
        {"rows": rows, "form": form, "today": timezone.localdate()},
        status=status,
    )


@require_POST
def delegate(request: HttpRequest) -> HttpResponse:
    if not access.is_unit_head(request.user):
        raise PermissionDenied("只有单位负责人可以委托审阅")
    form = DelegationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        unit = get_object_for_user(OrgUnit.objects, request.user, data["unit"], request=request)
        with refusal(request, form) as refused:
            services.delegate_review(
                by=request.user,
                unit=unit,
                delegate=data["delegate"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
                request=request,
            )
        if refused:
            return _render_delegations(request, form, status=refused.status)
        messages.success(request, "已委托")
        return redirect("worklogs:delegations")
    return _render_delegations(request, form, status=400)


@require_POST
def revoke(request: HttpRequest, delegation_id: int) -> HttpResponse:
    row = get_object_for_user(
        ReviewerDelegation.objects, request.user, delegation_id, write=True, request=request
    )
    with refusal(request):
        services.revoke_delegation(by=request.user, delegation=row, request=request)
        messages.success(request, "委托已撤销")
    return redirect("worklogs:delegations")
