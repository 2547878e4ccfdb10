"""Rotation pages: candidates (chart by years in post), kinship records, plans."""

from collections import Counter

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cadre.accounts.access import acting_user, get_object_for_user, require_role
from cadre.audit.services import record_export
from cadre.cadres.models import Cadre
from cadre.core.errors import refusal
from cadre.core.excel import export_response
from cadre.development import forms, rules, services
from cadre.development.models import PlanStatus, Relative, RotationMove, RotationPlan
from cadre.development.views.common import (
    cadres_in,
    form_errors,
    today,
    unit_param,
)
from cadre.orgs.models import OrgUnit, Position


def candidates(request: HttpRequest) -> HttpResponse:
    require_role(request.user, "org_admin")
    rows = sorted(
        services.rotation_candidates(cadres_in(request), today()), key=lambda c: -c.years_in_post
    )
    if request.GET.get("format") == "xlsx":
        record_export(
            user=request.user,
            what="development.rotation_candidates",
            count=len(rows),
            request=request,
        )
        return export_response(
            "轮岗交流人选.xlsx",
            "交流人选",
            [
                "干部编号",
                "姓名",
                "单位",
                "现任职务",
                "任现职时间",
                "任现职年限",
                "本单位年限",
                "理由",
            ],
            [
                [
                    c.cadre_id,
                    c.name,
                    c.unit,
                    c.title,
                    c.post_since,
                    round(c.years_in_post, 1),
                    round(c.years_in_unit, 1),
                    "；".join(c.reasons),
                ]
                for c in rows
            ],
        )
    buckets = Counter(rules.years_bucket(c.years_in_post) for c in rows)
    chart = {
        "categories": rules.YEARS_BUCKETS,
        "yNames": ["人数"],
        "series": [
            {
                "name": "交流人选（按任现职年限）",
                "data": [buckets.get(b, 0) for b in rules.YEARS_BUCKETS],
            }
        ],
    }
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "development/rotation_candidates.html",
        {
            "page": page,
            "count": len(rows),
            "chart": chart,
            "limits": services.thresholds(),
            "unit": unit_param(request),
        },
    )


def relatives(request: HttpRequest) -> HttpResponse:
    require_role(request.user, "org_admin")
    form = forms.RelativeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            cadre = get_object_for_user(
                Cadre.objects, request.user, data["cadre"], write=True, request=request
            )
            relative = get_object_for_user(
                Cadre.objects, request.user, data["relative"], request=request
            )
            with refusal(request) as refused:
                services.add_relative(
                    by=acting_user(request),
                    cadre=cadre,
                    relative=relative,
                    relation=data["relation"],
                )
            if not refused:
                messages.success(request, "已登记亲属关系")
                return redirect("development:relatives")
        else:
            messages.error(request, form_errors(form))
    rows = Relative.objects.visible_to(request.user).select_related(
        "cadre__org_unit", "relative__org_unit"
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "development/relatives.html", {"page": page, "form": form})


def plans(request: HttpRequest) -> HttpResponse:
    require_role(request.user, "org_admin")
    form = forms.PlanForm(request.POST or None, initial={"year": today().year})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            unit = get_object_for_user(
                OrgUnit.objects, request.user, data.pop("org_unit"), write=True, request=request
            )
            with refusal(request) as refused:
                plan = services.create_plan(by=acting_user(request), org_unit=unit, **data)
            if not refused:
                return redirect("development:plan", plan_id=plan.pk)
        else:
            messages.error(request, form_errors(form))
    rows = RotationPlan.objects.visible_to(request.user).select_related("org_unit")
    return render(request, "development/plans.html", {"plans": rows, "form": form})


def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_for_user(
        RotationPlan.objects.select_related("org_unit"), request.user, plan_id, request=request
    )
    moves = list(
        RotationMove.objects.visible_to(request.user)
        .filter(plan=plan, withdrawn=False)
        .select_related("cadre", "from_appointment__position__org_unit", "to_position__org_unit")
    )
    problems = services.check_plan(plan, moves) if plan.status != PlanStatus.EXECUTED else {}
    if request.GET.get("format") == "xlsx":
        record_export(
            user=request.user, what="development.rotation_moves", count=len(moves), request=request
        )
        return export_response(
            f"{plan.title}.xlsx",
            "交流人选",
            ["干部编号", "姓名", "原单位", "原职务", "拟任单位", "拟任职位", "理由", "检查结果"],
            [
                [
                    m.cadre_id,
                    m.cadre.name,
                    m.from_appointment.position.org_unit.name,
                    m.from_appointment.position.title,
                    m.to_position.org_unit.name,
                    m.to_position.title,
                    m.reason,
                    "；".join(problems.get(m.pk, [])) or "通过",
                ]
                for m in moves
            ],
        )
    rows = [(m, problems.get(m.pk, [])) for m in moves]
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "development/plan.html",
        {
            "plan": plan,
            "page": page,
            "problems": problems,
            "count": len(moves),
            "failing": sum(1 for p in problems.values() if p),
            "move_form": forms.MoveForm(),
        },
    )


@require_POST
def plan_add_move(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_for_user(
        RotationPlan.objects, request.user, plan_id, write=True, request=request
    )
    form = forms.MoveForm(request.POST)
    with refusal(request):
        if not form.is_valid():
            raise services.DevelopmentError(form_errors(form))
        data = form.cleaned_data
        cadre = get_object_for_user(
            Cadre.objects.select_related("org_unit"),
            request.user,
            data["cadre"],
            write=True,
            request=request,
        )
        position = get_object_for_user(
            Position.objects.select_related("org_unit"),
            request.user,
            data["position"],
            write=True,
            request=request,
        )
        services.add_moves(
            by=acting_user(request), plan=plan, moves=[(cadre, position, data["reason"])]
        )
    return redirect("development:plan", plan_id=plan.pk)


@require_POST
def plan_withdraw_move(request: HttpRequest, move_id: int) -> HttpResponse:
    move = get_object_for_user(
        RotationMove.objects.select_related("plan"),
        request.user,
        move_id,
        write=True,
        request=request,
    )
    with refusal(request):
        services.withdraw_move(by=acting_user(request), move=move)
    return redirect("development:plan", plan_id=move.plan_id)


@require_POST
def plan_action(request: HttpRequest, plan_id: int, action: str) -> HttpResponse:
    plan = get_object_for_user(
        RotationPlan.objects, request.user, plan_id, write=True, request=request
    )
    form = forms.VersionForm(request.POST)
    with refusal(request) as refused:
        if not form.is_valid():
            raise services.DevelopmentError("请求缺少版本号，请刷新页面后重试")
        version = form.cleaned_data["version"]
        if action == "approve":
            services.approve_plan(by=acting_user(request), plan=plan, version=version)
        elif action == "execute":
            services.execute_plan(by=acting_user(request), plan=plan, version=version)
        elif action in (PlanStatus.DRAFT, PlanStatus.CANCELLED):
            services.set_plan_status(
                by=acting_user(request), plan=plan, status=action, version=version
            )
        else:
            raise services.DevelopmentError("未知操作")
    if not refused:
        messages.success(request, "操作成功")
    return redirect("development:plan", plan_id=plan.pk)
