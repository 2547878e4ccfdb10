"""Public pages: file a report, follow it by receipt (TRUST.md C, G-AN1).

No login, no session, no CSRF cookie: the forms carry a signed one-time token with a random
nonce and no identity (docs/decisions/003-anonymous-intake.md). The views hand only form
values to the services, never the request, so nothing about the client is stored; the
responses are marked as already logged so that django.request does not log the request
object (which carries the client's headers) for refusals.
"""

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cadre.core.errors import Refused
from cadre.supervision import intake, throttle, uploads
from cadre.supervision.forms import IntakeForm, ReceiptForm, ReporterMessageForm, first_error
from cadre.supervision.rules import RuleError

FORM_SALT = "cadre.supervision.intake-form"
BUSY = "提交过于频繁，请稍后（约一分钟后）再试"
BAD_RECEIPT = "回执码不正确或不存在，请核对后重新输入"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response

    return login_not_required(csrf_exempt(wrapper))


def form_token() -> str:
    return signing.dumps(secrets.token_urlsafe(16), salt=FORM_SALT)


def read_form_token(token: str) -> str:
    max_age = getattr(settings, "CADRE_INTAKE_FORM_MAX_AGE", 2 * 3600)
    try:
        return str(signing.loads(token or "", salt=FORM_SALT, max_age=max_age))
    except signing.BadSignature as exc:
        raise RuleError("表单已过期或无效，请刷新页面后重新填写") from exc


def _intake_data(form: IntakeForm) -> intake.IntakeData:
    d = form.cleaned_data
    return intake.IntakeData(
        subject_unit_id=d["subject_unit"],
        subject_kind=d["subject_kind"],
        subject_name=d["subject_name"],
        subject_post=d["subject_post"],
        problem_kind=d["problem_kind"],
        title=d["title"],
        body=d["body"],
        anonymous=d["anonymous"],
        contact=d["contact"],
    )


def _form_page(
    request: HttpRequest, form: IntakeForm, token: str, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "token": token,
        "error": error,
        "max_mb": uploads.max_file_bytes() // (1024 * 1024),
        "max_files": uploads.max_files(),
    }
    return render(request, "supervision/public/report.html", context, status=status)


@public_page
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    units = intake.public_units()
    if request.method == "GET":
        return _form_page(request, IntakeForm(units=units), form_token())
    if uploads.body_too_large(request):
        msg = f"提交的内容超过大小上限（每个附件不超过{uploads.max_file_bytes() // 1048576} MB）"
        return _form_page(request, IntakeForm(units=units), form_token(), msg, 413)
    uploads.install_cap(request)
    token = request.POST.get("token", "")
    form = IntakeForm(request.POST, units=units)
    if not throttle.allowed(request, "submit"):
        return _form_page(request, form, token, BUSY, 429)
    throttle.hit(request, "submit")
    try:
        nonce = read_form_token(token)
        if not form.is_valid():
            raise RuleError(first_error(form))
        files = uploads.check_files(request, request.FILES.getlist("files"))
        report, receipt = intake.submit_public_report(
            data=_intake_data(form), files=files, submission_key=nonce
        )
    except Refused as exc:  # shown on the public page itself: no session, no messages
        return _form_page(request, form, token, str(exc), 400)
    return render(
        request, "supervision/public/receipt.html", {"receipt": receipt, "number": report.number}
    )


def _status_page(
    request: HttpRequest, report: Any, code: str, note: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    from cadre.supervision.rules import format_receipt

    context = {
        "status": intake.public_status(report),
        "receipt": format_receipt(code),
        "note": note,
        "error": error,
    }
    return render(request, "supervision/public/status.html", context, status=status)


def _lookup_page(request: HttpRequest, error: str, status: int) -> HttpResponse:
    return render(
        request,
        "supervision/public/lookup.html",
        {"form": ReceiptForm(), "error": error},
        status=status,
    )


@public_page
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _lookup_page(request, "", 200)
    if not throttle.allowed(request, "receipt"):
        return _lookup_page(request, BUSY, 429)
    report, code = intake.find_by_receipt(request.POST.get("receipt", ""))
    if report is None or code is None:
        throttle.hit(request, "receipt")
        return _lookup_page(request, BAD_RECEIPT, 404)
    return _status_page(request, report, code)


@public_page
@require_POST
def reply(request: HttpRequest) -> HttpResponse:
    if not throttle.allowed(request, "receipt"):
        return _lookup_page(request, BUSY, 429)
    form = ReporterMessageForm(request.POST)
    report, code = intake.find_by_receipt(request.POST.get("receipt", ""))
    if report is None or code is None:
        throttle.hit(request, "receipt")
        return _lookup_page(request, BAD_RECEIPT, 404)
    if not form.is_valid():
        return _status_page(request, report, code, error=first_error(form), status=400)
    try:
        intake.add_reporter_message(report=report, code=code, body=form.cleaned_data["body"])
    except Refused as exc:
        return _status_page(request, report, code, error=str(exc), status=400)
    return _status_page(request, report, code, note="留言已发送")
