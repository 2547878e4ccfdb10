"""Staff pages of the annual assessment (cycles, units, participants, disclosure comments) and
the cadre's own page. Thin: get through access helpers, call one service, render or redirect.
A refused action re-renders its page with the Chinese message and status 400 (409 for a
conflict); nothing is written.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadre.accounts.access import has_role, is_staff, require_role
from cadre.assessments import access, forms, pdf, rules
from cadre.assessments.models import (
    Cycle,
    Decision,
    DisclosureComment,
    EvaluationSession,
    Participant,
    PhaseStep,
    QuotaApproval,
    ReviewRequest,
    ReviewStatus,
    Stage,
)
from cadre.assessments.services import AssessmentError
from cadre.assessments.services import cycles as cycle_services
from cadre.assessments.services import decisions as decision_services
from cadre.assessments.services import disclosure as disclosure_services
from cadre.assessments.services import proposals as proposal_services
from cadre.assessments.services.compile import compile_evidence, live_many
from cadre.assessments.views import units as views_units
from cadre.audit.services import record_event, record_view
from cadre.core.errors import refusal
from cadre.orgs.models import OrgUnit

ADMIN = "org_admin"
PAGE = 100


def _admin(request: HttpRequest) -> None:
    require_role(request.user, ADMIN)


def attempt(
    request: HttpRequest,
    action: Callable[[], Any],
    ok: str,
    again: Callable[[], HttpResponse],
    done: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """Runs one service call; a refusal re-renders the page with the message (400 / 409)."""
    with refusal(request) as refused:
        result = action()
    if refused:
        response = again()
        response.status_code = refused.status
        return response
    messages.success(request, ok)
    return done(result)


def valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise AssessmentError(forms.first_error(form))
    return form.cleaned_data


# ---- cycles -----------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    if not is_staff(request.user):
        return redirect("assessments:mine")
    cycles = (
        Cycle.objects.visible_to(request.user)
        .select_related("scope_unit")
        .annotate(n=Count("participants"))
    )
    units = (
        OrgUnit.objects.visible_to(request.user, write=True).active()[:500]
        if has_role(request.user, ADMIN)
        else []
    )
    form = forms.CycleForm(
        units=units, initial={"year": timezone.localdate().year, "quota_pool": "unit"}
    )
    return render(
        request,
        "assessments/cycle_list.html",
        {"cycles": cycles, "form": form, "phases": rules.PHASE_LABELS},
    )


@require_POST
def cycle_new(request: HttpRequest) -> HttpResponse:
    _admin(request)
    units = OrgUnit.objects.visible_to(request.user, write=True).active()
    form = forms.CycleForm(request.POST, units=units)

    def action() -> Cycle:
        d = valid(form)
        unit = units.filter(pk=d["scope_unit"]).first()
        if unit is None:
            raise AssessmentError("考核范围单位不在您的管理范围内")
        return cycle_services.open_cycle(
            by=request.user,
            data=cycle_services.CycleInput(
                year=d["year"],
                kind=d["kind"],
                scope_unit=unit,
                title=d["title"],
                quota_pool=d["quota_pool"],
                disclose_summaries=d["disclose_summaries"],
                term_start_year=d["term_start_year"],
            ),
        )

    return attempt(
        request,
        action,
        "考核周期已建立，考核对象已按类别列入",
        lambda: home(request),
        lambda c: redirect("assessments:cycle", c.pk),
    )


def _unit_progress(cycle: Cycle, user: Any) -> list[dict[str, Any]]:
    """Per unit: how many participants stand at each stage (never a ranking of people)."""
    rows = (
        access.cycle_participants(user, cycle)
        .values("org_unit_id", "stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    units: dict[int, dict[str, Any]] = {}
    for r in rows:
        u = units.setdefault(
            r["org_unit_id"], {"id": r["org_unit_id"], "total": 0, "stages": defaultdict(int)}
        )
        u["total"] += r["n"]
        u["stages"][r["stage"]] += r["n"]
    meta = (
        OrgUnit.objects.visible_to(user)
        .filter(pk__in=list(units))
        .values_list("id", "name", "path")
    )
    order = {}
    for uid, name, path in meta:
        units[uid]["name"], order[uid] = name, path
    proposed_from = rules.STAGE_ORDER.index("proposed")
    decided_from = rules.STAGE_ORDER.index("decided")
    for u in units.values():
        u["proposed"] = sum(
            n for s, n in u["stages"].items() if rules.STAGE_ORDER.index(s) >= proposed_from
        )
        u["decided"] = sum(
            n for s, n in u["stages"].items() if rules.STAGE_ORDER.index(s) >= decided_from
        )
        u["stages"] = [(rules.STAGES[s], u["stages"].get(s, 0)) for s in rules.STAGE_ORDER]
    return sorted((u for u in units.values() if "name" in u), key=lambda u: order[u["id"]])


def _grade_chart(cycle: Cycle, user: Any) -> dict[str, Any]:
    """Counts by grade (proposed and decided): a distribution, not a list of people."""
    visible = access.cycle_participants(user, cycle)
    proposed: dict[str, int] = defaultdict(int)
    for grade, ungraded, n in (
        visible.values_list("proposed_grade")
        .annotate(u=Count("id", filter=~Q(ungraded_reason="")), n=Count("id"))
        .order_by()
    ):
        proposed[grade] += n
        proposed["ungraded"] += ungraded if not grade else 0
    decided = dict(
        Decision.objects.visible_to(user)
        .filter(participant__cycle=cycle)
        .exclude(final_grade="")
        .values_list("final_grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    labels = [rules.GRADE_LABELS[g] for g in rules.GRADES] + ["不定等次"]
    return {
        "labels": labels,
        "proposed": [proposed.get(g, 0) for g in rules.GRADES] + [proposed["ungraded"]],
        "decided": [decided.get(g, 0) for g in rules.GRADES] + [0],
    }


def cycle_dashboard(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access.get_cycle(request.user, cycle_id, request=request)
    if not is_staff(request.user):
        return redirect("assessments:mine")
    admin = (
        has_role(request.user, ADMIN)
        and Cycle.objects.visible_to(request.user, write=True).filter(pk=cycle.pk).exists()
    )
    steps = (
        PhaseStep.objects.visible_to(request.user).filter(cycle=cycle).select_related("entered_by")
    )
    nxt = next(iter(rules.TRANSITIONS[cycle.phase]), None)
    progress = cycle_services.progress(cycle) if admin else None
    # progress is there exactly when admin
    blockers = (
        rules.transition_blockers(cycle.phase, nxt, progress)
        if progress is not None and nxt
        else []
    )
    record_view(user=request.user, obj=cycle, request=request)
    context = {
        "cycle": cycle,
        "steps": steps,
        "next": nxt,
        "next_label": rules.PHASE_LABELS.get(nxt or "", ""),
        "blockers": blockers,
        "admin": admin,
        "units": _unit_progress(cycle, request.user),
        "chart": _grade_chart(cycle, request.user),
        "progress": progress,
        "plan_form": forms.PlanForm(),
        "phase_index": rules.PHASES.index(cycle.phase),
        "sessions": EvaluationSession.objects.visible_to(request.user)
        .filter(cycle=cycle)
        .select_related("org_unit"),
        "disclosure": getattr(cycle, "disclosure", None)
        if cycle.phase in (rules.DISCLOSURE, rules.DECISION, rules.REVIEW, rules.ARCHIVE)
        else None,
        **views_units.summary(request.user, cycle),
    }
    return render(request, "assessments/cycle_dashboard.html", context)


@require_POST
def cycle_advance(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access.get_cycle(request.user, cycle_id, write=True, request=request)
    target = request.POST.get("target", "")
    version = request.POST.get("version", "")
    return attempt(
        request,
        lambda: cycle_services.advance(
            cycle=cycle,
            by=request.user,
            target=target,
            version=int(version) if version.isdigit() else None,
        ),
        f"已进入“{rules.PHASE_LABELS.get(target, target)}”阶段",
        lambda: cycle_dashboard(request, cycle_id),
        lambda c: redirect("assessments:cycle", c.pk),
    )


@require_POST
def cycle_plan(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access.get_cycle(request.user, cycle_id, write=True, request=request)
    form = forms.PlanForm(request.POST)

    def action() -> Any:
        d = valid(form)
        return cycle_services.plan_phase(
            cycle=cycle, by=request.user, phase=d["phase"], start=d["start"], end=d["end"]
        )

    return attempt(
        request,
        action,
        "阶段计划已保存",
        lambda: cycle_dashboard(request, cycle_id),
        lambda _: redirect("assessments:cycle", cycle.pk),
    )


@require_POST
def cycle_compile(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access.get_cycle(request.user, cycle_id, write=True, request=request)
    return attempt(
        request,
        lambda: compile_evidence(cycle=cycle, by=request.user),
        "实绩证据已汇集",
        lambda: cycle_dashboard(request, cycle_id),
        lambda _: redirect("assessments:cycle", cycle.pk),
    )


def participants(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Where every cadre stands, filterable by unit and stage (ordered by unit and name)."""
    cycle = access.get_cycle(request.user, cycle_id, request=request)
    if not is_staff(request.user):
        return redirect("assessments:mine")
    qs = (
        Participant.objects.visible_to(request.user)
        .filter(cycle=cycle)
        .select_related("cadre", "org_unit")
        .order_by("org_unit__path", "cadre__name")
    )
    stage, unit = request.GET.get("stage", ""), request.GET.get("unit", "")
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if unit.isdigit():
        qs = qs.filter(org_unit_id=int(unit))
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    record_view(user=request.user, obj=cycle, request=request)
    return render(
        request,
        "assessments/participants.html",
        {"cycle": cycle, "page": page, "stage": stage, "unit": unit, "stages": Stage.choices},
    )


# ---- the unit's proposal page ----------------------------------------------------------


def unit_page(request: HttpRequest, cycle_id: int, unit_id: int) -> HttpResponse:
    cycle = access.get_cycle(request.user, cycle_id, request=request)
    unit = access.get_object_for_user(OrgUnit.objects, request.user, unit_id, request=request)
    if not is_staff(request.user):
        return redirect("assessments:mine")
    rows = list(
        Participant.objects.visible_to(request.user)
        .filter(cycle=cycle, org_unit=unit)
        .select_related("cadre", "quota_unit", "decision", "snapshot")
        .order_by("-is_leader", "cadre__name")
    )
    live = live_many(cycle, rows)  # the accountability part and 优秀, as they stand now
    quota_units = {p.quota_unit for p in rows}
    quotas = [proposal_services.quota_status(cycle, q) for q in quota_units]
    decided = [proposal_services.quota_status(cycle, q, decided=True) for q in quota_units]
    for p in rows:
        p.form = forms.ProposalForm(
            initial={
                "grade": p.proposed_grade,
                "evaluation_text": p.evaluation_text,
                "justice_note": p.justice_note,
                "version": p.version,
            }
        )
        p.decision_form = forms.DecisionForm(
            initial={"grade": p.proposed_grade, "version": p.version}
        )
        p.live = live.get(p.pk)
    record_view(user=request.user, obj=unit, request=request)
    return render(
        request,
        "assessments/unit_page.html",
        {
            "cycle": cycle,
            "unit": unit,
            "rows": rows,
            "quotas": quotas,
            "decided": decided,
            "can_propose": cycle.phase == rules.PROPOSAL,
            "can_decide": cycle.phase == rules.DECISION and has_role(request.user, ADMIN),
            "is_admin": has_role(request.user, ADMIN),
            "quota_form": forms.QuotaApprovalForm(),
            "approvals": QuotaApproval.objects.visible_to(request.user).filter(cycle=cycle),
        },
    )


@require_POST
def quota_approve(request: HttpRequest, cycle_id: int, unit_id: int) -> HttpResponse:
    cycle = access.get_cycle(request.user, cycle_id, write=True, request=request)
    unit = access.get_object_for_user(
        OrgUnit.objects, request.user, unit_id, write=True, request=request
    )
    form = forms.QuotaApprovalForm(request.POST)

    def action() -> Any:
        d = valid(form)
        return proposal_services.approve_quota(
            cycle=cycle,
            unit=unit,
            by=request.user,
            ratio=d["ratio"],
            reason=d["reason"],
            document=d["document"],
            approved_on=d["approved_on"],
        )

    return attempt(
        request,
        action,
        "提高优秀比例的批准已登记",
        lambda: unit_page(request, cycle_id, unit_id),
        lambda _: redirect("assessments:unit", cycle.pk, unit.pk),
    )


def _grade(value: str) -> str | None:
    return value or None


@require_POST
def propose(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access.get_participant(request.user, participant_id, write=True, request=request)
    form = forms.ProposalForm(request.POST)

    def action() -> Any:
        d = valid(form)
        return proposal_services.propose(
            participant=p,
            by=request.user,
            data=proposal_services.ProposalInput(
                _grade(d["grade"]), d["evaluation_text"], d["justice_note"], d["version"]
            ),
        )

    back = request.POST.get("back") == "unit"
    return attempt(
        request,
        action,
        f"已提出{p.cadre.name}的等次建议",
        lambda: (
            unit_page(request, p.cycle_id, p.org_unit_id)
            if back
            else participant_detail(request, p.pk)
        ),
        lambda _: (
            redirect("assessments:unit", p.cycle_id, p.org_unit_id)
            if back
            else redirect("assessments:participant", p.pk)
        ),
    )


@require_POST
def decide(request: HttpRequest, participant_id: int) -> HttpResponse:
    _admin(request)
    p = access.get_participant(request.user, participant_id, write=True, request=request)
    form = forms.DecisionForm(request.POST)

    def action() -> Any:
        d = valid(form)
        return decision_services.decide(
            participant=p,
            by=request.user,
            data=decision_services.DecisionInput(
                _grade(d["grade"]), d["version"], d["note"], d["decided_on"]
            ),
        )

    back = request.POST.get("back") == "unit"
    return attempt(
        request,
        action,
        f"已确定{p.cadre.name}的考核等次",
        lambda: (
            unit_page(request, p.cycle_id, p.org_unit_id)
            if back
            else participant_detail(request, p.pk)
        ),
        lambda _: (
            redirect("assessments:unit", p.cycle_id, p.org_unit_id)
            if back
            else redirect("assessments:participant", p.pk)
        ),
    )


# ---- one participant -------------------------------------------------------------------


def participant_detail(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = access.get_participant(request.user, participant_id, request=request)
    if not is_staff(request.user):
        return redirect("assessments:mine")
    decision = Decision.objects.visible_to(request.user).filter(participant=p).first()
    review = (
        ReviewRequest.objects.visible_to(request.user).filter(decision=decision).first()
        if decision
        else None
    )
    record_view(user=request.user, obj=p, request=request)
    return render(
        request,
        "assessments/participant.html",
        {
            "p": p,
            "live": live_many(p.cycle, [p]).get(p.pk),
            "cycle": p.cycle,
            "decision": decision,
            "review": review,
            "is_admin": has_role(request.user, ADMIN),
            "proposal_form": forms.ProposalForm(
                initial={
                    "grade": p.proposed_grade,
                    "evaluation_text": p.evaluation_text,
                    "justice_note": p.justice_note,
                    "version": p.version,
                }
            ),
            "facts_form": forms.FactsForm(
                initial={
                    "under_investigation": p.under_investigation,
                    "leave_days": p.leave_days,
                    "protected_from_dismissal": p.protected_from_dismissal,
                    "note": p.facts_note,
                    "version": p.version,
                }
            ),
            "decision_form": forms.DecisionForm(
                initial={"grade": p.proposed_grade, "version": p.version}
            ),
            "review_form": forms.ReviewDecisionForm(initial={"version": review.version})
            if review
            else None,
        },
    )


@require_POST
def facts(request: HttpRequest, participant_id: int) -> HttpResponse:
    _admin(request)
    p = access.get_participant(request.user, participant_id, write=True, request=request)
    form = forms.FactsForm(request.POST)

    def action() -> Any:
        d = valid(form)
        return cycle_services.record_facts(
            participant=p,
            by=request.user,
            under_investigation=d["under_investigation"],
            leave_days=d["leave_days"],
            protected_from_dismissal=d["protected_from_dismissal"],
            note=d["note"],
            version=d["version"],
        )

    return attempt(
        request,
        action,
        "考核情况记录已保存",
        lambda: participant_detail(request, p.pk),
        lambda _: redirect("assessments:participant", p.pk),
    )


@require_POST
def notify(request: HttpRequest, participant_id: int) -> HttpResponse:
    decision = access.get_decision(
        request.user, _decision_id(request, participant_id), write=True, request=request
    )
    return attempt(
        request,
        lambda: decision_services.notify(decision=decision, by=request.user),
        "已登记书面通知",
        lambda: participant_detail(request, participant_id),
        lambda _: redirect("assessments:participant", participant_id),
    )


def _decision_id(request: HttpRequest, participant_id: int) -> int:
    p = access.get_participant(request.user, participant_id, request=request)
    found = (
        Decision.objects.visible_to(request.user)
        .filter(participant=p)
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise access.not_found()
    return found


@require_POST
def review_decide(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access.get_review(request.user, review_id, write=True, request=request)
    pid = review.decision.participant_id
    form = forms.ReviewDecisionForm(request.POST)

    def action() -> Any:
        d = valid(form)
        return decision_services.decide_review(
            review=review,
            by=request.user,
            outcome=d["outcome"],
            text=d["text"],
            new_grade=_grade(d["new_grade"]),
            version=d["version"],
        )

    return attempt(
        request,
        action,
        "复核决定已作出",
        lambda: participant_detail(request, pid),
        lambda _: redirect("assessments:participant", pid),
    )


def _notice_context(request: HttpRequest, participant_id: int) -> dict[str, Any]:
    """What the written notification shows, HTML or PDF alike (404 out of scope)."""
    p = access.get_participant(request.user, participant_id, request=request)
    decision = (
        Decision.objects.visible_to(request.user)
        .filter(participant=p)
        .select_related("decided_by")
        .first()
    )
    if decision is None:
        raise access.not_found()
    review = ReviewRequest.objects.visible_to(request.user).filter(decision=decision).first()
    return {
        "p": p,
        "cadre": p.cadre,
        "decision": decision,
        "review": review,
        "grade": rules.grade_label(decision.final_grade or None),
        "deadline": rules.review_deadline(decision.notified_on) if decision.notified_on else None,
    }


def notice(request: HttpRequest, participant_id: int) -> HttpResponse:
    """The written notification, printable, in the layout of the 公务员年度考核登记表."""
    context = _notice_context(request, participant_id)
    record_view(user=request.user, obj=context["decision"], request=request)
    return render(request, "assessments/notice.html", context)


def notice_pdf(request: HttpRequest, participant_id: int) -> HttpResponse:
    """The same notification as a one-page A4 PDF, downloaded (audited as an export)."""
    context = _notice_context(request, participant_id)
    content = pdf.notice_pdf(context)
    record_event(
        actor=request.user,
        action="export",
        obj=context["decision"],
        request=request,
        detail={"format": "pdf", "bytes": len(content)},
    )
    p = context["p"]
    name = quote(f"{p.cycle.year}年度考核登记表-{p.cadre.name}.pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename=\"assessment-notice-{p.pk}.pdf\"; filename*=UTF-8''{name}"
    )
    return response


# ---- the cadre's own assessments --------------------------------------------------------


def mine(request: HttpRequest) -> HttpResponse:
    cadre_id = getattr(request.user, "cadre_id", None)
    rows = (
        list(
            Participant.objects.visible_to(request.user)
            .filter(cadre_id=cadre_id)
            .select_related("cycle", "org_unit")
            .order_by("-cycle__year", "-id")
        )
        if cadre_id
        else []
    )
    found = (
        {
            d.participant_id: d
            for d in Decision.objects.visible_to(request.user)
            .filter(participant__in=rows)
            .select_related("review")
        }
        if rows
        else {}
    )
    for p in rows:
        p.my_decision = found.get(p.pk)
        p.shown_grade = (
            rules.grade_label(p.my_decision.final_grade or None) if p.my_decision else ""
        )
    return render(
        request,
        "assessments/mine.html",
        {
            "rows": rows,
            "ack_form": forms.AcknowledgeForm(),
            "text_form": forms.TextForm(),
            "summaries": rules.SUMMARIES,
        },
    )


def _own(request: HttpRequest, participant_id: int) -> Participant:
    p = access.get_participant(request.user, participant_id, request=request)
    if p.cadre_id != getattr(request.user, "cadre_id", None):
        raise access.not_found()
    return p


@require_POST
def my_summary(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = _own(request, participant_id)
    return attempt(
        request,
        lambda: cycle_services.submit_summary(
            participant=p, by=request.user, text=request.POST.get("text", "")
        ),
        "个人总结已提交",
        lambda: mine(request),
        lambda _: redirect("assessments:mine"),
    )


@require_POST
def my_acknowledge(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = _own(request, participant_id)
    decision = Decision.objects.visible_to(request.user).filter(participant=p).first()
    if decision is None:
        raise access.not_found()
    form = forms.AcknowledgeForm(request.POST)

    def action() -> Any:
        d = valid(form)
        return decision_services.acknowledge(
            decision=decision, by=request.user, text=d["text"], waive_review=d["waive_review"]
        )

    return attempt(
        request,
        action,
        "已签收考核结果通知",
        lambda: mine(request),
        lambda _: redirect("assessments:mine"),
    )


@require_POST
def my_review(request: HttpRequest, participant_id: int) -> HttpResponse:
    p = _own(request, participant_id)
    decision = Decision.objects.visible_to(request.user).filter(participant=p).first()
    if decision is None:
        raise access.not_found()
    return attempt(
        request,
        lambda: decision_services.request_review(
            decision=decision, by=request.user, reason=request.POST.get("text", "")
        ),
        "复核申请已提交",
        lambda: mine(request),
        lambda _: redirect("assessments:mine"),
    )


# ---- disclosure comments (staff) --------------------------------------------------------


def disclosure_staff(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access.get_cycle(request.user, cycle_id, request=request)
    _admin(request)
    d = (
        getattr(cycle, "disclosure", None)
        if cycle.phase
        not in (
            rules.PREPARATION,
            rules.SUMMARIES,
            rules.DEMOCRATIC,
            rules.EVIDENCE,
            rules.PROPOSAL,
        )
        else None
    )
    comments = (
        DisclosureComment.objects.visible_to(request.user)
        .filter(disclosure__cycle=cycle)
        .order_by("id")
        if d
        else []
    )
    return render(
        request,
        "assessments/disclosure_staff.html",
        {
            "cycle": cycle,
            "d": d,
            "comments": comments,
            "open": disclosure_services.is_open(d) if d else False,
            "unanswered": sum(1 for c in comments if not c.responded_on),
        },
    )


@require_POST
def disclosure_answer(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = access.get_disclosure_comment(request.user, comment_id, write=True, request=request)
    cycle_id = comment.disclosure.cycle_id
    form = forms.TextForm(request.POST)

    def action() -> Any:
        d = valid(form)
        return disclosure_services.answer_comment(
            comment=comment, by=request.user, text=d["text"], version=d["version"] or 0
        )

    return attempt(
        request,
        action,
        "已书面答复",
        lambda: disclosure_staff(request, cycle_id),
        lambda _: redirect("assessments:disclosure", cycle_id),
    )


def reviews_pending(request: HttpRequest) -> HttpResponse:
    _admin(request)
    rows = (
        ReviewRequest.objects.visible_to(request.user)
        .filter(status=ReviewStatus.PENDING)
        .select_related("decision__participant__cadre", "decision__participant__cycle")
    )
    return render(request, "assessments/reviews.html", {"rows": rows})
