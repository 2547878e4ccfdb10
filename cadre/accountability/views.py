"""Staff pages for measures, 函询, archives, statistics and notices; the cadre's own view.

Lists start from `visible_to(user)`; single objects come through accountability.access. A
cadre user reaches only their own decided measures and inquiries (scope `cadre` lookup) and
never anything from supervision (pending clues are not theirs to see).
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accountability import access, forms, selectors, services, stats
from cadre.accountability.eligibility import eligibility, eligibility_rows
from cadre.accountability.models import (
    Measure,
    MeasureAppeal,
    MeasureKind,
    Notice,
    NoticeRead,
    NoticeStatus,
    Rectification,
    WrittenInquiry,
)
from cadre.accounts.access import get_object_for_user, has_role, require_role, user_scope
from cadre.audit.services import record_export, record_view
from cadre.cadres.models import Cadre
from cadre.core.excel import workbook_response, write_sheet
from cadre.orgs.models import OrgUnit
from cadre.supervision import access as supervision_access
from cadre.supervision.rules import RuleError

STAFF = ("org_admin", "discipline")
PAGE = 50


def _staff(request: HttpRequest) -> None:
    require_role(request.user, *STAFF)


def _run(request: HttpRequest, action: Callable[[], Any], ok: str,
         on_error: Callable[[], HttpResponse], done: Callable[[Any], HttpResponse]
         ) -> HttpResponse:
    try:
        result = action()
    except RuleError as exc:
        messages.error(request, str(exc))
        return on_error()
    messages.success(request, ok)
    return done(result)


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise RuleError(forms.first_error(form))
    return form.cleaned_data


# ---- measures -------------------------------------------------------------------------------


def measure_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = Measure.objects.visible_to(request.user).select_related("cadre", "unit_at_decision")
    kind = request.GET.get("kind", "")
    if kind in MeasureKind.values:
        qs = qs.filter(kind=kind)
    if request.GET.get("in_force") == "1":
        qs = qs.counting().filter(status="in_force")
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(request, "accountability/measure_list.html",
                  {"page": page, "kind": kind, "kinds": MeasureKind.choices})


def _cadre(request: HttpRequest, cadre_id: int | None) -> Cadre:
    return get_object_for_user(Cadre.objects.select_related("org_unit"), request.user, cadre_id,
                               request=request)


def _case(request: HttpRequest, case_id: int | None) -> Any:
    if not case_id:
        return None
    return supervision_access.get_case(request.user, case_id, request=request)


@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest) -> HttpResponse:
    _staff(request)
    initial = {"decided_on": timezone.localdate(), "effective_on": timezone.localdate(),
               "case": request.GET.get("case"), "cadre": request.GET.get("cadre")}
    form = forms.MeasureForm(request.POST or None, initial=initial)
    if request.method == "GET":
        return render(request, "accountability/measure_new.html", {"form": form})

    def act() -> Measure:
        d = _valid(form)
        rects = ((d["requirement"], d["requirement_due"]),) if d["requirement"] else ()
        if d["requirement"] and not d["requirement_due"]:
            raise RuleError("请填写整改期限")
        return services.record_measure(
            by=request.user, cadre=_cadre(request, d["cadre"]), case=_case(request, d["case"]),
            data=services.MeasureInput(
                kind=d["kind"], issuing_body=d["issuing_body"], decided_on=d["decided_on"],
                effective_on=d["effective_on"], facts=d["facts"], article=d["article"],
                probation_years=d["probation_years"], referral_to=d["referral_to"],
                combined_count=d["combined_count"] or 1, combined_months=d["combined_months"],
                rectifications=rects,
            ),
        )

    return _run(request, act, "处理措施已登记",
                lambda: render(request, "accountability/measure_new.html", {"form": form},
                               status=400),
                lambda m: redirect("accountability:measure", measure_id=m.pk))


def _measure_page(request: HttpRequest, measure: Measure, status: int = 200) -> HttpResponse:
    user = request.user
    staff = has_role(user, *STAFF)
    context = {
        "measure": measure, "staff": staff,
        "rectifications": Rectification.objects.visible_to(user).filter(measure=measure),
        "appeals": MeasureAppeal.objects.visible_to(user).filter(measure=measure),
        "replaced_by": Measure.objects.visible_to(user).filter(replaces=measure).first(),
        "end_form": forms.EndForm(initial={"ended_on": timezone.localdate()}),
        "rect_form": forms.RectificationForm(), "done_form": forms.RectificationDoneForm(
            initial={"done_on": timezone.localdate()}),
        "appeal_form": forms.AppealForm(initial={"filed_on": timezone.localdate()}),
        "decision_form": forms.AppealDecisionForm(initial={"decided_on": timezone.localdate()}),
    }
    return render(request, "accountability/measure_detail.html", context, status=status)


def measure_detail(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = access.get_measure(request.user, measure_id, request=request)
    record_view(user=request.user, obj=measure, request=request)
    return _measure_page(request, measure)


def _measure_action(request: HttpRequest, measure_id: int, form_class: Any,
                    call: Callable[[Measure, dict[str, Any]], Any], ok: str) -> HttpResponse:
    _staff(request)
    measure = access.get_measure(request.user, measure_id, write=True, request=request)
    form = form_class(request.POST)
    return _run(
        request, lambda: call(measure, _valid(form)), ok,
        lambda: _measure_page(request, access.get_measure(request.user, measure.pk), 400),
        lambda _: redirect("accountability:measure", measure_id=measure.pk),
    )


@require_POST
def measure_end(request: HttpRequest, measure_id: int) -> HttpResponse:
    return _measure_action(request, measure_id, forms.EndForm, lambda m, d: services.end_measure(
        measure=m, by=request.user, ended_on=d["ended_on"], note=d["note"]), "措施已结束")


@require_POST
def rectification_add(request: HttpRequest, measure_id: int) -> HttpResponse:
    return _measure_action(request, measure_id, forms.RectificationForm,
                           lambda m, d: services.add_rectification(
                               measure=m, by=request.user, requirement=d["requirement"],
                               due_on=d["due_on"]), "已增加整改要求")


@require_POST
def rectification_done(request: HttpRequest, rect_id: int) -> HttpResponse:
    _staff(request)
    rect = access.get_rectification(request.user, rect_id, request=request)
    return _measure_action(request, rect.measure_id, forms.RectificationDoneForm,
                           lambda m, d: services.complete_rectification(
                               rectification=rect, by=request.user, result=d["result"],
                               done_on=d["done_on"]), "整改已确认完成")


@require_POST
def appeal_file(request: HttpRequest, measure_id: int) -> HttpResponse:
    return _measure_action(request, measure_id, forms.AppealForm, lambda m, d: services.file_appeal(
        measure=m, by=request.user, kind=d["kind"], filed_on=d["filed_on"],
        reasons=d["reasons"]), "已登记申请（复审、复核期间不停止执行）")


@require_POST
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    _staff(request)
    appeal = access.get_appeal(request.user, appeal_id, request=request)
    return _measure_action(request, appeal.measure_id, forms.AppealDecisionForm,
                           lambda m, d: services.decide_appeal(
                               appeal=appeal, by=request.user, result=d["result"],
                               decided_on=d["decided_on"], text=d["text"],
                               replacement_kind=d["replacement_kind"]), "已登记决定")


# ---- 函询 -----------------------------------------------------------------------------------


def inquiry_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    today = timezone.localdate()
    qs = WrittenInquiry.objects.visible_to(request.user).select_related("cadre")
    if request.GET.get("overdue") == "1":
        qs = qs.overdue(today)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(request, "accountability/inquiry_list.html",
                  {"page": page, "today": today, "overdue": request.GET.get("overdue") == "1"})


@require_POST
def inquiry_remind_overdue(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = WrittenInquiry.objects.visible_to(request.user, write=True)
    count = services.remind_overdue(qs=qs, by=request.user, today=timezone.localdate())
    messages.success(request, f"已对 {count} 件逾期函询催复")
    return redirect("accountability:inquiries")


@require_http_methods(["GET", "POST"])
def inquiry_new(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = forms.InquiryForm(request.POST or None, initial={
        "sent_on": timezone.localdate(), "clue": request.GET.get("clue"),
        "cadre": request.GET.get("cadre"),
    })
    if request.method == "GET":
        return render(request, "accountability/inquiry_new.html", {"form": form})

    def act() -> WrittenInquiry:
        d = _valid(form)
        clue = supervision_access.get_clue(request.user, d["clue"], write=True,
                                           request=request) if d["clue"] else None
        return services.send_inquiry(
            by=request.user, cadre=_cadre(request, d["cadre"]), clue=clue,
            issuing_body=d["issuing_body"], questions=d["questions"], sent_on=d["sent_on"],
        )

    return _run(request, act, "函询已登记发出",
                lambda: render(request, "accountability/inquiry_new.html", {"form": form},
                               status=400),
                lambda q: redirect("accountability:inquiry", inquiry_id=q.pk))


def _inquiry_page(request: HttpRequest, inquiry: WrittenInquiry, status: int = 200
                  ) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "inquiry": inquiry, "staff": has_role(request.user, *STAFF), "today": today,
        "own": user_scope(request.user).cadre_id == inquiry.cadre_id,
        "reply_form": forms.ReplyForm(initial={"replied_on": today, "signoff_on": today}),
        "close_form": forms.CloseInquiryForm(),
        "measures": Measure.objects.visible_to(request.user).filter(inquiry=inquiry),
    }
    return render(request, "accountability/inquiry_detail.html", context, status=status)


def inquiry_detail(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    inquiry = access.get_inquiry(request.user, inquiry_id, request=request)
    record_view(user=request.user, obj=inquiry, request=request)
    return _inquiry_page(request, inquiry)


def _inquiry_action(request: HttpRequest, inquiry_id: int, form_class: Any,
                    call: Callable[[WrittenInquiry, dict[str, Any]], Any], ok: str,
                    *, staff_only: bool = True) -> HttpResponse:
    if staff_only:
        _staff(request)
    # The cadre answers their own inquiry: read scope covers it; staff need write scope.
    inquiry = access.get_inquiry(request.user, inquiry_id, write=staff_only, request=request)
    form = form_class(request.POST) if form_class else None
    return _run(
        request, lambda: call(inquiry, _valid(form) if form else {}), ok,
        lambda: _inquiry_page(request, access.get_inquiry(request.user, inquiry.pk), 400),
        lambda _: redirect("accountability:inquiry", inquiry_id=inquiry.pk),
    )


@require_POST
def inquiry_reply(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    own = user_scope(request.user).cadre_id is not None and not has_role(request.user, *STAFF)
    return _inquiry_action(request, inquiry_id, forms.ReplyForm,
                           lambda q, d: services.reply_inquiry(inquiry=q, by=request.user, **d),
                           "回复已登记", staff_only=not own)


@require_POST
def inquiry_close(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    return _inquiry_action(request, inquiry_id, forms.CloseInquiryForm,
                           lambda q, d: services.close_inquiry(
                               inquiry=q, by=request.user, outcome=d["outcome"], note=d["note"]),
                           "函询已办结")


@require_POST
def inquiry_remind(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    return _inquiry_action(request, inquiry_id, None,
                           lambda q, d: services.remind_inquiry(inquiry=q, by=request.user),
                           "已催复")


# ---- archive and eligibility ------------------------------------------------------------------


def _on(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def archive(request: HttpRequest, cadre_id: int) -> HttpResponse:
    """函询、诫勉档案 and the full measure history of one cadre, with eligibility today.
    Org and discipline staff in scope; the cadre sees their own (decided measures only)."""
    cadre = _cadre(request, cadre_id)
    own = user_scope(request.user).cadre_id == cadre.pk
    if not own:
        _staff(request)
    user = request.user
    measures = Measure.objects.visible_to(user).filter(cadre=cadre).select_related("replaces")
    on = _on(request)
    record_view(user=user, obj=cadre, request=request)
    context = {
        "cadre": cadre, "own": own, "on": on,
        "measures": measures,
        "admonishments": [m for m in measures if m.kind == "admonishment"],
        "inquiries": WrittenInquiry.objects.visible_to(user).filter(cadre=cadre),
        "eligibility_rows": eligibility_rows(eligibility(cadre.pk, on)),
    }
    return render(request, "accountability/archive.html", context)


def my_archive(request: HttpRequest) -> HttpResponse:
    cadre_id = user_scope(request.user).cadre_id
    if cadre_id is None:
        require_role(request.user, *STAFF)
        return redirect("accountability:measures")
    return redirect("accountability:archive", cadre_id=cadre_id)


# ---- statistics -------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


def statistics(request: HttpRequest) -> HttpResponse:
    _staff(request)
    year = _year(request)
    data = stats.measure_stats(Measure.objects.visible_to(request.user), year)
    years = range(timezone.localdate().year, timezone.localdate().year - 6, -1)
    return render(request, "accountability/statistics.html", {
        "stats": data, "year": year, "years": years, "chart": stats.chart_data(data),
    })


def statistics_export(request: HttpRequest) -> HttpResponse:
    _staff(request)
    year = _year(request)
    data = stats.measure_stats(Measure.objects.visible_to(request.user), year)
    import openpyxl

    wb = openpyxl.Workbook()
    write_sheet(wb, "按措施种类", ["处理措施", "件数"], data["by_kind"])
    write_sheet(wb, "四种形态", ["形态", "件数", "占比%"], data["by_form"])
    write_sheet(wb, "按单位", ["单位", "件数"], data["by_unit"])
    record_export(user=request.user, what="accountability.statistics", count=data["total"],
                  request=request)
    return workbook_response(wb, f"问责统计{year or '全部'}.xlsx")


# ---- notices ----------------------------------------------------------------------------------


def notice_list(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, *STAFF) and user_scope(request.user).cadre_id is None:
        require_role(request.user, *STAFF, "unit_head")
    qs = Notice.objects.visible_to(request.user).select_related("org_unit")
    if not has_role(request.user, *STAFF):
        qs = qs.filter(status=NoticeStatus.PUBLISHED)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    read = selectors.read_notice_ids(request.user)
    return render(request, "accountability/notice_list.html",
                  {"page": page, "read": read, "staff": has_role(request.user, *STAFF)})


@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest) -> HttpResponse:
    _staff(request)
    case = _case(request, int(request.GET["case"])) if request.GET.get("case", "").isdigit() \
        else None
    names = _case_names(case)
    form = forms.NoticeForm(request.POST or None, initial={
        "case": case.pk if case else None, "redact_names": "\n".join(names),
    })
    if request.method == "GET":
        return render(request, "accountability/notice_new.html", {"form": form})

    def act() -> Notice:
        d = _valid(form)
        unit = get_object_for_user(OrgUnit.objects, request.user, d["org_unit"], request=request)
        targets = [get_object_for_user(OrgUnit.objects, request.user, t, request=request)
                   for t in d["targets"]]
        return services.draft_notice(
            by=request.user, org_unit=unit, case=_case(request, d["case"]), targets=targets,
            data=services.NoticeInput(
                kind=d["kind"], visibility=d["visibility"], title=d["title"], body=d["body"],
                redact_names=forms.lines(d["redact_names"]),
                redact_terms=forms.lines(d["redact_terms"]),
            ),
        )

    return _run(request, act, "通报草稿已保存",
                lambda: render(request, "accountability/notice_new.html", {"form": form},
                               status=400),
                lambda n: redirect("accountability:notice", notice_id=n.pk))


def _case_names(case: Any) -> list[str]:
    if case is None:
        return []
    names = [s.cadre.name for s in case.subjects.select_related("cadre") if s.cadre]
    return sorted(set(names + ([case.clue.subject_name] if case.clue.subject_name else [])))


def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = access.get_notice(request.user, notice_id, request=request)
    manager = has_role(request.user, *STAFF) and Notice.objects.visible_to(
        request.user, write=True).filter(pk=notice.pk).exists()
    services.mark_read(notice=notice, user=request.user)
    record_view(user=request.user, obj=notice, request=request)
    reads = NoticeRead.objects.visible_to(request.user).filter(notice=notice) \
        .select_related("user") if manager else []
    return render(request, "accountability/notice_detail.html", {
        "notice": notice, "manager": manager, "reads": reads,
        "targets": notice.target_units.all(), "reason_form": forms.ReasonForm(),
    })


@require_POST
def notice_publish(request: HttpRequest, notice_id: int) -> HttpResponse:
    _staff(request)
    notice = access.get_notice(request.user, notice_id, write=True, request=request)
    return _run(request, lambda: services.publish_notice(notice=notice, by=request.user),
                "通报已发布", lambda: redirect("accountability:notice", notice_id=notice.pk),
                lambda _: redirect("accountability:notice", notice_id=notice.pk))


@require_POST
def notice_withdraw(request: HttpRequest, notice_id: int) -> HttpResponse:
    _staff(request)
    notice = access.get_notice(request.user, notice_id, write=True, request=request)
    form = forms.ReasonForm(request.POST)
    return _run(request, lambda: services.withdraw_notice(
        notice=notice, by=request.user, reason=_valid(form)["reason"]),
        "通报已撤回", lambda: redirect("accountability:notice", notice_id=notice.pk),
        lambda _: redirect("accountability:notice", notice_id=notice.pk))

