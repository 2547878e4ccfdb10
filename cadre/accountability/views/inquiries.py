"""函询 written inquiries (accountability pages)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accountability import access, forms, services
from cadre.accountability.models import (
    Measure,
    WrittenInquiry,
)
from cadre.accountability.views.common import PAGE, STAFF, _cadre, _run, _staff, _valid
from cadre.accounts.access import has_role, own_cadre_id
from cadre.audit.services import record_view
from cadre.supervision import access as supervision_access


def inquiry_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    today = timezone.localdate()
    qs = WrittenInquiry.objects.visible_to(request.user).select_related("cadre")
    if request.GET.get("overdue") == "1":
        qs = qs.overdue(today)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accountability/inquiry_list.html",
        {"page": page, "today": today, "overdue": request.GET.get("overdue") == "1"},
    )


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
    form = forms.InquiryForm(
        request.POST or None,
        initial={
            "sent_on": timezone.localdate(),
            "clue": request.GET.get("clue"),
            "cadre": request.GET.get("cadre"),
        },
    )
    if request.method == "GET":
        return render(request, "accountability/inquiry_new.html", {"form": form})

    def act() -> WrittenInquiry:
        d = _valid(form)
        clue = (
            supervision_access.get_clue(request.user, d["clue"], write=True, request=request)
            if d["clue"]
            else None
        )
        return services.send_inquiry(
            by=request.user,
            cadre=_cadre(request, d["cadre"]),
            clue=clue,
            issuing_body=d["issuing_body"],
            questions=d["questions"],
            sent_on=d["sent_on"],
        )

    return _run(
        request,
        act,
        "函询已登记发出",
        lambda: render(request, "accountability/inquiry_new.html", {"form": form}, status=400),
        lambda q: redirect("accountability:inquiry", inquiry_id=q.pk),
    )


def _inquiry_page(request: HttpRequest, inquiry: WrittenInquiry, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "inquiry": inquiry,
        "staff": has_role(request.user, *STAFF),
        "today": today,
        "own": own_cadre_id(request.user) == inquiry.cadre_id,
        "reply_form": forms.ReplyForm(initial={"replied_on": today, "signoff_on": today}),
        "close_form": forms.CloseInquiryForm(),
        "measures": Measure.objects.visible_to(request.user).filter(inquiry=inquiry),
    }
    return render(request, "accountability/inquiry_detail.html", context, status=status)


def inquiry_detail(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    inquiry = access.get_inquiry(request.user, inquiry_id, request=request)
    record_view(user=request.user, obj=inquiry, request=request)
    return _inquiry_page(request, inquiry)


def _inquiry_action(
    request: HttpRequest,
    inquiry_id: int,
    form_class: Any,
    call: Callable[[WrittenInquiry, dict[str, Any]], Any],
    ok: str,
    *,
    staff_only: bool = True,
) -> HttpResponse:
    if staff_only:
        _staff(request)
    # The cadre answers their own inquiry: read scope covers it; staff need write scope.
    inquiry = access.get_inquiry(request.user, inquiry_id, write=staff_only, request=request)
    form = form_class(request.POST) if form_class else None
    return _run(
        request,
        lambda: call(inquiry, _valid(form) if form else {}),
        ok,
        lambda: _inquiry_page(request, access.get_inquiry(request.user, inquiry.pk), 400),
        lambda _: redirect("accountability:inquiry", inquiry_id=inquiry.pk),
    )


@require_POST
def inquiry_reply(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    own = own_cadre_id(request.user) is not None and not has_role(request.user, *STAFF)
    return _inquiry_action(
        request,
        inquiry_id,
        forms.ReplyForm,
        lambda q, d: services.reply_inquiry(inquiry=q, by=request.user, **d),
        "回复已登记",
        staff_only=not own,
    )


@require_POST
def inquiry_close(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    return _inquiry_action(
        request,
        inquiry_id,
        forms.CloseInquiryForm,
        lambda q, d: services.close_inquiry(
            inquiry=q, by=request.user, outcome=d["outcome"], note=d["note"]
        ),
        "函询已办结",
    )


@require_POST
def inquiry_remind(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    return _inquiry_action(
        request,
        inquiry_id,
        None,
        lambda q, d: services.remind_inquiry(inquiry=q, by=request.user),
        "已催复",
    )
