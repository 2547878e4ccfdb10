"""容错免责: the exemption queue with deadlines, applications and each workflow step."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accountability import access as accountability_access
from cadre.accounts.access import get_object_for_user, has_role, own_cadre_id, require_role
from cadre.audit.services import record_view
from cadre.cadres.models import Cadre
from cadre.core.errors import refusal
from cadre.supervision import access as supervision_access
from cadre.supervision.rules import RuleError
from cadre.tolerance import access, forms, rules, services
from cadre.tolerance.models import ExemptionApplication, ExemptionFinding

STAFF = ("org_admin", "discipline")


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise RuleError(forms.first_error(form))
    return form.cleaned_data


def queue(request: HttpRequest) -> HttpResponse:
    """Staff: open applications by due date. A cadre: their own applications."""
    own = own_cadre_id(request.user)
    if not has_role(request.user, *STAFF) and own is None:
        require_role(request.user, *STAFF)
    qs = ExemptionApplication.objects.visible_to(request.user).select_related("cadre")
    if request.GET.get("all") != "1":
        qs = qs.open()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "tolerance/queue.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "labels": rules.STATUS_LABELS,
            "staff": has_role(request.user, *STAFF),
        },
    )


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    own = own_cadre_id(request.user)
    if own is None:
        require_role(request.user, *STAFF)
    form = forms.ApplyForm(
        request.POST or None,
        initial={
            "measure": request.GET.get("measure"),
            "applicant_kind": "self" if own else "unit",
        },
    )
    if request.method == "GET":
        return render(request, "tolerance/apply.html", {"form": form})

    def act() -> ExemptionApplication:
        d = _valid(form)
        cadre_id = own if d["applicant_kind"] == "self" else d["cadre"]
        if not cadre_id:
            raise RuleError("单位申请请填写干部编号")
        cadre = get_object_for_user(
            Cadre.objects.select_related("org_unit"), request.user, cadre_id, request=request
        )
        measure = (
            accountability_access.get_measure(request.user, d["measure"], request=request)
            if d["measure"]
            else None
        )
        case = (
            supervision_access.get_case(request.user, d["case"], request=request)
            if d["case"]
            else None
        )
        return services.apply(
            by=request.user,
            cadre=cadre,
            measure=measure,
            case=case,
            data=services.ApplicationInput(
                facts=d["facts"],
                distinction=d["distinction"],
                applicant_kind=d["applicant_kind"],
                statements={k: d[k] for k in rules.CRITERIA},
            ),
        )

    with refusal(request) as refused:
        app = act()
    if refused:
        return render(request, "tolerance/apply.html", {"form": form}, status=400)
    messages.success(request, "申请已提交")
    return redirect("tolerance:application", app_id=app.pk)


def _page(request: HttpRequest, app: ExemptionApplication, status: int = 200) -> HttpResponse:
    findings = ExemptionFinding.objects.visible_to(request.user).filter(application=app)
    return render(
        request,
        "tolerance/detail.html",
        {
            "app": app,
            "findings": findings,
            "staff": has_role(request.user, *STAFF),
            "labels": rules.STATUS_LABELS,
            "exclusion_names": [rules.EXCLUSIONS.get(e, e) for e in app.exclusions],
            "verify_form": forms.VerifyForm(),
            "sign_form": forms.SignForm(),
            "feedback_form": forms.FeedbackForm(),
            "publish_form": forms.PublishForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


def detail(request: HttpRequest, app_id: int) -> HttpResponse:
    app = access.get_application(request.user, app_id, request=request)
    record_view(user=request.user, obj=app, request=request)
    return _page(request, app)


def _step(
    request: HttpRequest,
    app_id: int,
    form_class: Any,
    call: Callable[[ExemptionApplication, Any], Any],
    ok: str,
) -> HttpResponse:
    require_role(request.user, *STAFF)
    app = access.get_application(request.user, app_id, write=True, request=request)
    form = form_class(request.POST)
    with refusal(request) as refused:
        _valid(form)
        call(app, form)
    if refused:
        return _page(request, access.get_application(request.user, app.pk), 400)
    messages.success(request, ok)
    return redirect("tolerance:application", app_id=app.pk)


@require_POST
def verify(request: HttpRequest, app_id: int) -> HttpResponse:
    return _step(
        request,
        app_id,
        forms.VerifyForm,
        lambda a, f: services.verify(
            app=a,
            by=request.user,
            findings=f.findings(),
            exclusions=f.cleaned_data["exclusions"],
            note=f.cleaned_data["note"],
        ),
        "核实情况已登记",
    )


@require_POST
def sign(request: HttpRequest, app_id: int) -> HttpResponse:
    return _step(
        request,
        app_id,
        forms.SignForm,
        lambda a, f: services.sign_determination(app=a, by=request.user, **f.cleaned_data),
        "认定意见已签署",
    )


@require_POST
def feedback(request: HttpRequest, app_id: int) -> HttpResponse:
    return _step(
        request,
        app_id,
        forms.FeedbackForm,
        lambda a, f: services.give_feedback(app=a, by=request.user, text=f.cleaned_data["text"]),
        "已反馈申请人",
    )


@require_POST
def publish(request: HttpRequest, app_id: int) -> HttpResponse:
    return _step(
        request,
        app_id,
        forms.PublishForm,
        lambda a, f: services.publish(
            app=a,
            by=request.user,
            title=f.cleaned_data["title"],
            summary=f.cleaned_data["summary"],
            public=f.cleaned_data["public"],
        ),
        "已公开",
    )
