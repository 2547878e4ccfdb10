"""Linking a report or clue to the cadre it is about, and unlinking it (links.py).

GET …/link/?q=name searches the cadres the user may see: the HTMX partial of candidates, or
the whole detail page without JavaScript. POST …/link/ links the chosen cadre (reached
through the scoped accessor: 404 out of scope), POST …/unlink/ empties the link; both need a
reason and are refused with a Chinese message (400) when a rule says no.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accounts.access import get_object_for_user
from cadre.cadres.models import Cadre
from cadre.supervision import forms, links
from cadre.supervision.rules import RuleError
from cadre.supervision.views import handling as views


def _search(
    request: HttpRequest, obj: Any, page: Callable[..., HttpResponse], link_url: str
) -> HttpResponse:
    if not links.may_link(request.user, obj.handling_unit):
        raise PermissionDenied(links.ONLY_DISCIPLINE)
    q = request.GET.get("q", "").strip()[:30]
    context = {"q": q, "candidates": links.candidates(request.user, q), "link_url": link_url}
    if request.headers.get("HX-Request"):
        return render(request, "supervision/_link_candidates.html", context)
    return page(request, obj, extra=context)


def _link(
    request: HttpRequest,
    call: Callable[[Cadre, str], Any],
    again: Callable[[], HttpResponse],
    done: Callable[[], HttpResponse],
) -> HttpResponse:
    form = forms.LinkForm(request.POST)

    def act() -> Any:
        if not form.is_valid():
            raise RuleError(forms.first_error(form))
        cadre = get_object_for_user(
            Cadre.objects.select_related("org_unit"),
            request.user,
            form.cleaned_data["cadre"],
            request=request,
        )
        return call(cadre, form.cleaned_data["reason"])

    return views._run(request, act, "已关联被反映干部", again, done)


def _unlink(
    request: HttpRequest,
    call: Callable[[str], Any],
    again: Callable[[], HttpResponse],
    done: Callable[[], HttpResponse],
) -> HttpResponse:
    form = forms.ReasonForm(request.POST)

    def act() -> Any:
        if not form.is_valid():
            raise RuleError(forms.first_error(form))
        return call(form.cleaned_data["reason"])

    return views._run(request, act, "已解除关联", again, done)


# ---- reports -------------------------------------------------------------------------------


def _report_again(request: HttpRequest, report_id: int) -> Callable[[], HttpResponse]:
    return lambda: views._report_page(request, views._report(request, report_id), 400)


def _report_done(report_id: int) -> Callable[[], HttpResponse]:
    return lambda: redirect("supervision:report", report_id=report_id)


@require_http_methods(["GET", "POST"])
def report_link(request: HttpRequest, report_id: int) -> HttpResponse:
    report = views._report(request, report_id, write=True)
    if request.method == "GET":
        return _search(
            request,
            report,
            views._report_page,
            reverse("supervision:report_link", args=[report.pk]),
        )
    return _link(
        request,
        lambda cadre, reason: links.link_subject(
            by=request.user, cadre=cadre, reason=reason, report=report
        ),
        _report_again(request, report.pk),
        _report_done(report.pk),
    )


@require_POST
def report_unlink(request: HttpRequest, report_id: int) -> HttpResponse:
    report = views._report(request, report_id, write=True)
    return _unlink(
        request,
        lambda reason: links.unlink_subject(by=request.user, reason=reason, report=report),
        _report_again(request, report.pk),
        _report_done(report.pk),
    )


# ---- clues ---------------------------------------------------------------------------------


def _clue_again(request: HttpRequest, clue_id: int) -> Callable[[], HttpResponse]:
    return lambda: views._clue_page(request, views._clue(request, clue_id), 400)


def _clue_done(clue_id: int) -> Callable[[], HttpResponse]:
    return lambda: redirect("supervision:clue", clue_id=clue_id)


@require_http_methods(["GET", "POST"])
def clue_link(request: HttpRequest, clue_id: int) -> HttpResponse:
    clue = views._clue(request, clue_id, write=True)
    if request.method == "GET":
        return _search(
            request, clue, views._clue_page, reverse("supervision:clue_link", args=[clue.pk])
        )
    return _link(
        request,
        lambda cadre, reason: links.link_subject(
            by=request.user, cadre=cadre, reason=reason, clue=clue
        ),
        _clue_again(request, clue.pk),
        _clue_done(clue.pk),
    )


@require_POST
def clue_unlink(request: HttpRequest, clue_id: int) -> HttpResponse:
    clue = views._clue(request, clue_id, write=True)
    return _unlink(
        request,
        lambda reason: links.unlink_subject(by=request.user, reason=reason, clue=clue),
        _clue_again(request, clue.pk),
        _clue_done(clue.pk),
    )
