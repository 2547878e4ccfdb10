"""Democratic evaluation pages for the 组织部门: sessions, tokens (shown once), paper tallies,
results as distributions with participation rates (k-anonymity applied)."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadre.accounts.access import require_role
from cadre.assessments import access, forms, rules
from cadre.assessments.models import EvaluationSession, Participant, RaterCategory
from cadre.assessments.services import AssessmentError
from cadre.assessments.services import evaluation as services
from cadre.assessments.views.cycles import attempt, valid
from cadre.audit.services import record_view
from cadre.orgs.models import OrgUnit


def sessions(request: HttpRequest, cycle_id: int) -> HttpResponse:
    require_role(request.user, "org_admin")
    cycle = access.get_cycle(request.user, cycle_id, request=request)
    units = (
        OrgUnit.objects.visible_to(request.user, write=True)
        .filter(
            pk__in=Participant.objects.visible_to(request.user)
            .filter(cycle=cycle)
            .values("org_unit_id")
        )
        .order_by("path")
    )
    now = timezone.localtime()
    form = forms.SessionForm(
        units=units,
        initial={
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    rows = (
        EvaluationSession.objects.visible_to(request.user)
        .filter(cycle=cycle)
        .select_related("org_unit")
    )
    return render(
        request, "assessments/sessions.html", {"cycle": cycle, "rows": rows, "form": form}
    )


@require_POST
def session_new(request: HttpRequest, cycle_id: int) -> HttpResponse:
    require_role(request.user, "org_admin")
    cycle = access.get_cycle(request.user, cycle_id, write=True, request=request)
    units = OrgUnit.objects.visible_to(request.user, write=True)
    form = forms.SessionForm(request.POST, units=units)

    def action() -> Any:
        d = valid(form)
        unit = units.filter(pk=d["org_unit"]).first()
        if unit is None:
            raise AssessmentError("测评单位不在您的管理范围内")
        return services.create_session(
            cycle=cycle,
            by=request.user,
            org_unit=unit,
            title=d["title"],
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
            rates_team=d["rates_team"],
        )

    return attempt(
        request,
        action,
        "民主测评已安排",
        lambda: sessions(request, cycle_id),
        lambda s: redirect("assessments:session", s.pk),
    )


def _results(session: EvaluationSession) -> list[dict[str, Any]]:
    people = list(services.subjects(session).select_related("cadre").order_by("cadre__name"))
    views = services.views_for([p.pk for p in people])
    empty = rules.distribution_view({}, services.k_min(), rules.BALLOT_CHOICES)
    return [{"p": p, "view": views.get(p.pk, empty)} for p in people]


def session_detail(
    request: HttpRequest,
    session_id: int,
    issued: list[str] | None = None,
    issued_category: str = "",
) -> HttpResponse:
    session = access.get_session(request.user, session_id, request=request)
    turnout = services.turnout_by_session([session.pk])[session.pk]
    record_view(user=request.user, obj=session, request=request)
    return render(
        request,
        "assessments/session.html",
        {
            "s": session,
            "cycle": session.cycle,
            "results": _results(session),
            "team": services.team_view(session) if session.rates_team else None,
            "participation": rules.participation(turnout.issued, turnout.cast),
            "tokens_form": forms.TokensForm(),
            "turnout_form": forms.TurnoutForm(),
            "issued": issued or [],
            "issued_category": dict(RaterCategory.choices).get(issued_category, ""),
            "choices": rules.BALLOT_CHOICES,
            "team_choices": rules.TEAM_CHOICES,
            "categories": RaterCategory.choices,
            "k": services.k_min(),
            "open": not session.closed_at and timezone.now() <= session.closes_at,
        },
    )


@require_POST
def session_tokens(request: HttpRequest, session_id: int) -> HttpResponse:
    """Issues tokens and shows them once on this response (printed on slips); no redirect,
    so they are never in a URL, and the page is no-store like every page."""
    session = access.get_session(request.user, session_id, write=True, request=request)
    form = forms.TokensForm(request.POST)
    issued: list[str] = []

    def action() -> Any:
        d = valid(form)
        issued.extend(
            services.issue_tokens(
                session=session, by=request.user, category=d["category"], count=d["count"]
            )
        )
        return issued

    category = request.POST.get("category", "")
    return attempt(
        request,
        action,
        "凭证已生成，请立即打印分发；页面关闭后无法再次查看",
        lambda: session_detail(request, session_id),
        lambda _: session_detail(request, session_id, issued, category),
    )


@require_POST
def session_close(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.get_session(request.user, session_id, write=True, request=request)
    return attempt(
        request,
        lambda: services.close_session(session=session, by=request.user),
        "测评已结束",
        lambda: session_detail(request, session_id),
        lambda _: redirect("assessments:session", session_id),
    )


@require_POST
def session_turnout(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.get_session(request.user, session_id, write=True, request=request)
    form = forms.TurnoutForm(request.POST)

    def action() -> Any:
        d = valid(form)
        return services.record_turnout(
            session=session,
            by=request.user,
            category=d["category"],
            issued=d["issued"],
            returned=d["returned"],
        )

    return attempt(
        request,
        action,
        "纸质票发放回收情况已登记",
        lambda: session_detail(request, session_id),
        lambda _: redirect("assessments:session", session_id),
    )


def _count(value: str) -> int:
    value = (value or "0").strip()
    if not value.isdigit():
        raise AssessmentError("票数须为非负整数")
    return int(value)


@require_POST
def session_tally(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.get_session(request.user, session_id, write=True, request=request)
    category = request.POST.get("category", "")
    target = request.POST.get("participant", "")

    def action() -> Any:
        if category not in RaterCategory.values:
            raise AssessmentError("测评人类别须为上级、同级、下级或服务对象")
        participant = None
        if target != "team":
            participant = (
                services.subjects(session).filter(pk=int(target) if target.isdigit() else 0).first()
            )
            if participant is None:
                raise AssessmentError("该干部不在本次测评名单中")
        choices = rules.TEAM_CHOICES if participant is None else rules.BALLOT_CHOICES
        counts = {c: _count(request.POST.get(c, "0")) for c in choices}
        return services.record_tally(
            session=session,
            by=request.user,
            category=category,
            participant=participant,
            counts=counts,
        )

    return attempt(
        request,
        action,
        "纸质票统计已录入",
        lambda: session_detail(request, session_id),
        lambda _: redirect("assessments:session", session_id),
    )
