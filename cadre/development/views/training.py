"""Training pages: dashboard (hours by unit), catalogue, sessions, needs, follow-up, quality."""

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
from cadre.audit.services import record_export, record_view
from cadre.cadres.models import Cadre
from cadre.core.errors import refusal
from cadre.core.excel import export_response
from cadre.development import forms, rules, services
from cadre.development.models import (
    Enrolment,
    SessionStatus,
    TrainingProgramme,
    TrainingSession,
    TrainingTopic,
)
from cadre.development.views.common import (
    cadres_in,
    form_errors,
    posted_ids,
    scope_root,
    today,
    unit_param,
    year_param,
)
from cadre.orgs.models import OrgUnit


def dashboard(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    year = year_param(request)
    rows = services.hours_by_unit(cadres_in(request), year, scope_root(request))
    sessions = (
        TrainingSession.objects.visible_to(request.user)
        .filter(status=SessionStatus.OPEN)
        .select_related("programme")[:20]
    )
    chart = {
        "categories": [r["unit"] for r in rows],
        "yNames": ["学时", "达标率%"],
        "series": [
            {"name": "人均学时", "data": [float(r["mean"]) for r in rows]},
            {"name": "达标率(%)", "data": [r["share"] for r in rows], "type": "line", "axis": 1},
        ],
    }
    context = {
        "rows": rows,
        "year": year,
        "sessions": sessions,
        "chart": chart,
        "unit": unit_param(request),
        "required": services.base.setting_decimal(rules.YEARLY_HOURS.key),
    }
    return render(request, "development/dashboard.html", context)


def hours_export(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    year = year_param(request)
    rows = services.hours_by_unit(cadres_in(request), year, scope_root(request))
    record_export(user=request.user, what="development.hours", count=len(rows), request=request)
    return export_response(
        f"培训学时_{year}.xlsx",
        "培训学时",
        ["单位", "干部人数", "总学时", "人均学时", "达标人数", "达标率(%)"],
        [[r["unit"], r["cadres"], r["hours"], r["mean"], r["met"], r["share"]] for r in rows],
    )


# --- catalogue --------------------------------------------------------------------------------


def topics(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = forms.TopicForm(request.POST or None)
    if request.method == "POST":
        require_role(request.user, "org_admin")
        if form.is_valid():
            with refusal(request) as refused:
                services.create_topic(
                    by=acting_user(request),
                    name=form.cleaned_data["name"],
                    work_fields=form.cleaned_data["work_fields"],
                )
            if not refused:
                messages.success(request, "已添加专题")
                return redirect("development:topics")
        else:
            messages.error(request, form_errors(form))
    rows = TrainingTopic.objects.visible_to(request.user)
    return render(
        request,
        "development/topics.html",
        {"topics": rows, "form": form, "can_edit": has_role(request.user, "org_admin")},
    )


@require_POST
def topic_update(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = TrainingTopic.objects.visible_to(request.user, write=True).filter(pk=topic_id).first()
    if topic is None:
        raise Http404("未找到该记录")
    form = forms.TopicFieldsForm(request.POST)
    if form.is_valid():
        services.update_topic(by=acting_user(request), topic=topic, **form.cleaned_data)
        messages.success(request, "已保存")
    return redirect("development:topics")


def programmes(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    topic_choices = list(
        TrainingTopic.objects.visible_to(request.user)
        .filter(is_active=True)
        .values_list("id", "name")
    )
    form = forms.ProgrammeForm(request.POST or None, topics=topic_choices)
    if request.method == "POST":
        require_role(request.user, "org_admin")
        if form.is_valid():
            data = form.cleaned_data
            unit = get_object_for_user(
                OrgUnit.objects, request.user, data["org_unit"], write=True, request=request
            )
            chosen = TrainingTopic.objects.visible_to(request.user).filter(pk__in=data["topics"])
            with refusal(request) as refused:
                programme = services.create_programme(
                    by=acting_user(request),
                    name=data["name"],
                    kind=data["kind"],
                    topics=chosen,
                    trainer=data["trainer"],
                    org_unit=unit,
                    description=data["description"],
                )
            if not refused:
                return redirect("development:programme", programme_id=programme.pk)
        else:
            messages.error(request, form_errors(form))
    rows = (
        TrainingProgramme.objects.visible_to(request.user)
        .select_related("org_unit")
        .prefetch_related("topics")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "development/programmes.html",
        {"page": page, "form": form, "can_edit": has_role(request.user, "org_admin")},
    )


def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_object_for_user(
        TrainingProgramme.objects.select_related("org_unit"),
        request.user,
        programme_id,
        request=request,
    )
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST":
        programme = get_object_for_user(
            TrainingProgramme.objects, request.user, programme_id, write=True, request=request
        )
        if form.is_valid():
            with refusal(request) as refused:
                session = services.create_session(
                    by=acting_user(request), programme=programme, **form.cleaned_data
                )
            if not refused:
                return redirect("development:session", session_id=session.pk)
        else:
            messages.error(request, form_errors(form))
    sessions = TrainingSession.objects.visible_to(request.user).filter(programme=programme)
    quality = services.quality(
        TrainingProgramme.objects.visible_to(request.user).filter(pk=programme.pk)
    )
    return render(
        request,
        "development/programme.html",
        {
            "programme": programme,
            "sessions": sessions,
            "form": form,
            "quality": quality[0]["quality"] if quality else None,
            "can_edit": has_role(request.user, "org_admin"),
        },
    )


# --- sessions ----------------------------------------------------------------------------------


def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_for_user(
        TrainingSession.objects.select_related("programme"),
        request.user,
        session_id,
        request=request,
    )
    enrolments = (
        Enrolment.objects.visible_to(request.user)
        .filter(session=session)
        .select_related("cadre__org_unit")
        .prefetch_related("attendances")
    )
    record_view(user=request.user, obj=session, request=request)
    return render(
        request,
        "development/session.html",
        {
            "session": session,
            "enrolments": enrolments,
            "attendance_form": forms.AttendanceForm(),
            "result_form": forms.ResultForm(),
            "can_edit": has_role(request.user, "org_admin"),
        },
    )


def session_candidates(request: HttpRequest, session_id: int) -> HttpResponse:
    """Who needs what this session offers, by unit (to fill the session)."""
    require_staff(request.user)
    session = get_object_for_user(
        TrainingSession.objects.select_related("programme"),
        request.user,
        session_id,
        request=request,
    )
    rows = services.candidates_for_session(session, cadres_in(request), today())
    if request.GET.get("format") == "xlsx":
        record_export(
            user=request.user, what="development.candidates", count=len(rows), request=request
        )
        return export_response(
            "培训需求人选.xlsx",
            "需求人选",
            ["单位", "干部编号", "姓名", "现任职务", "培训需求"],
            [
                [r.unit, r.cadre_id, r.name, r.title, "；".join(n.text for n in r.needs)]
                for r in rows
            ],
        )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "development/candidates.html",
        {"session": session, "page": page, "count": len(rows), "unit": unit_param(request)},
    )


@require_POST
def enrol(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_for_user(
        TrainingSession.objects, request.user, session_id, request=request
    )
    with refusal(request) as refused:
        ids = posted_ids(request)
        cadres = [
            get_object_for_user(Cadre.objects, request.user, i, write=True, request=request)
            for i in ids
        ]
        services.enrol(by=acting_user(request), session=session, cadres=cadres)
    if not refused:
        messages.success(request, f"已报名{len(cadres)}人")
    return redirect("development:session", session_id=session.pk)


def _enrolment(request: HttpRequest, enrolment_id: int, write: bool = True) -> Enrolment:
    return get_object_for_user(
        Enrolment.objects.select_related("session", "cadre"),
        request.user,
        enrolment_id,
        write=write,
        request=request,
    )


@require_POST
def attendance(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment(request, enrolment_id)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        with refusal(request) as refused:
            services.record_attendance(
                by=acting_user(request), enrolment=enrolment, **form.cleaned_data
            )
        if not refused:
            messages.success(request, "已登记考勤")
    return redirect("development:session", session_id=enrolment.session_id)


@require_POST
def complete(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment(request, enrolment_id)
    form = forms.ResultForm(request.POST)
    with refusal(request):
        if not form.is_valid():
            raise services.DevelopmentError(form_errors(form))
        services.complete_enrolment(
            by=acting_user(request), enrolment=enrolment, result=form.cleaned_data["result"]
        )
    return redirect("development:session", session_id=enrolment.session_id)


@require_POST
def withdraw(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment(request, enrolment_id)
    with refusal(request):
        services.withdraw(by=acting_user(request), enrolment=enrolment)
    return redirect("development:session", session_id=enrolment.session_id)


@require_POST
def close(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_for_user(
        TrainingSession.objects, request.user, session_id, write=True, request=request
    )
    with refusal(request):
        services.close_session(by=acting_user(request), session=session)
    return redirect("development:session", session_id=session.pk)


# --- follow-up ---------------------------------------------------------------------------------


def evaluate(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The trainee evaluates their own session (跟踪反馈)."""
    enrolment = _enrolment(request, enrolment_id, write=False)
    if request.user.cadre_id != enrolment.cadre_id:  # type: ignore[union-attr]
        raise PermissionDenied("只有学员本人可以评估本次培训")
    form = forms.EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal(request) as refused:
            services.evaluate_session(
                by=acting_user(request), enrolment=enrolment, **form.cleaned_data
            )
        if not refused:
            messages.success(request, "感谢您的评估")
            return redirect("development:my")
    return render(
        request,
        "development/form.html",
        {"form": form, "title": f"培训评估：{enrolment.session}", "back": "development:my"},
    )


def follow_ups(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, "org_admin", "unit_head"):
        raise PermissionDenied("您的角色无权访问此功能")
    due = services.follow_ups_due(Enrolment.objects.visible_to(request.user), today())
    rows = due.select_related("cadre__org_unit", "session__programme").order_by("session__ends_on")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "development/follow_ups.html", {"page": page})


def follow_up(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The supervisor's follow-up, a set time after the session."""
    if not has_role(request.user, "org_admin", "unit_head"):
        raise PermissionDenied("您的角色无权访问此功能")
    enrolment = _enrolment(request, enrolment_id, write=False)
    form = forms.FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal(request) as refused:
            services.record_follow_up(
                by=acting_user(request), enrolment=enrolment, on=today(), **form.cleaned_data
            )
        if not refused:
            messages.success(request, "已记录跟踪回访")
            return redirect("development:follow_ups")
    return render(
        request,
        "development/form.html",
        {
            "form": form,
            "title": f"跟踪回访：{enrolment.cadre} · {enrolment.session}",
            "back": "development:follow_ups",
        },
    )


def needs(request: HttpRequest) -> HttpResponse:
    """Who needs what, by unit (干什么学什么、缺什么补什么)."""
    require_staff(request.user)
    code = request.GET.get("need", "")
    rows = services.needs_for(cadres_in(request), today())
    if code:
        rows = [r for r in rows if any(n.code == code for n in r.needs)]
    rows.sort(key=lambda r: (r.unit, r.cadre_id))
    if request.GET.get("format") == "xlsx":
        record_export(user=request.user, what="development.needs", count=len(rows), request=request)
        return export_response(
            "培训需求.xlsx",
            "培训需求",
            ["单位", "干部编号", "姓名", "现任职务", "培训需求", "依据"],
            [
                [
                    r.unit,
                    r.cadre_id,
                    r.name,
                    r.title,
                    "；".join(n.text for n in r.needs),
                    "；".join(sorted({n.source for n in r.needs})),
                ]
                for r in rows
            ],
        )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "development/needs.html",
        {"page": page, "count": len(rows), "need": code, "unit": unit_param(request)},
    )


def quality(request: HttpRequest) -> HttpResponse:
    """Programme quality from trainee evaluations and supervisor follow-ups."""
    require_staff(request.user)
    by = "trainer" if request.GET.get("by") == "trainer" else "programme"
    rows = services.quality(TrainingProgramme.objects.visible_to(request.user), by=by)
    if request.GET.get("format") == "xlsx":
        record_export(
            user=request.user, what="development.quality", count=len(rows), request=request
        )
        return export_response(
            "培训质量.xlsx",
            "培训质量",
            ["项目/教师", "学员数", "评估数", "学员评分", "回访数", "成果运用率", "运用效果"],
            [
                [
                    r["name"],
                    r["trainees"],
                    r["quality"].evaluations,
                    r["quality"].trainee_score,
                    r["quality"].follow_ups,
                    r["quality"].applied_share,
                    r["quality"].follow_up_score,
                ]
                for r in rows
            ],
        )
    return render(request, "development/quality.html", {"rows": rows, "by": by})


def my_development(request: HttpRequest) -> HttpResponse:
    """A cadre's own trainings, evaluations to give and secondment reports to file."""
    from cadre.development.models import Placement

    cadre_id = request.user.cadre_id  # type: ignore[union-attr]
    if cadre_id is None:
        raise Http404("您的账号未关联干部档案")
    enrolments = (
        Enrolment.objects.visible_to(request.user)
        .filter(cadre_id=cadre_id)
        .select_related("session__programme", "evaluation")
    )
    placements = Placement.objects.visible_to(request.user).filter(cadre_id=cadre_id)
    return render(
        request,
        "development/my.html",
        {
            "enrolments": enrolments,
            "placements": placements,
            "hours": services.training_hours([cadre_id], today().year)[cadre_id],
            "needs": services.needs_for(
                Cadre.objects.visible_to(request.user).filter(pk=cadre_id), today()
            ),
        },
    )
