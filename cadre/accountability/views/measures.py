"""Measures (accountability pages)."""

from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accountability import access, forms, rules, services
from cadre.accountability.models import (
    Measure,
    MeasureAppeal,
    MeasureKind,
    Rectification,
)
from cadre.accountability.views.common import (
    PAGE,
    STAFF,
    _cadre,
    _case,
    _position,
    _run,
    _staff,
    _valid,
)
from cadre.accounts.access import acting_user, has_role
from cadre.audit.services import record_view
from cadre.supervision.rules import RuleError


def measure_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = Measure.objects.visible_to(request.user).select_related("cadre", "unit_at_decision")
    kind = request.GET.get("kind", "")
    if kind in MeasureKind.values:
        qs = qs.filter(kind=kind)
    if request.GET.get("in_force") == "1":
        qs = qs.counting().filter(status="in_force")
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    overdue = (
        Measure.objects.visible_to(request.user).personnel_overdue(timezone.localdate()).count()
    )
    return render(
        request,
        "accountability/measure_list.html",
        {"page": page, "kind": kind, "kinds": MeasureKind.choices, "personnel_overdue": overdue},
    )


def personnel_overdue(request: HttpRequest) -> HttpResponse:
    """政务处分法 第五十四条: 降级、撤职、开除 whose post, rank and pay change is overdue."""
    _staff(request)
    qs = (
        Measure.objects.visible_to(request.user)
        .personnel_overdue(timezone.localdate())
        .select_related("cadre", "unit_at_decision")
        .order_by("personnel_due_on", "pk")
    )
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accountability/personnel_overdue.html",
        {"page": page, "source": rules.PERSONNEL_SOURCE},
    )


@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest) -> HttpResponse:
    _staff(request)
    initial = {
        "decided_on": timezone.localdate(),
        "effective_on": timezone.localdate(),
        "case": request.GET.get("case"),
        "cadre": request.GET.get("cadre"),
    }
    form = forms.MeasureForm(request.POST or None, initial=initial)
    if request.method == "GET":
        return render(request, "accountability/measure_new.html", {"form": form})

    def act() -> Measure:
        d = _valid(form)
        rects = ((d["requirement"], d["requirement_due"]),) if d["requirement"] else ()
        if d["requirement"] and not d["requirement_due"]:
            raise RuleError("请填写整改期限")
        return services.record_measure(
            by=request.user,
            cadre=_cadre(request, d["cadre"]),
            case=_case(request, d["case"]),
            to_position=_position(request, d["to_position"]),
            to_rank=d["to_rank"],
            data=services.MeasureInput(
                kind=d["kind"],
                issuing_body=d["issuing_body"],
                decided_on=d["decided_on"],
                effective_on=d["effective_on"],
                facts=d["facts"],
                article=d["article"],
                probation_years=d["probation_years"],
                referral_to=d["referral_to"],
                combined_count=d["combined_count"] or 1,
                combined_months=d["combined_months"],
                rectifications=rects,
            ),
        )

    return _run(
        request,
        act,
        "处理措施已登记",
        lambda: render(request, "accountability/measure_new.html", {"form": form}, status=400),
        lambda m: redirect("accountability:measure", measure_id=m.pk),
    )


def _measure_page(request: HttpRequest, measure: Measure, status: int = 200) -> HttpResponse:
    user = request.user
    staff = has_role(user, *STAFF)
    context = {
        "measure": measure,
        "staff": staff,
        "rectifications": Rectification.objects.visible_to(user).filter(measure=measure),
        "appeals": MeasureAppeal.objects.visible_to(user).filter(measure=measure),
        "replaced_by": Measure.objects.visible_to(user).filter(replaces=measure).first(),
        "end_form": forms.EndForm(initial={"ended_on": timezone.localdate()}),
        "rect_form": forms.RectificationForm(),
        "done_form": forms.RectificationDoneForm(initial={"done_on": timezone.localdate()}),
        "appeal_form": forms.AppealForm(initial={"filed_on": timezone.localdate()}),
        "decision_form": forms.AppealDecisionForm(initial={"decided_on": timezone.localdate()}),
        "personnel_done_form": forms.PersonnelDoneForm(initial={"done_on": timezone.localdate()}),
        "personnel_extend_form": forms.PersonnelExtendForm(),
        "personnel_source": rules.PERSONNEL_SOURCE,
        "personnel_overdue": measure.personnel_open
        and measure.counts
        and (measure.personnel_deadline or timezone.localdate()) < timezone.localdate(),
    }
    return render(request, "accountability/measure_detail.html", context, status=status)


def measure_detail(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = access.get_measure(request.user, measure_id, request=request)
    record_view(user=request.user, obj=measure, request=request)
    return _measure_page(request, measure)


def _measure_action(
    request: HttpRequest,
    measure_id: int,
    form_class: Any,
    call: Callable[[Measure, dict[str, Any]], Any],
    ok: str,
) -> HttpResponse:
    _staff(request)
    measure = access.get_measure(request.user, measure_id, write=True, request=request)
    form = form_class(request.POST)
    return _run(
        request,
        lambda: call(measure, _valid(form)),
        ok,
        lambda: _measure_page(request, access.get_measure(request.user, measure.pk), 400),
        lambda _: redirect("accountability:measure", measure_id=measure.pk),
    )


@require_POST
def measure_end(request: HttpRequest, measure_id: int) -> HttpResponse:
    return _measure_action(
        request,
        measure_id,
        forms.EndForm,
        lambda m, d: services.end_measure(
            measure=m, by=request.user, ended_on=d["ended_on"], note=d["note"]
        ),
        "措施已结束",
    )


@require_POST
def personnel_done(request: HttpRequest, measure_id: int) -> HttpResponse:
    return _measure_action(
        request,
        measure_id,
        forms.PersonnelDoneForm,
        lambda m, d: services.complete_personnel_change(
            measure=m, by=acting_user(request), done_on=d["done_on"], note=d["note"]
        ),
        "职务、工资等变更手续已登记办结",
    )


@require_POST
def personnel_extend(request: HttpRequest, measure_id: int) -> HttpResponse:
    return _measure_action(
        request,
        measure_id,
        forms.PersonnelExtendForm,
        lambda m, d: services.extend_personnel_change(
            measure=m, by=acting_user(request), until=d["until"], reason=d["reason"]
        ),
        "办理期限已延长",
    )


@require_POST
def rectification_add(request: HttpRequest, measure_id: int) -> HttpResponse:
    return _measure_action(
        request,
        measure_id,
        forms.RectificationForm,
        lambda m, d: services.add_rectification(
            measure=m, by=request.user, requirement=d["requirement"], due_on=d["due_on"]
        ),
        "已增加整改要求",
    )


@require_POST
def rectification_done(request: HttpRequest, rect_id: int) -> HttpResponse:
    _staff(request)
    rect = access.get_rectification(request.user, rect_id, request=request)
    return _measure_action(
        request,
        rect.measure_id,
        forms.RectificationDoneForm,
        lambda m, d: services.complete_rectification(
            rectification=rect, by=request.user, result=d["result"], done_on=d["done_on"]
        ),
        "整改已确认完成",
    )


@require_POST
def appeal_file(request: HttpRequest, measure_id: int) -> HttpResponse:
    return _measure_action(
        request,
        measure_id,
        forms.AppealForm,
        lambda m, d: services.file_appeal(
            measure=m, by=request.user, kind=d["kind"], filed_on=d["filed_on"], reasons=d["reasons"]
        ),
        "已登记申请（复审、复核期间不停止执行）",
    )


@require_POST
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    _staff(request)
    appeal = access.get_appeal(request.user, appeal_id, request=request)
    return _measure_action(
        request,
        appeal.measure_id,
        forms.AppealDecisionForm,
        lambda m, d: services.decide_appeal(
            appeal=appeal,
            by=request.user,
            result=d["result"],
            decided_on=d["decided_on"],
            text=d["text"],
            replacement_kind=d["replacement_kind"],
        ),
        "已登记决定",
    )
