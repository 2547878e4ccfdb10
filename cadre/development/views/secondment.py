"""Secondment pages: lists (out now, ending soon, overdue reports), placement, reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cadre.accounts.access import (
    acting_user,
    get_object_for_user,
    has_role,
    require_role,
    require_staff,
)
from cadre.audit.services import record_export, record_view
from cadre.cadres.models import Cadre
from cadre.core.errors import refusal
from cadre.core.excel import export_response
from cadre.development import forms, services
from cadre.development.models import Placement, PlacementReport
from cadre.development.views.common import form_errors, today
from cadre.orgs.models import OrgUnit

LISTS = {"out": "在外挂职", "ending": "即将期满", "overdue": "报告逾期", "all": "全部"}


def placements(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    which = request.GET.get("list", "out")
    which = which if which in LISTS else "out"
    qs = Placement.objects.visible_to(request.user).select_related("cadre", "home_unit")
    on = today()
    overdue = {o.placement.pk: o.missing for o in services.overdue_reports(qs, on)}
    if which == "out":
        rows = services.out_now(qs, on)
    elif which == "ending":
        rows = services.ending_soon(qs, on)
    elif which == "overdue":
        rows = qs.filter(pk__in=list(overdue))
    else:
        rows = qs
    if request.GET.get("format") == "xlsx":
        data = list(rows)
        record_export(
            user=request.user, what="development.placement", count=len(data), request=request
        )
        return export_response(
            f"挂职干部_{LISTS[which]}.xlsx",
            LISTS[which],
            [
                "姓名",
                "人事关系所在单位",
                "挂职单位或项目",
                "挂任职务",
                "类别",
                "选派计划",
                "开始",
                "计划结束",
                "状态",
                "逾期报告期",
            ],
            [
                [
                    p.cadre.name,
                    p.home_unit.name,
                    p.host_name,
                    p.post_title,
                    p.get_kind_display(),
                    p.programme,
                    p.started_on,
                    p.planned_end_on,
                    p.get_status_display(),
                    "、".join(str(d) for d in overdue.get(p.pk, [])),
                ]
                for p in data
            ],
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    page.object_list = [(p, overdue.get(p.pk, [])) for p in page.object_list]
    return render(
        request,
        "development/placements.html",
        {
            "page": page,
            "which": which,
            "lists": LISTS,
            "overdue": overdue,
            "counts": {
                "out": services.out_now(qs, on).count(),
                "ending": services.ending_soon(qs, on).count(),
                "overdue": len(overdue),
            },
            "can_edit": has_role(request.user, "org_admin"),
        },
    )


def placement_new(request: HttpRequest) -> HttpResponse:
    require_role(request.user, "org_admin")
    form = forms.PlacementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cadre = get_object_for_user(
            Cadre.objects, request.user, data.pop("cadre"), write=True, request=request
        )
        host_id = data.pop("host_unit")
        host = (
            get_object_for_user(OrgUnit.objects, request.user, host_id, request=request)
            if host_id
            else None
        )
        with refusal(request) as refused:
            placement = services.create_placement(
                by=acting_user(request), cadre=cadre, host_unit=host, **data
            )
        if not refused:
            return redirect("development:placement", placement_id=placement.pk)
    elif request.method == "POST":
        messages.error(request, form_errors(form))
    return render(
        request,
        "development/form.html",
        {"form": form, "title": "登记挂职", "back": "development:placements"},
    )


def placement_detail(request: HttpRequest, placement_id: int) -> HttpResponse:
    placement = get_object_for_user(
        Placement.objects.select_related("cadre", "home_unit", "host_unit"),
        request.user,
        placement_id,
        request=request,
    )
    record_view(user=request.user, obj=placement, request=request)
    reports = PlacementReport.objects.visible_to(request.user).filter(placement=placement)
    overdue = services.overdue_reports(
        Placement.objects.visible_to(request.user).filter(pk=placement.pk), today()
    )
    is_self = request.user.cadre_id == placement.cadre_id  # type: ignore[union-attr]
    can_edit = (
        Placement.objects.visible_to(request.user, write=True).filter(pk=placement.pk).exists()
    )
    return render(
        request,
        "development/placement.html",
        {
            "p": placement,
            "reports": reports,
            "missing": overdue[0].missing if overdue else [],
            "report_form": forms.ReportForm() if (is_self or can_edit) else None,
            "eval_form": forms.HostEvaluationForm(initial={"version": placement.version}),
            "end_form": forms.EndForm(initial={"version": placement.version}),
            "cancel_form": forms.CancelForm(initial={"version": placement.version}),
            "can_edit": can_edit,
        },
    )


@require_POST
def placement_report(request: HttpRequest, placement_id: int) -> HttpResponse:
    placement = get_object_for_user(Placement.objects, request.user, placement_id, request=request)
    is_self = request.user.cadre_id == placement.cadre_id  # type: ignore[union-attr]
    if not is_self:
        placement = get_object_for_user(
            Placement.objects, request.user, placement_id, write=True, request=request
        )
    form = forms.ReportForm(request.POST)
    with refusal(request) as refused:
        if not form.is_valid():
            raise services.DevelopmentError(form_errors(form))
        services.submit_report(
            by=acting_user(request), placement=placement, on=today(), **form.cleaned_data
        )
    if not refused:
        messages.success(request, "报告已提交")
    return redirect("development:placement", placement_id=placement.pk)


def _write_action(
    request: HttpRequest, placement_id: int, form_class: type, action: str
) -> HttpResponse:
    placement = get_object_for_user(
        Placement.objects, request.user, placement_id, write=True, request=request
    )
    form = form_class(request.POST)
    with refusal(request) as refused:
        if not form.is_valid():
            raise services.DevelopmentError(form_errors(form))
        data = form.cleaned_data
        if action == "evaluate":
            services.evaluate_placement(
                by=acting_user(request), placement=placement, on=today(), **data
            )
        elif action == "end":
            services.end_placement(by=acting_user(request), placement=placement, **data)
        else:
            services.cancel_placement(by=acting_user(request), placement=placement, **data)
    if not refused:
        messages.success(request, "已保存")
    return redirect("development:placement", placement_id=placement.pk)


@require_POST
def placement_evaluate(request: HttpRequest, placement_id: int) -> HttpResponse:
    return _write_action(request, placement_id, forms.HostEvaluationForm, "evaluate")


@require_POST
def placement_end(request: HttpRequest, placement_id: int) -> HttpResponse:
    return _write_action(request, placement_id, forms.EndForm, "end")


@require_POST
def placement_cancel(request: HttpRequest, placement_id: int) -> HttpResponse:
    if not has_role(request.user, "org_admin"):
        raise PermissionDenied("您的角色无权访问此功能")
    return _write_action(request, placement_id, forms.CancelForm, "cancel")
