"""Staff pages: inbox, reports, clues, cases and inspections.

Every record is reached through `visible_to` (lists) or `get_for_user` (single objects),
which add the conflict-of-interest exclusion to the org-unit scope. Actions are POST-only
and call one service each; a refusal re-renders the page with the Chinese message (400).
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accounts.access import get_object_for_user, has_role, require_role
from cadre.audit.services import record_view
from cadre.cadres.models import Cadre
from cadre.core.errors import refusal
from cadre.orgs.models import OrgUnit
from cadre.supervision import access, forms, intake, links, services, uploads
from cadre.supervision.models import (
    Case,
    CaseStatus,
    Clue,
    ClueStatus,
    Inspection,
    InspectionFinding,
    Report,
    ReportAttachment,
    ReporterContact,
    ReportMessage,
    ReportStatus,
)
from cadre.supervision.providers import follow_ups
from cadre.supervision.rules import RuleError

STAFF = ("discipline", "org_admin")
PAGE = 50


def _staff(request: HttpRequest) -> None:
    require_role(request.user, *STAFF)


def inbox(request: HttpRequest) -> HttpResponse:
    _staff(request)
    user = request.user
    reports = Report.objects.visible_to(user).open().select_related("subject_unit")
    clues = Clue.objects.visible_to(user).open().select_related("subject_unit")
    cases = Case.objects.visible_to(user).open()
    today = timezone.localdate()
    overdue = follow_ups().overdue_inquiries(user, today)
    context = {
        "reports": reports.order_by("accept_due_on", "id")[:PAGE],
        "clues": clues.order_by("due_on", "id")[:PAGE],
        "cases": cases.order_by("opened_on", "id")[:PAGE],
        "overdue_inquiries": overdue[:PAGE],
        "counts": {
            "reports": reports.count(),
            "clues": clues.count(),
            "cases": cases.count(),
            "inquiries": overdue.count(),
        },
        "today": today,
    }
    return render(request, "supervision/inbox.html", context)


# ---- reports -------------------------------------------------------------------------------


def report_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = Report.objects.visible_to(request.user).select_related("subject_unit", "handling_unit")
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/report_list.html",
        {"page": page, "status": status, "statuses": ReportStatus.choices},
    )


def _lookup_cadre(user: Any, cadre_id: int | None, request: HttpRequest) -> Cadre | None:
    if not cadre_id:
        return None
    return get_object_for_user(Cadre.objects, user, cadre_id, request=request)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """The upload cap must be installed before CSRF reads the body (Django's documented
    pattern: csrf_exempt outside, csrf_protect inside)."""
    _staff(request)
    if request.method == "POST":
        uploads.install_cap(request)
    return _report_new(request)


@csrf_protect
def _report_new(request: HttpRequest) -> HttpResponse:
    units = intake.public_units()
    form = forms.StaffIntakeForm(
        request.POST or None, units=units, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST":
        with refusal(request) as refused:
            if not form.is_valid():
                raise RuleError(forms.first_error(form))
            d = form.cleaned_data
            report = services.record_report(
                by=request.user,
                channel=d["channel"],
                received_on=d["received_on"],
                data=intake.IntakeData(
                    subject_unit_id=d["subject_unit"],
                    subject_kind=d["subject_kind"],
                    subject_name=d["subject_name"],
                    subject_post=d["subject_post"],
                    problem_kind=d["problem_kind"],
                    title=d["title"],
                    body=d["body"],
                    anonymous=d["anonymous"],
                    contact=d["contact"],
                ),
                files=uploads.check_files(request, request.FILES.getlist("files")),
                subject_cadre=_lookup_cadre(request.user, d.get("subject_cadre"), request),
            )
        if refused:
            return render(request, "supervision/report_new.html", {"form": form}, status=400)
        messages.success(request, f"已登记举报 {report.number}")
        return redirect("supervision:report", report_id=report.pk)
    return render(request, "supervision/report_new.html", {"form": form})


def _report_page(
    request: HttpRequest,
    report: Report,
    status: int = 200,
    contact: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    context = {
        "report": report,
        "attachments": ReportAttachment.objects.visible_to(user).filter(report=report),
        "report_messages": ReportMessage.objects.visible_to(user)
        .filter(report=report)
        .select_related("author"),
        "has_contact": ReporterContact.objects.visible_to(user).filter(report=report).exists(),
        "can_read_contact": has_role(user, "discipline"),
        "contact": contact,
        "clue": Clue.objects.visible_to(user).filter(report=report).first(),
        "accept_form": forms.AcceptForm(),
        "reason_form": forms.ReasonForm(),
        "message_form": forms.MessageForm(),
        "can_link": links.may_link(user, report.handling_unit),
        **(extra or {}),
    }
    return render(request, "supervision/report_detail.html", context, status=status)


def _report(request: HttpRequest, report_id: int, write: bool = False) -> Report:
    _staff(request)
    return access.get_report(request.user, report_id, write=write, request=request)


def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    record_view(user=request.user, obj=report, request=request)
    return _report_page(request, report)


def _run(
    request: HttpRequest,
    action: Callable[[], Any],
    ok: str,
    on_error: Callable[[], HttpResponse],
    done: Callable[[], HttpResponse],
) -> HttpResponse:
    with refusal(request) as refused:
        action()
    if refused:
        return on_error()
    messages.success(request, ok)
    return done()


def _report_action(
    request: HttpRequest,
    report_id: int,
    form_class: Any,
    call: Callable[[Report, dict[str, Any]], Any],
    ok: str,
) -> HttpResponse:
    report = _report(request, report_id, write=True)
    form = form_class(request.POST)

    def act() -> Any:
        if not form.is_valid():
            raise RuleError(forms.first_error(form))
        return call(report, form.cleaned_data)

    return _run(
        request,
        act,
        ok,
        lambda: _report_page(request, _report(request, report.pk), 400),
        lambda: redirect("supervision:report", report_id=report.pk),
    )


@require_POST
def report_accept(request: HttpRequest, report_id: int) -> HttpResponse:
    return _report_action(
        request,
        report_id,
        forms.AcceptForm,
        lambda r, d: services.accept_report(report=r, by=request.user, summary=d["summary"]),
        "已受理，转为问题线索",
    )


@require_POST
def report_reject(request: HttpRequest, report_id: int) -> HttpResponse:
    return _report_action(
        request,
        report_id,
        forms.ReasonForm,
        lambda r, d: services.reject_report(report=r, by=request.user, reason=d["reason"]),
        "已决定不予受理并告知举报人",
    )


@require_POST
def report_close(request: HttpRequest, report_id: int) -> HttpResponse:
    return _report_action(
        request,
        report_id,
        forms.ReasonForm,
        lambda r, d: services.close_report(report=r, by=request.user, result=d["reason"]),
        "已办结并告知举报人",
    )


@require_POST
def report_reply(request: HttpRequest, report_id: int) -> HttpResponse:
    return _report_action(
        request,
        report_id,
        forms.MessageForm,
        lambda r, d: services.reply_to_reporter(report=r, by=request.user, body=d["body"]),
        "答复已发送",
    )


@require_POST
def report_contact(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    form = forms.ReasonForm(request.POST)
    with refusal(request) as refused:
        if not form.is_valid():
            raise RuleError(forms.first_error(form))
        contact = services.reveal_contact(
            report=report, by=request.user, reason=form.cleaned_data["reason"], request=request
        )
    if refused:
        return _report_page(request, report, 400)
    return _report_page(request, report, contact=contact)


def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    _staff(request)
    att = access.get_attachment(request.user, attachment_id, request=request)
    data = services.download_attachment(attachment=att, by=request.user, request=request)
    response = HttpResponse(data, content_type=att.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(att.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- clues -------------------------------------------------------------------------------


def clue_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = Clue.objects.visible_to(request.user).select_related("subject_unit", "handling_unit")
    status = request.GET.get("status", "")
    if status in ClueStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/clue_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ClueStatus.choices,
            "today": timezone.localdate(),
        },
    )


def _clue(request: HttpRequest, clue_id: int, write: bool = False) -> Clue:
    _staff(request)
    return access.get_clue(request.user, clue_id, write=write, request=request)


def _clue_page(
    request: HttpRequest, clue: Clue, status: int = 200, extra: dict[str, Any] | None = None
) -> HttpResponse:
    context = {
        "clue": clue,
        "case": Case.objects.visible_to(request.user).filter(clue=clue).first(),
        "inquiries": follow_ups().clue_inquiries(request.user, clue),
        "propose_form": forms.ProposeForm(),
        "decide_form": forms.DecideForm(),
        "reason_form": forms.ReasonForm(),
        "can_link": links.may_link(request.user, clue.handling_unit),
        **(extra or {}),
    }
    return render(request, "supervision/clue_detail.html", context, status=status)


def clue_detail(request: HttpRequest, clue_id: int) -> HttpResponse:
    clue = _clue(request, clue_id)
    record_view(user=request.user, obj=clue, request=request)
    return _clue_page(request, clue)


def _clue_action(
    request: HttpRequest,
    clue_id: int,
    form_class: Any,
    call: Callable[[Clue, dict[str, Any]], Any],
    ok: str,
) -> HttpResponse:
    clue = _clue(request, clue_id, write=True)
    form = form_class(request.POST)

    def act() -> Any:
        if not form.is_valid():
            raise RuleError(forms.first_error(form))
        return call(clue, form.cleaned_data)

    return _run(
        request,
        act,
        ok,
        lambda: _clue_page(request, _clue(request, clue.pk), 400),
        lambda: redirect("supervision:clue", clue_id=clue.pk),
    )


@require_POST
def clue_propose(request: HttpRequest, clue_id: int) -> HttpResponse:
    return _clue_action(
        request,
        clue_id,
        forms.ProposeForm,
        lambda c, d: services.propose_disposal(
            clue=c, by=request.user, disposal=d["disposal"], reason=d["reason"]
        ),
        "处置意见已提交审批",
    )


@require_POST
def clue_decide(request: HttpRequest, clue_id: int) -> HttpResponse:
    return _clue_action(
        request,
        clue_id,
        forms.DecideForm,
        lambda c, d: services.decide_disposal(
            clue=c, by=request.user, approve=d["approve"], note=d["note"]
        ),
        "审批完成",
    )


@require_POST
def clue_reopen(request: HttpRequest, clue_id: int) -> HttpResponse:
    return _clue_action(
        request,
        clue_id,
        forms.ReasonForm,
        lambda c, d: services.reopen_clue(clue=c, by=request.user, reason=d["reason"]),
        "线索已重新进入待处置",
    )


@require_POST
def clue_conclude(request: HttpRequest, clue_id: int) -> HttpResponse:
    return _clue_action(
        request,
        clue_id,
        forms.ReasonForm,
        lambda c, d: services.conclude_clue(clue=c, by=request.user, conclusion=d["reason"]),
        "线索已了结",
    )


# ---- cases -------------------------------------------------------------------------------


def case_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = Case.objects.visible_to(request.user).select_related("handling_unit")
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/case_list.html",
        {"page": page, "status": status, "statuses": CaseStatus.choices},
    )


def _case(request: HttpRequest, case_id: int, write: bool = False) -> Case:
    _staff(request)
    return access.get_case(request.user, case_id, write=write, request=request)


def _case_page(request: HttpRequest, case: Case, status: int = 200) -> HttpResponse:
    user = request.user
    report = case.clue.report
    context = {
        "case": case,
        "subjects": case.subjects.select_related("cadre", "unit"),
        "facts": case.facts.select_related("author"),
        "evidence": case.evidence.select_related("author", "attachment"),
        "notes": case.notes.select_related("author"),
        "report": report,
        "report_messages": ReportMessage.objects.visible_to(user).filter(report=report)
        if report
        else [],
        "measures": follow_ups().case_measures(user, case),
        "subject_form": forms.SubjectForm(),
        "fact_form": forms.FactForm(),
        "evidence_form": forms.EvidenceForm(),
        "note_form": forms.NoteForm(),
        "advance_form": forms.AdvanceForm(),
        "message_form": forms.MessageForm(),
    }
    return render(request, "supervision/case_detail.html", context, status=status)


def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    record_view(user=request.user, obj=case, request=request)
    return _case_page(request, case)


def _case_action(
    request: HttpRequest,
    case_id: int,
    form_class: Any,
    call: Callable[[Case, dict[str, Any]], Any],
    ok: str,
) -> HttpResponse:
    case = _case(request, case_id, write=True)
    form = form_class(request.POST)

    def act() -> Any:
        if not form.is_valid():
            raise RuleError(forms.first_error(form))
        return call(case, form.cleaned_data)

    return _run(
        request,
        act,
        ok,
        lambda: _case_page(request, _case(request, case.pk), 400),
        lambda: redirect("supervision:case", case_id=case.pk),
    )


@require_POST
def case_subject(request: HttpRequest, case_id: int) -> HttpResponse:
    def call(case: Case, d: dict[str, Any]) -> Any:
        cadre = _lookup_cadre(request.user, d.get("cadre"), request)
        unit = (
            get_object_for_user(OrgUnit.objects, request.user, d["unit"], request=request)
            if d.get("unit")
            else None
        )
        return services.add_case_subject(
            case=case, by=request.user, cadre=cadre, unit=unit, responsibility=d["responsibility"]
        )

    return _case_action(request, case_id, forms.SubjectForm, call, "已添加当事人")


@require_POST
def case_fact(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        forms.FactForm,
        lambda c, d: services.add_case_fact(
            case=c, by=request.user, text=d["text"], established=d["established"]
        ),
        "已记录事实",
    )


@require_POST
def case_evidence(request: HttpRequest, case_id: int) -> HttpResponse:
    def call(case: Case, d: dict[str, Any]) -> Any:
        att = (
            access.get_attachment(request.user, d["attachment"], request=request)
            if d.get("attachment")
            else None
        )
        return services.add_case_evidence(
            case=case, by=request.user, kind=d["kind"], description=d["description"], attachment=att
        )

    return _case_action(request, case_id, forms.EvidenceForm, call, "已记录证据")


@require_POST
def case_note(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        forms.NoteForm,
        lambda c, d: services.add_case_note(case=c, by=request.user, text=d["text"]),
        "已添加内部备注",
    )


@require_POST
def case_advance(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        forms.AdvanceForm,
        lambda c, d: services.advance_case(
            case=c,
            by=request.user,
            target=d["target"],
            conclusion=d["conclusion"],
            conclusion_text=d["conclusion_text"],
        ),
        "案件环节已更新",
    )


@require_POST
def case_file(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        forms.FileForm,
        lambda c, d: services.file_case(case=c, by=request.user),
        "已立案审查调查",
    )


@require_POST
def case_message(request: HttpRequest, case_id: int) -> HttpResponse:
    def call(case: Case, d: dict[str, Any]) -> Any:
        if case.clue.report is None:
            raise RuleError("该案件不是由举报形成的，没有举报人")
        return services.reply_to_reporter(report=case.clue.report, by=request.user, body=d["body"])

    return _case_action(request, case_id, forms.MessageForm, call, "答复已发送给举报人")


# ---- inspections -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def inspection_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = forms.InspectionForm(request.POST or None)
    if request.method == "POST":
        with refusal(request) as refused:
            if not form.is_valid():
                raise RuleError(forms.first_error(form))
            d = form.cleaned_data
            unit = get_object_for_user(
                OrgUnit.objects, request.user, d["org_unit"], request=request
            )
            inspection = services.create_inspection(
                by=request.user,
                org_unit=unit,
                title=d["title"],
                mode=d["mode"],
                conducted_on=d["conducted_on"],
                team=d["team"],
                summary=d["summary"],
            )
        if not refused:
            return redirect("supervision:inspection", inspection_id=inspection.pk)
    qs = Inspection.objects.visible_to(request.user).select_related("org_unit")
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "supervision/inspection_list.html", {"page": page, "form": form}, status=status
    )


def _inspection_page(
    request: HttpRequest, inspection: Inspection, status: int = 200
) -> HttpResponse:
    findings = InspectionFinding.objects.visible_to(request.user).filter(inspection=inspection)
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "inspection": inspection,
            "findings": findings.select_related("subject_unit", "clue"),
            "form": forms.FindingForm(initial={"open_clue": True}),
        },
        status=status,
    )


def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    _staff(request)
    inspection = access.get_inspection(request.user, inspection_id, request=request)
    return _inspection_page(request, inspection)


@require_POST
def finding_add(request: HttpRequest, inspection_id: int) -> HttpResponse:
    _staff(request)
    inspection = access.get_inspection(request.user, inspection_id, write=True, request=request)
    form = forms.FindingForm(request.POST)

    def act() -> Any:
        if not form.is_valid():
            raise RuleError(forms.first_error(form))
        d = form.cleaned_data
        unit = get_object_for_user(
            OrgUnit.objects, request.user, d["subject_unit"], request=request
        )
        return services.record_finding(
            inspection=inspection,
            by=request.user,
            subject_unit=unit,
            subject_cadre=_lookup_cadre(request.user, d.get("subject_cadre"), request),
            problem_kind=d["problem_kind"],
            description=d["description"],
            open_clue=d["open_clue"],
        )

    return _run(
        request,
        act,
        "已记录发现问题",
        lambda: _inspection_page(request, inspection, 400),
        lambda: redirect("supervision:inspection", inspection_id=inspection.pk),
    )
