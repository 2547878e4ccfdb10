"""不适宜担任现职 (推进领导干部能上能下规定 2022): the list, a new determination, and the
detail page with the talk, the adjustment decision and the withdrawal."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accounts.access import acting_user, get_object_for_user, has_role
from cadre.audit.services import record_view
from cadre.cadres.decisions import Decision
from cadre.cadres.models import Cadre
from cadre.core.errors import refusal
from cadre.eligibility import forms, rules, services
from cadre.eligibility.models import Unsuitability, UnsuitabilityStatus
from cadre.eligibility.views.common import (
    PAGE_SIZE,
    WRITERS,
    cadre_choices,
    position_choices,
    require_reader,
    require_writer,
    today,
)
from cadre.orgs.models import Position


def unsuitability_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    form = forms.UnsuitabilityFilter(request.GET or None)
    qs = Unsuitability.objects.visible_to(request.user).select_related("cadre__org_unit")
    status = request.GET.get("status", "")
    if status in UnsuitabilityStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = rules.UNSUITABLE_GROUNDS
    return render(
        request,
        "eligibility/unsuitability_list.html",
        {
            "page": page,
            "rows": [(u, "；".join(labels.get(g, g) for g in u.grounds)) for u in page],
            "form": form,
            "can_write": has_role(request.user, *WRITERS),
        },
    )


def _new_form(request: HttpRequest, data: Any = None) -> forms.UnsuitabilityForm:
    form = forms.UnsuitabilityForm(
        data, initial={"cadre": request.GET.get("cadre"), "determined_on": today()}
    )
    forms.choose(form, "cadre", cadre_choices(request, leaders_only=True), "请选择领导干部")
    return form


@require_http_methods(["GET", "POST"])
def unsuitability_new(request: HttpRequest) -> HttpResponse:
    require_writer(request)
    form = _new_form(request, request.POST or None)
    if request.method == "GET" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "eligibility/unsuitability_new.html", {"form": form}, status=status)
    d = form.cleaned_data
    cadre = get_object_for_user(
        Cadre.objects, request.user, d["cadre"], write=True, request=request
    )
    with refusal(request, form) as refused:
        item = services.determine_unsuitable(
            by=acting_user(request),
            cadre=cadre,
            determined_on=d["determined_on"],
            grounds=d["grounds"],
            facts=d["facts"],
        )
    if refused:
        return render(
            request, "eligibility/unsuitability_new.html", {"form": form}, status=refused.status
        )
    messages.success(request, "已登记不适宜担任现职认定")
    return redirect("eligibility:unsuitability", item_id=item.pk)


def _get(request: HttpRequest, item_id: int, write: bool = False) -> Unsuitability:
    return get_object_for_user(
        Unsuitability.objects.select_related("cadre__org_unit", "recorded_by"),
        request.user,
        item_id,
        write=write,
        request=request,
    )


def _page(
    request: HttpRequest,
    item: Unsuitability,
    status: int = 200,
    **bound: Any,
) -> HttpResponse:
    decide_form = bound.get("decide_form") or forms.DecideForm(
        initial={"decided_on": today(), "effective_on": today()}
    )
    parent = item.cadre.org_unit.path.rsplit("/", 2)[0] + "/"  # the unit's parent subtree
    forms.choose(
        decide_form,
        "to_position",
        position_choices(request, under=parent),
        "（免职不填；调整职务、改任须选择）",
    )
    return render(
        request,
        "eligibility/unsuitability_detail.html",
        {
            "item": item,
            "grounds": [rules.UNSUITABLE_GROUNDS.get(g, g) for g in item.grounds],
            "can_write": has_role(request.user, *WRITERS),
            "talk_form": bound.get("talk_form") or forms.TalkForm(initial={"talk_on": today()}),
            "decide_form": decide_form,
            "withdraw_form": bound.get("withdraw_form") or forms.WithdrawForm(),
            "holds": _holds(item),
            "source": rules.UNSUITABLE_SOURCE,
        },
        status=status,
    )


def _holds(item: Unsuitability) -> list[str]:
    """What 不适宜担任现职 holds today for the cadre (live, the same answer as everywhere)."""
    answer = services.answers([item.cadre_id], today()).get(item.cadre_id)
    if answer is None:
        return []
    blocks = answer.blocks_for([d.value for d in Decision])
    return [b.text() for b in blocks if b.fact == "unsuitability"]


def unsuitability_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    require_reader(request)
    item = _get(request, item_id)
    record_view(user=request.user, obj=item, request=request)
    return _page(request, item)


def _step(
    request: HttpRequest,
    item_id: int,
    form: Any,
    name: str,
    call: Callable[[Unsuitability, dict[str, Any]], Any],
    ok: str,
) -> HttpResponse:
    require_writer(request)
    item = _get(request, item_id, write=True)
    if form.is_valid():
        with refusal(request, form) as refused:
            call(item, form.cleaned_data)
        if not refused:
            messages.success(request, ok)
            return redirect("eligibility:unsuitability", item_id=item.pk)
        status = refused.status
    else:
        status = 400
    return _page(request, _get(request, item_id), status, **{name: form})


@require_POST
def unsuitability_talk(request: HttpRequest, item_id: int) -> HttpResponse:
    return _step(
        request,
        item_id,
        forms.TalkForm(request.POST),
        "talk_form",
        lambda item, d: services.record_talk(
            by=acting_user(request), item=item, talk_on=d["talk_on"], note=d["note"]
        ),
        "已登记谈话情况",
    )


@require_POST
def unsuitability_decide(request: HttpRequest, item_id: int) -> HttpResponse:
    def decide(item: Unsuitability, d: dict[str, Any]) -> Unsuitability:
        post = None
        if d["to_position"]:
            post = get_object_for_user(
                Position.objects, request.user, d["to_position"], write=True, request=request
            )
        return services.decide_unsuitable(
            by=acting_user(request),
            item=item,
            decision=d["decision"],
            decided_on=d["decided_on"],
            effective_on=d["effective_on"],
            basis=d["basis"],
            to_position=post,
            to_rank=d["to_rank"],
        )

    return _step(
        request,
        item_id,
        forms.DecideForm(request.POST),
        "decide_form",
        decide,
        "已作出调整决定，任职记录已相应变更",
    )


@require_POST
def unsuitability_withdraw(request: HttpRequest, item_id: int) -> HttpResponse:
    return _step(
        request,
        item_id,
        forms.WithdrawForm(request.POST),
        "withdraw_form",
        lambda item, d: services.withdraw_unsuitable(
            by=acting_user(request), item=item, reason=d["reason"]
        ),
        "已撤销认定",
    )
