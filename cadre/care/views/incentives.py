"""Incentives (care pages)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cadre.accounts.access import (
    acting_user,
    get_object_for_user,
    has_role,
    require_role,
    require_staff,
)
from cadre.audit.services import record_export
from cadre.cadres.models import Cadre, Rank
from cadre.care import forms, rules, services
from cadre.care.models import (
    ExchangeMeeting,
    Exemplar,
    HonourKind,
    PeerComment,
    Presentation,
)
from cadre.care.views.common import CARE_ROLES, care_unit, require_care_role
from cadre.core.errors import refusal
from cadre.core.excel import export_response
from cadre.development.views.common import (
    cadres_in,
    form_errors,
    today,
    unit_param,
)
from cadre.orgs.models import OrgUnit


def exemplars(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    kinds = list(
        HonourKind.objects.visible_to(request.user).filter(is_active=True).values_list("id", "name")
    )
    form = forms.ExemplarForm(
        request.POST or None, kinds=kinds, initial={"year": today().year, "awarded_on": today()}
    )
    if request.method == "POST":
        require_role(request.user, "org_admin")
        if form.is_valid():
            data = form.cleaned_data
            cadre = get_object_for_user(
                Cadre.objects, request.user, data.pop("cadre"), write=True, request=request
            )
            kind = HonourKind.objects.visible_to(request.user).filter(pk=data.pop("kind")).first()
            if kind is None:
                raise Http404("未找到该记录")
            with refusal(request) as refused:
                services.award_exemplar(by=acting_user(request), cadre=cadre, kind=kind, **data)
            if not refused:
                messages.success(request, "已登记先进典型")
                return redirect("care:exemplars")
        else:
            messages.error(request, form_errors(form))
    qs = Exemplar.objects.visible_to(request.user).select_related("cadre__org_unit", "kind")
    if request.GET.get("format") == "xlsx":
        rows = list(qs)
        record_export(user=request.user, what="care.exemplar", count=len(rows), request=request)
        return export_response(
            "先进典型.xlsx",
            "先进典型",
            ["年度", "荣誉", "姓名", "单位", "授予日期", "先进事迹", "宣传情况"],
            [
                [
                    e.year,
                    e.kind.name,
                    e.cadre.name,
                    e.cadre.org_unit.name,
                    e.awarded_on,
                    e.citation,
                    e.publicity,
                ]
                for e in rows
            ],
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "care/exemplars.html",
        {
            "page": page,
            "form": form,
            "can_edit": has_role(request.user, "org_admin"),
            "kind_form": forms.HonourKindForm(),
            "kinds": kinds,
        },
    )


@require_POST
def honour_kind_new(request: HttpRequest) -> HttpResponse:
    require_role(request.user, "org_admin")
    form = forms.HonourKindForm(request.POST)
    with refusal(request):
        if not form.is_valid():
            raise services.CareError(form_errors(form))
        services.create_honour_kind(by=acting_user(request), **form.cleaned_data)
    return redirect("care:exemplars")


def rank_eligibility(request: HttpRequest) -> HttpResponse:
    """职务与职级并行: who is eligible for the next rank, per unit."""
    if not has_role(request.user, *CARE_ROLES):
        raise PermissionDenied("您的角色无权访问此功能")
    only = request.GET.get("only", "eligible")
    rows = services.rank_eligibility_for(cadres_in(request).exclude(rank=""), today())
    if only == "eligible":
        rows = [r for r in rows if r.result.eligible]
    rows.sort(key=lambda r: (r.unit, r.cadre_id))
    if request.GET.get("format") == "xlsx":
        record_export(
            user=request.user, what="care.rank_eligibility", count=len(rows), request=request
        )
        labels = dict(Rank.choices)
        return export_response(
            "职级晋升资格.xlsx",
            "职级晋升资格",
            [
                "单位",
                "干部编号",
                "姓名",
                "现职级",
                "拟晋升职级",
                "所需年限",
                "符合年限日期",
                "是否符合",
                "说明",
            ],
            [
                [
                    r.unit,
                    r.cadre_id,
                    r.name,
                    labels.get(r.rank, r.rank),
                    labels.get(r.result.next_rank or "", ""),
                    r.result.required_years,
                    r.result.eligible_on,
                    "是" if r.result.eligible else "否",
                    "；".join(r.result.reasons),
                ]
                for r in rows
            ],
        )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "care/rank.html",
        {
            "page": page,
            "count": len(rows),
            "only": only,
            "unit": unit_param(request),
            "labels": dict(Rank.choices),
            "can_edit": has_role(request.user, "org_admin"),
            "promote_form": forms.PromoteForm(initial={"effective_on": today()}),
        },
    )


@require_POST
def rank_promote(request: HttpRequest, cadre_id: int) -> HttpResponse:
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, write=True, request=request)
    form = forms.PromoteForm(request.POST)
    with refusal(request) as refused:
        if not form.is_valid():
            raise services.CareError(form_errors(form))
        services.promote_rank(by=acting_user(request), cadre=cadre, **form.cleaned_data)
    if not refused:
        messages.success(request, f"{cadre.name}职级已晋升")
    return redirect("care:rank")


def meetings(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST":
        require_role(request.user, "org_admin")
        if form.is_valid():
            data = form.cleaned_data
            unit = get_object_for_user(
                OrgUnit.objects, request.user, data.pop("org_unit"), write=True, request=request
            )
            with refusal(request) as refused:
                meeting = services.create_meeting(by=acting_user(request), org_unit=unit, **data)
            if not refused:
                return redirect("care:meeting", meeting_id=meeting.pk)
        else:
            messages.error(request, form_errors(form))
    qs = ExchangeMeeting.objects.visible_to(request.user).select_related("org_unit")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "care/meetings.html",
        {"page": page, "form": form, "can_edit": has_role(request.user, "org_admin")},
    )


def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_for_user(
        ExchangeMeeting.objects.select_related("org_unit"),
        request.user,
        meeting_id,
        request=request,
    )
    presentations = list(
        Presentation.objects.visible_to(request.user).filter(meeting=meeting).select_related("unit")
    )
    comments = list(
        PeerComment.objects.visible_to(request.user)
        .filter(presentation__meeting=meeting)
        .select_related("commenter_unit")
    )
    scores = rules.presentation_scores((c.presentation_id, c.score) for c in comments)
    rows = [
        (p, [c for c in comments if c.presentation_id == p.pk], scores.get(p.pk))
        for p in presentations
    ]
    rows.sort(key=lambda r: -(r[2][1] if r[2] else 0))
    if request.GET.get("format") == "xlsx":
        record_export(user=request.user, what="care.meeting", count=len(rows), request=request)
        return export_response(
            f"{meeting.title}.xlsx",
            "交流互评",
            ["展示单位", "交流材料", "工作成效", "互评数", "平均分"],
            [
                [p.unit.name, p.materials, p.results, s[0] if s else 0, s[1] if s else ""]
                for p, _, s in rows
            ],
        )
    return render(
        request,
        "care/meeting.html",
        {
            "meeting": meeting,
            "rows": rows,
            "can_edit": ExchangeMeeting.objects.visible_to(request.user, write=True)
            .filter(pk=meeting.pk)
            .exists(),
            "can_comment": has_role(request.user, *CARE_ROLES),
            "presentation_form": forms.PresentationForm(),
            "comment_form": forms.CommentForm(),
        },
    )


@require_POST
def meeting_present(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_for_user(
        ExchangeMeeting.objects, request.user, meeting_id, write=True, request=request
    )
    form = forms.PresentationForm(request.POST)
    with refusal(request):
        if not form.is_valid():
            raise services.CareError(form_errors(form))
        data = form.cleaned_data
        unit = get_object_for_user(OrgUnit.objects, request.user, data.pop("unit"), request=request)
        services.add_presentation(by=acting_user(request), meeting=meeting, unit=unit, **data)
    return redirect("care:meeting", meeting_id=meeting.pk)


@require_POST
def meeting_comment(request: HttpRequest, presentation_id: int) -> HttpResponse:
    require_care_role(request)
    presentation = get_object_for_user(
        Presentation.objects, request.user, presentation_id, request=request
    )
    form = forms.CommentForm(request.POST)
    with refusal(request):
        if not form.is_valid():
            raise services.CareError(form_errors(form))
        data = form.cleaned_data
        unit = care_unit(request, data.pop("commenter_unit"))
        services.add_peer_comment(
            by=acting_user(request), presentation=presentation, commenter_unit=unit, **data
        )
    return redirect("care:meeting", meeting_id=presentation.meeting_id)
