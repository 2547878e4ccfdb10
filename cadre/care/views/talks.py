"""Dashboard and talks (care pages)."""

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
    is_staff,
    own_cadre_id,
    require_role,
    require_staff,
)
from cadre.audit.services import record_export, record_view
from cadre.cadres.models import Cadre, LeadershipTeam
from cadre.care import forms, services
from cadre.care.models import (
    Difficulty,
    DifficultyStatus,
    HeartTalk,
    Oversight,
)
from cadre.care.views.common import CARE_ROLES, care_cadre, require_care_role
from cadre.core.errors import refusal
from cadre.core.excel import export_response
from cadre.development.views.common import (
    cadres_in,
    form_errors,
    scope_root,
    today,
    unit_param,
    year_param,
)
from cadre.orgs.models import OrgUnit


def dashboard(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    year = year_param(request)
    rows = services.coverage_by_unit(cadres_in(request), year, scope_root(request))
    if request.GET.get("format") == "xlsx":
        record_export(user=request.user, what="care.coverage", count=len(rows), request=request)
        return export_response(
            f"谈心谈话覆盖率_{year}.xlsx",
            "覆盖率",
            ["单位", "干部人数", "已谈话人数", "覆盖率(%)"],
            [[r["unit"], r["total"], r["talked"], r["share"]] for r in rows],
        )
    chart = {
        "categories": [r["unit"] for r in rows],
        "yNames": ["覆盖率%"],
        "series": [{"name": "谈心谈话覆盖率(%)", "data": [float(r["share"]) for r in rows]}],
    }
    open_difficulties = (
        Difficulty.objects.visible_to(request.user)
        .filter(status__in=[DifficultyStatus.OPEN, DifficultyStatus.ASSIGNED])
        .count()
    )
    return render(
        request,
        "care/dashboard.html",
        {
            "rows": rows,
            "year": year,
            "chart": chart,
            "unit": unit_param(request),
            "open_difficulties": open_difficulties,
            "total": sum(r["total"] for r in rows),
            "talked": sum(r["talked"] for r in rows),
        },
    )


def talks(request: HttpRequest) -> HttpResponse:
    if not (is_staff(request.user) or own_cadre_id(request.user)):
        raise PermissionDenied("您的角色无权访问此功能")
    form = forms.TalkForm(request.POST or None, initial={"held_on": today()})
    if request.method == "POST":
        require_care_role(request)
        if form.is_valid():
            data = form.cleaned_data
            talkee = care_cadre(request, data.pop("talkee"))
            talker = get_object_for_user(
                Cadre.objects, request.user, data.pop("talker"), request=request
            )
            with refusal(request) as refused:
                talk = services.record_talk(
                    by=acting_user(request), talker=talker, talkee=talkee, today=today(), **data
                )
            if not refused:
                messages.success(request, "谈话已记录")
                return redirect("care:talk", talk_id=talk.pk)
        else:
            messages.error(request, form_errors(form))
    year = year_param(request)
    qs = (
        HeartTalk.objects.visible_to(request.user)
        .filter(held_on__year=year)
        .select_related("talker", "talkee__org_unit")
    )
    unit = unit_param(request)
    if unit:
        qs = qs.filter(talkee__org_unit__path__startswith=unit.path)
    if request.GET.get("format") == "xlsx":
        rows = list(qs)
        record_export(user=request.user, what="care.talk", count=len(rows), request=request)
        return export_response(
            f"谈心谈话_{year}.xlsx",
            "谈心谈话",
            ["日期", "谈话人", "谈话对象", "单位", "类型", "触发事项", "跟进完成"],
            [
                [
                    t.held_on,
                    t.talker.name,
                    t.talkee.name,
                    t.talkee.org_unit.name,
                    t.get_kind_display(),
                    t.trigger,
                    t.follow_up_done_on,
                ]
                for t in rows
            ],
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "care/talks.html",
        {
            "page": page,
            "form": form,
            "year": year,
            "unit": unit,
            "can_edit": has_role(request.user, *CARE_ROLES),
        },
    )


def talk_detail(request: HttpRequest, talk_id: int) -> HttpResponse:
    talk = get_object_for_user(
        HeartTalk.objects.select_related("talker", "talkee__org_unit"),
        request.user,
        talk_id,
        request=request,
    )
    record_view(user=request.user, obj=talk, request=request)
    summary = (
        services.read_summary(user=request.user, talk=talk, request=request)
        if services.can_read_summary(request.user, talk)
        else None
    )
    can_edit = HeartTalk.objects.visible_to(request.user, write=True).filter(pk=talk.pk).exists()
    return render(
        request,
        "care/talk.html",
        {
            "talk": talk,
            "summary": summary,
            "can_edit": can_edit,
            "done_form": forms.FollowUpDoneForm(initial={"done_on": today()}),
            "difficulties": Difficulty.objects.visible_to(request.user).filter(talk=talk),
        },
    )


def talk_summary(request: HttpRequest, talk_id: int) -> HttpResponse:
    """The summary alone: refused (403, audited) for anyone not allowed to read it."""
    talk = get_object_for_user(
        HeartTalk.objects.select_related("talkee__org_unit"), request.user, talk_id, request=request
    )
    summary = services.read_summary(user=request.user, talk=talk, request=request)
    return render(request, "care/talk_summary.html", {"talk": talk, "summary": summary})


@require_POST
def talk_follow_up_done(request: HttpRequest, talk_id: int) -> HttpResponse:
    talk = get_object_for_user(
        HeartTalk.objects, request.user, talk_id, write=True, request=request
    )
    form = forms.FollowUpDoneForm(request.POST)
    with refusal(request):
        if not form.is_valid():
            raise services.CareError(form_errors(form))
        services.complete_talk_follow_up(by=acting_user(request), talk=talk, **form.cleaned_data)
    return redirect("care:talk", talk_id=talk.pk)


def must_talk(request: HttpRequest) -> HttpResponse:
    """必谈 pairs with no talk this year, over the leadership teams of units in scope."""
    require_staff(request.user)
    year = year_param(request)
    teams = LeadershipTeam.objects.visible_to(request.user)
    unit = unit_param(request)
    if unit:
        teams = teams.filter(org_unit__path__startswith=unit.path)
    rows = services.missing_must_talks(
        OrgUnit.objects.visible_to(request.user).filter(team__in=teams), year
    )
    if request.GET.get("format") == "xlsx":
        record_export(user=request.user, what="care.must_talk", count=len(rows), request=request)
        return export_response(
            f"必谈未谈_{year}.xlsx",
            "必谈未谈",
            ["类别", "一方", "另一方"],
            [[p.label, p.a_name, p.b_name] for p in rows],
        )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "care/must_talk.html",
        {"page": page, "year": year, "count": len(rows), "unit": unit},
    )


def talks_due(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    due = services.talks_due(cadres_in(request), today())
    names = dict(
        Cadre.objects.visible_to(request.user)
        .filter(pk__in={d.event.cadre_id for d in due})
        .values_list("id", "name")
    )
    rows = [(d, names[d.event.cadre_id]) for d in due if d.event.cadre_id in names]
    if request.GET.get("format") == "xlsx":
        record_export(user=request.user, what="care.talks_due", count=len(rows), request=request)
        return export_response(
            "应谈未谈.xlsx",
            "应谈未谈",
            ["干部", "事项", "发生日期", "应谈日期", "逾期"],
            [
                [name, d.event.label, d.event.on, d.due_on, "是" if d.overdue else ""]
                for d, name in rows
            ],
        )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "care/talks_due.html",
        {"page": page, "count": len(rows), "unit": unit_param(request)},
    )


def oversight(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = forms.OversightForm(request.POST or None, initial={"started_on": today()})
    if request.method == "POST":
        require_role(request.user, "org_admin")
        if form.is_valid():
            data = form.cleaned_data
            leader = get_object_for_user(
                Cadre.objects, request.user, data["leader"], request=request
            )
            unit = get_object_for_user(
                OrgUnit.objects, request.user, data["unit"], write=True, request=request
            )
            with refusal(request) as refused:
                services.assign_oversight(
                    by=acting_user(request), leader=leader, unit=unit, started_on=data["started_on"]
                )
            if not refused:
                return redirect("care:oversight")
        else:
            messages.error(request, form_errors(form))
    rows = (
        Oversight.objects.visible_to(request.user)
        .filter(ended_on__isnull=True)
        .select_related("leader__org_unit", "unit")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "care/oversight.html",
        {"page": page, "form": form, "can_edit": has_role(request.user, "org_admin")},
    )
