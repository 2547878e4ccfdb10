"""Visits and difficulties (care pages)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cadre.accounts.access import (
    acting_user,
    get_object_for_user,
    has_role,
    require_staff,
)
from cadre.audit.services import record_export, record_view
from cadre.cadres.models import Cadre
from cadre.care import forms, services
from cadre.care.models import (
    Difficulty,
    DifficultySource,
    DifficultyStatus,
    HeartTalk,
    Visit,
)
from cadre.care.views.common import CARE_ROLES, care_cadre, require_care_role
from cadre.core.errors import refusal
from cadre.core.excel import export_response
from cadre.development.views.common import (
    form_errors,
    today,
)


def visits(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = forms.VisitForm(request.POST or None, initial={"visited_on": today()})
    if request.method == "POST":
        require_care_role(request)
        if form.is_valid():
            data = form.cleaned_data
            cadre = care_cadre(request, data.pop("cadre"))
            with refusal(request) as refused:
                services.record_visit(by=acting_user(request), cadre=cadre, today=today(), **data)
            if not refused:
                messages.success(request, "走访已记录")
                return redirect("care:visits")
        else:
            messages.error(request, form_errors(form))
    qs = Visit.objects.visible_to(request.user).select_related("cadre__org_unit")
    if request.GET.get("format") == "xlsx":
        rows = list(qs)
        record_export(user=request.user, what="care.visit", count=len(rows), request=request)
        return export_response(
            "走访慰问.xlsx",
            "走访慰问",
            ["日期", "对象", "单位", "事由", "走访人员"],
            [
                [
                    v.visited_on,
                    v.cadre.name,
                    v.cadre.org_unit.name,
                    v.get_occasion_display(),
                    v.visitors,
                ]
                for v in rows
            ],
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "care/visits.html",
        {"page": page, "form": form, "can_edit": has_role(request.user, *CARE_ROLES)},
    )


def difficulties(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = forms.DifficultyForm(request.POST or None)
    if request.method == "POST":
        require_care_role(request)
        if form.is_valid():
            data = form.cleaned_data
            cadre = care_cadre(request, data.pop("cadre"))
            talk_id = data.pop("talk")
            talk = (
                get_object_for_user(HeartTalk.objects, request.user, talk_id, request=request)
                if talk_id
                else None
            )
            with refusal(request) as refused:
                services.report_difficulty(
                    by=acting_user(request), cadre=cadre, on=today(), talk=talk, **data
                )
            if not refused:
                messages.success(request, "已登记")
                return redirect("care:difficulties")
        else:
            messages.error(request, form_errors(form))
    status = request.GET.get("status", "")
    qs = Difficulty.objects.visible_to(request.user).select_related("cadre__org_unit")
    if status in DifficultyStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("format") == "xlsx":
        rows = list(qs)
        record_export(user=request.user, what="care.difficulty", count=len(rows), request=request)
        return export_response(
            "实际困难.xlsx",
            "实际困难",
            ["反映日期", "干部", "单位", "类别", "来源", "状态", "承办", "期限", "办结日期"],
            [
                [
                    d.reported_on,
                    d.cadre.name,
                    d.cadre.org_unit.name,
                    d.category,
                    d.get_source_display(),
                    d.get_status_display(),
                    d.assignee,
                    d.due_on,
                    d.resolved_on,
                ]
                for d in rows
            ],
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "care/difficulties.html",
        {
            "page": page,
            "form": form,
            "status": status,
            "statuses": DifficultyStatus.choices,
            "can_edit": has_role(request.user, *CARE_ROLES),
        },
    )


def difficulty_detail(request: HttpRequest, difficulty_id: int) -> HttpResponse:
    item = get_object_for_user(
        Difficulty.objects.select_related("cadre__org_unit", "talk"),
        request.user,
        difficulty_id,
        request=request,
    )
    form = forms.DifficultyMoveForm(request.POST or None, initial={"version": item.version})
    if request.method == "POST":
        item = get_object_for_user(
            Difficulty.objects, request.user, difficulty_id, write=True, request=request
        )
        with refusal(request) as refused:
            if not form.is_valid():
                raise services.CareError(form_errors(form))
            services.move_difficulty(
                by=acting_user(request), difficulty=item, on=today(), **form.cleaned_data
            )
        if not refused:
            messages.success(request, "已保存")
        return redirect("care:difficulty", difficulty_id=item.pk)
    record_view(user=request.user, obj=item, request=request)
    can_edit = Difficulty.objects.visible_to(request.user, write=True).filter(pk=item.pk).exists()
    return render(request, "care/difficulty.html", {"d": item, "form": form, "can_edit": can_edit})


def my_difficulty(request: HttpRequest) -> HttpResponse:
    """A cadre reports their own difficulty (本人反映)."""
    cadre_id = request.user.cadre_id  # type: ignore[union-attr]
    if cadre_id is None:
        raise Http404("您的账号未关联干部档案")
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, request=request)
    form = forms.MyDifficultyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal(request) as refused:
            services.report_difficulty(
                by=acting_user(request),
                cadre=cadre,
                on=today(),
                source=DifficultySource.SELF,
                **form.cleaned_data,
            )
        if not refused:
            messages.success(request, "已提交，组织上会及时联系您")
            return redirect("care:my_difficulty")
    mine = Difficulty.objects.visible_to(request.user).filter(cadre_id=cadre_id)
    return render(request, "care/my_difficulty.html", {"form": form, "mine": mine})
