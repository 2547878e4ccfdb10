"""Notices (accountability pages)."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accountability import access, forms, selectors, services
from cadre.accountability.models import (
    Notice,
    NoticeRead,
    NoticeStatus,
)
from cadre.accountability.views.common import PAGE, STAFF, _case, _run, _staff, _valid
from cadre.accounts.access import get_object_for_user, has_role, own_cadre_id, require_role
from cadre.audit.services import record_view
from cadre.orgs.models import OrgUnit


def notice_list(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, *STAFF) and own_cadre_id(request.user) is None:
        require_role(request.user, *STAFF, "unit_head")
    qs = Notice.objects.visible_to(request.user).select_related("org_unit")
    if not has_role(request.user, *STAFF):
        qs = qs.filter(status=NoticeStatus.PUBLISHED)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    read = selectors.read_notice_ids(request.user)
    return render(
        request,
        "accountability/notice_list.html",
        {"page": page, "read": read, "staff": has_role(request.user, *STAFF)},
    )


@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest) -> HttpResponse:
    _staff(request)
    case = (
        _case(request, int(request.GET["case"])) if request.GET.get("case", "").isdigit() else None
    )
    names = _case_names(case)
    form = forms.NoticeForm(
        request.POST or None,
        initial={
            "case": case.pk if case else None,
            "redact_names": "\n".join(names),
        },
    )
    if request.method == "GET":
        return render(request, "accountability/notice_new.html", {"form": form})

    def act() -> Notice:
        d = _valid(form)
        unit = get_object_for_user(OrgUnit.objects, request.user, d["org_unit"], request=request)
        targets = [
            get_object_for_user(OrgUnit.objects, request.user, t, request=request)
            for t in d["targets"]
        ]
        return services.draft_notice(
            by=request.user,
            org_unit=unit,
            case=_case(request, d["case"]),
            targets=targets,
            data=services.NoticeInput(
                kind=d["kind"],
                visibility=d["visibility"],
                title=d["title"],
                body=d["body"],
                redact_names=forms.lines(d["redact_names"]),
                redact_terms=forms.lines(d["redact_terms"]),
            ),
        )

    return _run(
        request,
        act,
        "通报草稿已保存",
        lambda: render(request, "accountability/notice_new.html", {"form": form}, status=400),
        lambda n: redirect("accountability:notice", notice_id=n.pk),
    )


def _case_names(case: Any) -> list[str]:
    if case is None:
        return []
    names = [s.cadre.name for s in case.subjects.select_related("cadre") if s.cadre]
    return sorted(set(names + ([case.clue.subject_name] if case.clue.subject_name else [])))


def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = access.get_notice(request.user, notice_id, request=request)
    manager = (
        has_role(request.user, *STAFF)
        and Notice.objects.visible_to(request.user, write=True).filter(pk=notice.pk).exists()
    )
    services.mark_read(notice=notice, user=request.user)
    record_view(user=request.user, obj=notice, request=request)
    reads = (
        NoticeRead.objects.visible_to(request.user).filter(notice=notice).select_related("user")
        if manager
        else []
    )
    return render(
        request,
        "accountability/notice_detail.html",
        {
            "notice": notice,
            "manager": manager,
            "reads": reads,
            "targets": notice.target_units.all(),
            "reason_form": forms.ReasonForm(),
        },
    )


@require_POST
def notice_publish(request: HttpRequest, notice_id: int) -> HttpResponse:
    _staff(request)
    notice = access.get_notice(request.user, notice_id, write=True, request=request)
    return _run(
        request,
        lambda: services.publish_notice(notice=notice, by=request.user),
        "通报已发布",
        lambda: redirect("accountability:notice", notice_id=notice.pk),
        lambda _: redirect("accountability:notice", notice_id=notice.pk),
    )


@require_POST
def notice_withdraw(request: HttpRequest, notice_id: int) -> HttpResponse:
    _staff(request)
    notice = access.get_notice(request.user, notice_id, write=True, request=request)
    form = forms.ReasonForm(request.POST)
    return _run(
        request,
        lambda: services.withdraw_notice(
            notice=notice, by=request.user, reason=_valid(form)["reason"]
        ),
        "通报已撤回",
        lambda: redirect("accountability:notice", notice_id=notice.pk),
        lambda _: redirect("accountability:notice", notice_id=notice.pk),
    )
