"""破格 (选拔任用条例 第八条): the request, the second person's approval, and the report of
every override in scope (with its Excel export)."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accounts.access import acting_user, get_object_for_user, has_role
from cadre.audit.services import record_export, record_view
from cadre.cadres.decisions import Decision
from cadre.cadres.models import Cadre
from cadre.core.errors import refusal
from cadre.core.excel import export_response
from cadre.eligibility import forms, services
from cadre.eligibility.models import Override, OverrideStatus
from cadre.eligibility.views.common import (
    PAGE_SIZE,
    WRITERS,
    cadre_choices,
    position_choices,
    require_reader,
    require_writer,
    today,
)
from cadre.orgs.models import Position

PROMOTION = Decision.PROMOTION.value


def _report_rows(request: HttpRequest) -> Any:
    qs = Override.objects.visible_to(request.user).select_related(
        "cadre__org_unit", "position__org_unit", "requested_by", "approved_by"
    )
    status = request.GET.get("status", "")
    return qs.filter(status=status) if status in OverrideStatus.values else qs


def blocks_text(item: Override) -> str:
    return "；".join(f"{b.get('reason', '')}（{b.get('source', '')}）" for b in (item.blocks or []))


def override_report(request: HttpRequest) -> HttpResponse:
    """Every override in scope: who asked, why, what it passed over, who approved, when."""
    require_reader(request)
    page = Paginator(_report_rows(request), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "eligibility/override_report.html",
        {
            "page": page,
            "form": forms.OverrideFilter(request.GET or None),
            "can_write": has_role(request.user, *WRITERS),
        },
    )


EXPORT_HEADERS = [
    "编号",
    "干部",
    "单位",
    "事项",
    "拟任职位",
    "破格理由",
    "申请时的限制",
    "申请人",
    "申请时间",
    "审批人",
    "审批时间",
    "审批意见",
    "使用时间",
    "状态",
]


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def override_export(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    rows = [
        [
            o.pk,
            o.cadre.name,
            o.cadre.org_unit.name,
            o.get_decision_display(),
            str(o.position) if o.position else "",
            o.reason,
            blocks_text(o),
            str(o.requested_by),
            _when(o.created_at),
            str(o.approved_by) if o.approved_by else "",
            _when(o.approved_at),
            o.approval_note,
            _when(o.used_at),
            o.get_status_display(),
        ]
        for o in _report_rows(request)
    ]
    record_export(user=request.user, what="eligibility.override", count=len(rows), request=request)
    return export_response(f"破格使用情况_{today():%Y%m%d}.xlsx", "破格", EXPORT_HEADERS, rows)


def _new_form(request: HttpRequest, data: Any = None) -> forms.OverrideForm:
    form = forms.OverrideForm(data, initial={"cadre": request.GET.get("cadre")})
    forms.choose(form, "cadre", cadre_choices(request), "请选择干部")
    forms.choose(form, "position", position_choices(request, leading_only=True), "（不指定职位）")
    return form


@require_http_methods(["GET", "POST"])
def override_new(request: HttpRequest) -> HttpResponse:
    require_writer(request)
    form = _new_form(request, request.POST or None)
    context = {"form": form, "decision": Decision.PROMOTION.label}
    if request.method == "GET" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "eligibility/override_new.html", context, status=status)
    d = form.cleaned_data
    cadre = get_object_for_user(
        Cadre.objects, request.user, d["cadre"], write=True, request=request
    )
    post = None
    if d["position"]:
        post = get_object_for_user(
            Position.objects, request.user, d["position"], write=True, request=request
        )
    with refusal(request, form) as refused:
        item = services.request_override(
            by=acting_user(request),
            cadre=cadre,
            decision=PROMOTION,
            on=today(),
            reason=d["reason"],
            position=post,
        )
    if refused:
        return render(request, "eligibility/override_new.html", context, status=refused.status)
    messages.success(request, "破格申请已提交，须由另一人审批")
    return redirect("eligibility:override", item_id=item.pk)


def _get(request: HttpRequest, item_id: int, write: bool = False) -> Override:
    return get_object_for_user(
        Override.objects.select_related(
            "cadre__org_unit", "position__org_unit", "requested_by", "approved_by"
        ),
        request.user,
        item_id,
        write=write,
        request=request,
    )


def _page(
    request: HttpRequest, item: Override, form: Any = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "eligibility/override_detail.html",
        {
            "item": item,
            "form": form or forms.ApproveForm(),
            "can_write": has_role(request.user, *WRITERS),
            "own": item.requested_by_id == request.user.pk,
        },
        status=status,
    )


def override_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    require_reader(request)
    item = _get(request, item_id)
    record_view(user=request.user, obj=item, request=request)
    return _page(request, item)


@require_POST
def override_approve(request: HttpRequest, item_id: int) -> HttpResponse:
    require_writer(request)
    item = _get(request, item_id, write=True)
    form = forms.ApproveForm(request.POST)
    if not form.is_valid():
        return _page(request, item, form, 400)
    with refusal(request, form) as refused:
        done = services.approve_override(
            by=acting_user(request),
            override=item,
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
        )
    if refused:
        return _page(request, _get(request, item_id), form, refused.status)
    messages.success(request, "已批准" if done.status == OverrideStatus.APPROVED else "已不予批准")
    return redirect("eligibility:override", item_id=item.pk)
