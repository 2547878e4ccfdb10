"""Public pages under /public/: the survey by one-time link or token, the ballot by token,
the disclosure page with comments. No login, no session, no cookie; the views hand only form
values to the services, never the request, so nothing about the client (IP, user agent) is
stored (TRUST.md C, AN-07). Every form carries the one-time token or a signed form token
instead of a CSRF cookie.
"""

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cadre.assessments import rules
from cadre.assessments.services import AssessmentError
from cadre.assessments.services import disclosure as disclosures
from cadre.assessments.services import evaluation as ballots
from cadre.assessments.services import survey as surveys

FORM_SALT = "cadre.assessments.public-form"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        response._has_been_logged = True  # type: ignore[attr-defined]  # no request logging
        return response

    return login_not_required(csrf_exempt(wrapper))


def _error(
    request: HttpRequest, template: str, message: str, status: int = 400, **context: Any
) -> HttpResponse:
    return render(request, template, {"error": message, **context}, status=status)


# ---- satisfaction survey -----------------------------------------------------------------


def _survey_form(
    request: HttpRequest, token: str, error: str = "", status: int = 200
) -> HttpResponse:
    row, survey = surveys.token_survey(token)
    units = list(survey.units.select_related("org_unit").order_by("org_unit__path"))
    return render(
        request,
        "assessments/public/survey_form.html",
        {
            "token": token,
            "survey": survey,
            "tier": row.tier.name,
            "units": units,
            "dims": rules.SURVEY_DIMENSIONS,
            "ratings": sorted(rules.RATING_LABELS.items(), reverse=True),
            "error": error,
        },
        status=status,
    )


@public_page
@require_http_methods(["GET", "POST"])
def survey_start(request: HttpRequest) -> HttpResponse:
    """Enter a token from a slip or SMS (POST only, so it never sits in a URL)."""
    if request.method == "GET":
        return render(request, "assessments/public/token_entry.html", {"kind": "survey"})
    token = request.POST.get("token", "")
    try:
        return _survey_form(request, token)
    except AssessmentError as exc:
        return _error(request, "assessments/public/token_entry.html", str(exc), kind="survey")


@public_page
@require_http_methods(["GET"])
def survey_link(request: HttpRequest, token: str) -> HttpResponse:
    """A one-time link: valid until used; the page sends no referrer and is not cached."""
    try:
        return _survey_form(request, token)
    except AssessmentError as exc:
        return _error(request, "assessments/public/token_entry.html", str(exc), kind="survey")


def _answers(request: HttpRequest, unit_ids: list[int]) -> dict[int, surveys.Answer]:
    answers = {}
    for uid in unit_ids:
        values = {k: request.POST.get(f"u{uid}_{k}", "") for k in rules.SURVEY_DIMENSIONS}
        comment = request.POST.get(f"u{uid}_comment", "")
        if not any(values.values()) and not comment.strip():
            continue  # 不了解: the rater may skip a unit
        try:
            ratings = {k: int(v) for k, v in values.items()}
        except ValueError:
            raise AssessmentError("请对所评单位的三个方面都选择评分（1至5星）") from None
        answers[uid] = surveys.Answer(ratings, comment)
    return answers


@public_page
@require_POST
def survey_submit(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    try:
        _, survey = surveys.token_survey(token)
        unit_ids = list(survey.units.values_list("id", flat=True))
        n = surveys.submit_answers(token=token, answers=_answers(request, unit_ids))
    except AssessmentError as exc:
        try:
            return _survey_form(request, token, str(exc), 400)
        except AssessmentError:
            return _error(request, "assessments/public/token_entry.html", str(exc), kind="survey")
    return render(
        request,
        "assessments/public/done.html",
        {"title": "评议已提交", "text": f"感谢您的参与，已对{n}个单位作出评价。该链接已失效。"},
    )


@public_page
@require_http_methods(["GET"])
def survey_report(request: HttpRequest, survey_id: int) -> HttpResponse:
    s = surveys.published_survey(survey_id)
    if s is None:
        raise Http404("未找到该报告")
    return render(request, "assessments/public/survey_report.html", {"s": s})


# ---- democratic evaluation ballot --------------------------------------------------------


def _ballot_form(
    request: HttpRequest, token: str, error: str = "", status: int = 200
) -> HttpResponse:
    row, session = ballots.token_session(token)
    people = list(ballots.subjects(session).select_related("cadre").order_by("cadre__name"))
    return render(
        request,
        "assessments/public/ballot_form.html",
        {
            "token": token,
            "session": session,
            "people": people,
            "category": row.get_category_display(),
            "choices": rules.BALLOT_CHOICES.items(),
            "team_choices": rules.TEAM_CHOICES.items(),
            "error": error,
        },
        status=status,
    )


@public_page
@require_http_methods(["GET", "POST"])
def ballot_start(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "assessments/public/token_entry.html", {"kind": "ballot"})
    token = request.POST.get("token", "")
    try:
        return _ballot_form(request, token)
    except AssessmentError as exc:
        return _error(request, "assessments/public/token_entry.html", str(exc), kind="ballot")


@public_page
@require_POST
def ballot_submit(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    choices: dict[int, str] = {}
    for key in request.POST:
        if key.startswith("p") and key[1:].isdigit():
            choices[int(key[1:])] = request.POST[key]  # the last value, as items() gives
    try:
        ballots.cast_ballot(
            token=token, choices=choices, team_choice=request.POST.get("team") or None
        )
    except AssessmentError as exc:
        try:
            return _ballot_form(request, token, str(exc), 400)
        except AssessmentError:
            return _error(request, "assessments/public/token_entry.html", str(exc), kind="ballot")
    return render(
        request,
        "assessments/public/done.html",
        {"title": "测评票已提交", "text": "感谢您的参与。您的投票以匿名方式计入，凭证已失效。"},
    )


# ---- public disclosure -----------------------------------------------------------------


def form_token() -> str:
    return signing.dumps(secrets.token_urlsafe(12), salt=FORM_SALT)


def _check_form_token(token: str) -> None:
    try:
        signing.loads(token or "", salt=FORM_SALT, max_age=4 * 3600)
    except signing.BadSignature as exc:
        raise AssessmentError("表单已过期或无效，请刷新页面后重新填写") from exc


@public_page
@require_http_methods(["GET"])
def disclosure_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessments/public/disclosure_list.html",
        {"rows": disclosures.public_disclosures()},
    )


def _disclosure_page(
    request: HttpRequest, d: Any, error: str = "", done: bool = False, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "assessments/public/disclosure.html",
        {
            "d": d,
            "open": disclosures.is_open(d),
            "form_token": form_token(),
            "error": error,
            "done": done,
            "entries": d.entries,
        },
        status=status,
    )


@public_page
@require_http_methods(["GET", "POST"])
def disclosure_page(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    d = disclosures.public_disclosure(disclosure_id)
    if d is None:
        raise Http404("未找到该公示")
    if request.method == "GET":
        return _disclosure_page(request, d)
    target = request.POST.get("participant", "")
    try:
        _check_form_token(request.POST.get("form_token", ""))
        disclosures.submit_comment(
            disclosure=d,
            participant_id=int(target) if target.isdigit() else None,
            name=request.POST.get("name", ""),
            contact=request.POST.get("contact", ""),
            text=request.POST.get("text", ""),
        )
    except AssessmentError as exc:
        return _disclosure_page(request, d, str(exc), status=400)
    return _disclosure_page(request, d, done=True)
