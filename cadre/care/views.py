"""Care and incentive pages: talks and coverage, visits, difficulties, exemplars, rank
eligibility, work exchange meetings."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cadre.accounts.access import get_object_for_user, has_role, require_role, user_scope
from cadre.audit.services import record_denied, record_export, record_view
from cadre.cadres.models import Cadre, LeadershipTeam
from cadre.care import forms, rules, services
from cadre.care.models import (
    Difficulty,
    DifficultySource,
    DifficultyStatus,
    ExchangeMeeting,
    Exemplar,
    HeartTalk,
    HonourKind,
    Oversight,
    PeerComment,
    Presentation,
    Visit,
)
from cadre.core.excel import export_response
from cadre.development.views_common import (
    cadres_in,
    form_errors,
    require_staff,
    scope_root,
    today,
    unit_param,
    year_param,
)
from cadre.orgs.models import OrgUnit

CARE_ROLES = ("org_admin", "unit_head")


def care_cadre(request: HttpRequest, pk: Any) -> Cadre:
    """A cadre the user may care for: visible, and an org_admin or unit_head grant over
    the cadre's unit. Anything else is 404, and the refusal is audited."""
    cadre = get_object_for_user(Cadre.objects.select_related("org_unit"), request.user, pk,
                                request=request)
    us = user_scope(request.user)
    if us.superuser or any(role in CARE_ROLES and cadre.org_unit.path.startswith(path)
                           for role, path in us.grants):
        return cadre
    record_denied(user=request.user, model=Cadre, object_id=pk, request=request)
    raise Http404("未找到该记录")


def care_unit(request: HttpRequest, pk: Any) -> OrgUnit:
    """A unit the user acts for with an org_admin or unit_head grant (else 404)."""
    unit = get_object_for_user(OrgUnit.objects, request.user, pk, request=request)
    us = user_scope(request.user)
    if us.superuser or any(role in CARE_ROLES and unit.path.startswith(path)
                           for role, path in us.grants):
        return unit
    record_denied(user=request.user, model=OrgUnit, object_id=pk, request=request)
    raise Http404("未找到该记录")


def require_care_role(request: HttpRequest) -> None:
    if not has_role(request.user, *CARE_ROLES):
        raise PermissionDenied("您的角色无权访问此功能")


# --- dashboard and talks ----------------------------------------------------------------------


def dashboard(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    year = year_param(request)
    rows = services.coverage_by_unit(cadres_in(request), year, scope_root(request))
    if request.GET.get("format") == "xlsx":
        record_export(user=request.user, what="care.coverage", count=len(rows), request=request)
        return export_response(f"谈心谈话覆盖率_{year}.xlsx", "覆盖率",
                               ["单位", "干部人数", "已谈话人数", "覆盖率(%)"],
                               [[r["unit"], r["total"], r["talked"], r["share"]] for r in rows])
    chart = {"categories": [r["unit"] for r in rows], "yNames": ["覆盖率%"],
             "series": [{"name": "谈心谈话覆盖率(%)", "data": [float(r["share"]) for r in rows]}]}
    open_difficulties = Difficulty.objects.visible_to(request.user).filter(
        status__in=[DifficultyStatus.OPEN, DifficultyStatus.ASSIGNED]).count()
    return render(request, "care/dashboard.html", {
        "rows": rows, "year": year, "chart": chart, "unit": unit_param(request),
        "open_difficulties": open_difficulties,
        "total": sum(r["total"] for r in rows), "talked": sum(r["talked"] for r in rows)})


def talks(request: HttpRequest) -> HttpResponse:
    us = user_scope(request.user)
    if not (us.grants or us.superuser or us.cadre_id):
        raise PermissionDenied("您的角色无权访问此功能")
    form = forms.TalkForm(request.POST or None, initial={"held_on": today()})
    if request.method == "POST":
        require_care_role(request)
        if form.is_valid():
            data = form.cleaned_data
            talkee = care_cadre(request, data.pop("talkee"))
            talker = get_object_for_user(Cadre.objects, request.user, data.pop("talker"),
                                         request=request)
            try:
                talk = services.record_talk(by=request.user, talker=talker, talkee=talkee,
                                            today=today(), **data)
            except services.CareError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "谈话已记录")
                return redirect("care:talk", talk_id=talk.pk)
        else:
            messages.error(request, form_errors(form))
    year = year_param(request)
    qs = HeartTalk.objects.visible_to(request.user).filter(held_on__year=year).select_related(
        "talker", "talkee__org_unit")
    unit = unit_param(request)
    if unit:
        qs = qs.filter(talkee__org_unit__path__startswith=unit.path)
    if request.GET.get("format") == "xlsx":
        rows = list(qs)
        record_export(user=request.user, what="care.talk", count=len(rows), request=request)
        return export_response(f"谈心谈话_{year}.xlsx", "谈心谈话",
                               ["日期", "谈话人", "谈话对象", "单位", "类型", "触发事项",
                                "跟进完成"],
                               [[t.held_on, t.talker.name, t.talkee.name, t.talkee.org_unit.name,
                                 t.get_kind_display(), t.trigger, t.follow_up_done_on]
                                for t in rows])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "care/talks.html", {
        "page": page, "form": form, "year": year, "unit": unit,
        "can_edit": has_role(request.user, *CARE_ROLES)})


def talk_detail(request: HttpRequest, talk_id: int) -> HttpResponse:
    talk = get_object_for_user(HeartTalk.objects.select_related("talker", "talkee__org_unit"),
                               request.user, talk_id, request=request)
    record_view(user=request.user, obj=talk, request=request)
    summary = (services.read_summary(user=request.user, talk=talk, request=request)
               if services.can_read_summary(request.user, talk) else None)
    can_edit = HeartTalk.objects.visible_to(request.user, write=True).filter(
        pk=talk.pk).exists()
    return render(request, "care/talk.html", {
        "talk": talk, "summary": summary, "can_edit": can_edit,
        "done_form": forms.FollowUpDoneForm(initial={"done_on": today()}),
        "difficulties": Difficulty.objects.visible_to(request.user).filter(talk=talk)})


def talk_summary(request: HttpRequest, talk_id: int) -> HttpResponse:
    """The summary alone: refused (403, audited) for anyone not allowed to read it."""
    talk = get_object_for_user(HeartTalk.objects.select_related("talkee__org_unit"),
                               request.user, talk_id, request=request)
    summary = services.read_summary(user=request.user, talk=talk, request=request)
    return render(request, "care/talk_summary.html", {"talk": talk, "summary": summary})


@require_POST
def talk_follow_up_done(request: HttpRequest, talk_id: int) -> HttpResponse:
    talk = get_object_for_user(HeartTalk.objects, request.user, talk_id, write=True,
                               request=request)
    form = forms.FollowUpDoneForm(request.POST)
    try:
        if not form.is_valid():
            raise services.CareError(form_errors(form))
        services.complete_talk_follow_up(by=request.user, talk=talk, **form.cleaned_data)
    except services.CareError as exc:
        messages.error(request, str(exc))
    return redirect("care:talk", talk_id=talk.pk)


def must_talk(request: HttpRequest) -> HttpResponse:
    """必谈 pairs with no talk this year, over the leadership teams of units in scope."""
    require_staff(request)
    year = year_param(request)
    teams = LeadershipTeam.objects.visible_to(request.user)
    unit = unit_param(request)
    if unit:
        teams = teams.filter(org_unit__path__startswith=unit.path)
    rows = services.missing_must_talks(
        OrgUnit.objects.visible_to(request.user).filter(team__in=teams), year)
    if request.GET.get("format") == "xlsx":
        record_export(user=request.user, what="care.must_talk", count=len(rows), request=request)
        return export_response(f"必谈未谈_{year}.xlsx", "必谈未谈", ["类别", "一方", "另一方"],
                               [[p.label, p.a_name, p.b_name] for p in rows])
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "care/must_talk.html", {"page": page, "year": year,
                                                   "count": len(rows), "unit": unit})


def talks_due(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    rows = services.talks_due(cadres_in(request), today())
    names = dict(Cadre.objects.visible_to(request.user).filter(
        pk__in={d.event.cadre_id for d in rows}).values_list("id", "name"))
    rows = [(d, names[d.event.cadre_id]) for d in rows if d.event.cadre_id in names]
    if request.GET.get("format") == "xlsx":
        record_export(user=request.user, what="care.talks_due", count=len(rows), request=request)
        return export_response("应谈未谈.xlsx", "应谈未谈",
                               ["干部", "事项", "发生日期", "应谈日期", "逾期"],
                               [[name, d.event.label, d.event.on, d.due_on,
                                 "是" if d.overdue else ""] for d, name in rows])
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "care/talks_due.html", {"page": page, "count": len(rows),
                                                   "unit": unit_param(request)})


def oversight(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    form = forms.OversightForm(request.POST or None, initial={"started_on": today()})
    if request.method == "POST":
        require_role(request.user, "org_admin")
        if form.is_valid():
            data = form.cleaned_data
            leader = get_object_for_user(Cadre.objects, request.user, data["leader"],
                                         request=request)
            unit = get_object_for_user(OrgUnit.objects, request.user, data["unit"], write=True,
                                       request=request)
            try:
                services.assign_oversight(by=request.user, leader=leader, unit=unit,
                                          started_on=data["started_on"])
            except services.CareError as exc:
                messages.error(request, str(exc))
            else:
                return redirect("care:oversight")
        else:
            messages.error(request, form_errors(form))
    rows = Oversight.objects.visible_to(request.user).filter(ended_on__isnull=True).select_related(
        "leader__org_unit", "unit")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "care/oversight.html", {"page": page, "form": form,
                                                   "can_edit": has_role(request.user,
                                                                        "org_admin")})


# --- visits and difficulties --------------------------------------------------------------


def visits(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    form = forms.VisitForm(request.POST or None, initial={"visited_on": today()})
    if request.method == "POST":
        require_care_role(request)
        if form.is_valid():
            data = form.cleaned_data
            cadre = care_cadre(request, data.pop("cadre"))
            try:
                services.record_visit(by=request.user, cadre=cadre, today=today(), **data)
            except services.CareError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "走访已记录")
                return redirect("care:visits")
        else:
            messages.error(request, form_errors(form))
    qs = Visit.objects.visible_to(request.user).select_related("cadre__org_unit")
    if request.GET.get("format") == "xlsx":
        rows = list(qs)
        record_export(user=request.user, what="care.visit", count=len(rows), request=request)
        return export_response("走访慰问.xlsx", "走访慰问",
                               ["日期", "对象", "单位", "事由", "走访人员"],
                               [[v.visited_on, v.cadre.name, v.cadre.org_unit.name,
                                 v.get_occasion_display(), v.visitors] for v in rows])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "care/visits.html", {"page": page, "form": form,
                                                "can_edit": has_role(request.user, *CARE_ROLES)})


def difficulties(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    form = forms.DifficultyForm(request.POST or None)
    if request.method == "POST":
        require_care_role(request)
        if form.is_valid():
            data = form.cleaned_data
            cadre = care_cadre(request, data.pop("cadre"))
            talk_id = data.pop("talk")
            talk = get_object_for_user(HeartTalk.objects, request.user, talk_id,
                                       request=request) if talk_id else None
            try:
                services.report_difficulty(by=request.user, cadre=cadre, on=today(), talk=talk,
                                           **data)
            except services.CareError as exc:
                messages.error(request, str(exc))
            else:
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
        record_export(user=request.user, what="care.difficulty", count=len(rows),
                      request=request)
        return export_response("实际困难.xlsx", "实际困难",
                               ["反映日期", "干部", "单位", "类别", "来源", "状态", "承办", "期限",
                                "办结日期"],
                               [[d.reported_on, d.cadre.name, d.cadre.org_unit.name, d.category,
                                 d.get_source_display(), d.get_status_display(), d.assignee,
                                 d.due_on, d.resolved_on] for d in rows])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "care/difficulties.html", {
        "page": page, "form": form, "status": status, "statuses": DifficultyStatus.choices,
        "can_edit": has_role(request.user, *CARE_ROLES)})


def difficulty_detail(request: HttpRequest, difficulty_id: int) -> HttpResponse:
    item = get_object_for_user(Difficulty.objects.select_related("cadre__org_unit", "talk"),
                               request.user, difficulty_id, request=request)
    form = forms.DifficultyMoveForm(request.POST or None, initial={"version": item.version})
    if request.method == "POST":
        item = get_object_for_user(Difficulty.objects, request.user, difficulty_id, write=True,
                                   request=request)
        try:
            if not form.is_valid():
                raise services.CareError(form_errors(form))
            services.move_difficulty(by=request.user, difficulty=item, on=today(),
                                     **form.cleaned_data)
        except services.CareError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已保存")
        return redirect("care:difficulty", difficulty_id=item.pk)
    record_view(user=request.user, obj=item, request=request)
    can_edit = Difficulty.objects.visible_to(request.user, write=True).filter(
        pk=item.pk).exists()
    return render(request, "care/difficulty.html", {"d": item, "form": form,
                                                    "can_edit": can_edit})


def my_difficulty(request: HttpRequest) -> HttpResponse:
    """A cadre reports their own difficulty (本人反映)."""
    cadre_id = request.user.cadre_id  # type: ignore[union-attr]
    if cadre_id is None:
        raise Http404("您的账号未关联干部档案")
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, request=request)
    form = forms.MyDifficultyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_difficulty(by=request.user, cadre=cadre, on=today(),
                                       source=DifficultySource.SELF, **form.cleaned_data)
        except services.CareError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已提交，组织上会及时联系您")
            return redirect("care:my_difficulty")
    mine = Difficulty.objects.visible_to(request.user).filter(cadre_id=cadre_id)
    return render(request, "care/my_difficulty.html", {"form": form, "mine": mine})


# --- incentives --------------------------------------------------------------------------------


def exemplars(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    kinds = list(HonourKind.objects.visible_to(request.user).filter(is_active=True)
                 .values_list("id", "name"))
    form = forms.ExemplarForm(request.POST or None, kinds=kinds,
                              initial={"year": today().year, "awarded_on": today()})
    if request.method == "POST":
        require_role(request.user, "org_admin")
        if form.is_valid():
            data = form.cleaned_data
            cadre = get_object_for_user(Cadre.objects, request.user, data.pop("cadre"),
                                        write=True, request=request)
            kind = HonourKind.objects.visible_to(request.user).filter(pk=data.pop("kind")).first()
            if kind is None:
                raise Http404("未找到该记录")
            try:
                services.award_exemplar(by=request.user, cadre=cadre, kind=kind, **data)
            except services.CareError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "已登记先进典型")
                return redirect("care:exemplars")
        else:
            messages.error(request, form_errors(form))
    qs = Exemplar.objects.visible_to(request.user).select_related("cadre__org_unit", "kind")
    if request.GET.get("format") == "xlsx":
        rows = list(qs)
        record_export(user=request.user, what="care.exemplar", count=len(rows), request=request)
        return export_response("先进典型.xlsx", "先进典型",
                               ["年度", "荣誉", "姓名", "单位", "授予日期", "先进事迹", "宣传情况"],
                               [[e.year, e.kind.name, e.cadre.name, e.cadre.org_unit.name,
                                 e.awarded_on, e.citation, e.publicity] for e in rows])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "care/exemplars.html", {
        "page": page, "form": form, "can_edit": has_role(request.user, "org_admin"),
        "kind_form": forms.HonourKindForm(), "kinds": kinds})


@require_POST
def honour_kind_new(request: HttpRequest) -> HttpResponse:
    require_role(request.user, "org_admin")
    form = forms.HonourKindForm(request.POST)
    try:
        if not form.is_valid():
            raise services.CareError(form_errors(form))
        services.create_honour_kind(by=request.user, **form.cleaned_data)
    except services.CareError as exc:
        messages.error(request, str(exc))
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
        record_export(user=request.user, what="care.rank_eligibility", count=len(rows),
                      request=request)
        labels = dict(Cadre._meta.get_field("rank").choices)
        return export_response("职级晋升资格.xlsx", "职级晋升资格",
                               ["单位", "干部编号", "姓名", "现职级", "拟晋升职级", "所需年限",
                                "符合年限日期", "是否符合", "说明"],
                               [[r.unit, r.cadre_id, r.name, labels.get(r.rank, r.rank),
                                 labels.get(r.result.next_rank or "", ""),
                                 r.result.required_years, r.result.eligible_on,
                                 "是" if r.result.eligible else "否",
                                 "；".join(r.result.reasons)] for r in rows])
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "care/rank.html", {
        "page": page, "count": len(rows), "only": only, "unit": unit_param(request),
        "labels": dict(Cadre._meta.get_field("rank").choices),
        "grades_available": rows[0].grades_available if rows else True,
        "blocks_available": rows[0].blocks_available if rows else True,
        "can_edit": has_role(request.user, "org_admin"),
        "promote_form": forms.PromoteForm(initial={"effective_on": today()})})


@require_POST
def rank_promote(request: HttpRequest, cadre_id: int) -> HttpResponse:
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, write=True,
                                request=request)
    form = forms.PromoteForm(request.POST)
    try:
        if not form.is_valid():
            raise services.CareError(form_errors(form))
        services.promote_rank(by=request.user, cadre=cadre, **form.cleaned_data)
    except services.CareError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{cadre.name}职级已晋升")
    return redirect("care:rank")


def meetings(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST":
        require_role(request.user, "org_admin")
        if form.is_valid():
            data = form.cleaned_data
            unit = get_object_for_user(OrgUnit.objects, request.user, data.pop("org_unit"),
                                       write=True, request=request)
            try:
                meeting = services.create_meeting(by=request.user, org_unit=unit, **data)
            except services.CareError as exc:
                messages.error(request, str(exc))
            else:
                return redirect("care:meeting", meeting_id=meeting.pk)
        else:
            messages.error(request, form_errors(form))
    qs = ExchangeMeeting.objects.visible_to(request.user).select_related("org_unit")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "care/meetings.html", {"page": page, "form": form,
                                                  "can_edit": has_role(request.user,
                                                                       "org_admin")})


def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_for_user(ExchangeMeeting.objects.select_related("org_unit"),
                                  request.user, meeting_id, request=request)
    presentations = list(Presentation.objects.visible_to(request.user).filter(
        meeting=meeting).select_related("unit"))
    comments = list(PeerComment.objects.visible_to(request.user).filter(
        presentation__meeting=meeting).select_related("commenter_unit"))
    scores = rules.presentation_scores((c.presentation_id, c.score) for c in comments)
    rows = [(p, [c for c in comments if c.presentation_id == p.pk], scores.get(p.pk))
            for p in presentations]
    rows.sort(key=lambda r: -(r[2][1] if r[2] else 0))
    if request.GET.get("format") == "xlsx":
        record_export(user=request.user, what="care.meeting", count=len(rows), request=request)
        return export_response(f"{meeting.title}.xlsx", "交流互评",
                               ["展示单位", "交流材料", "工作成效", "互评数", "平均分"],
                               [[p.unit.name, p.materials, p.results, s[0] if s else 0,
                                 s[1] if s else ""] for p, _, s in rows])
    return render(request, "care/meeting.html", {
        "meeting": meeting, "rows": rows,
        "can_edit": ExchangeMeeting.objects.visible_to(request.user, write=True).filter(
            pk=meeting.pk).exists(),
        "can_comment": has_role(request.user, *CARE_ROLES),
        "presentation_form": forms.PresentationForm(), "comment_form": forms.CommentForm()})


@require_POST
def meeting_present(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_for_user(ExchangeMeeting.objects, request.user, meeting_id, write=True,
                                  request=request)
    form = forms.PresentationForm(request.POST)
    try:
        if not form.is_valid():
            raise services.CareError(form_errors(form))
        data = form.cleaned_data
        unit = get_object_for_user(OrgUnit.objects, request.user, data.pop("unit"),
                                   request=request)
        services.add_presentation(by=request.user, meeting=meeting, unit=unit, **data)
    except services.CareError as exc:
        messages.error(request, str(exc))
    return redirect("care:meeting", meeting_id=meeting.pk)


@require_POST
def meeting_comment(request: HttpRequest, presentation_id: int) -> HttpResponse:
    require_care_role(request)
    presentation = get_object_for_user(Presentation.objects, request.user, presentation_id,
                                       request=request)
    form = forms.CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise services.CareError(form_errors(form))
        data = form.cleaned_data
        unit = care_unit(request, data.pop("commenter_unit"))
        services.add_peer_comment(by=request.user, presentation=presentation,
                                  commenter_unit=unit, **data)
    except services.CareError as exc:
        messages.error(request, str(exc))
    return redirect("care:meeting", meeting_id=presentation.meeting_id)
