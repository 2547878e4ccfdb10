from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cadre.accounts.access import get_object_for_user, has_role, is_staff
from cadre.audit.services import record_export, record_view
from cadre.cadres import extensions, services
from cadre.cadres.forms import CadreEditForm, CadreFilterForm, apply_filters
from cadre.cadres.models import Appointment, Cadre, RankRecord
from cadre.cadres.timeline import career_timeline, profile_history
from cadre.core.excel import export_response
from cadre.orgs.models import OrgUnit

PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> tuple[CadreFilterForm, Any]:
    form = CadreFilterForm(request.GET or None)
    qs = Cadre.objects.visible_to(request.user).active().select_related("org_unit")
    if not form.is_bound:
        return form, qs.order_by("org_unit", "id")
    if not form.is_valid():
        return form, qs.none()
    unit_path = None
    if form.cleaned_data.get("unit"):
        unit = get_object_for_user(OrgUnit.objects, request.user, form.cleaned_data["unit"])
        unit_path = unit.path
    return form, apply_filters(qs, form.cleaned_data, timezone.localdate(), unit_path)


def _unit_choices(user: Any, levels: int = 3) -> list[tuple[int, str]]:
    """The top levels of the user's scope, indented, for the unit filter."""
    units = OrgUnit.objects.visible_to(user).active()
    top = units.order_by("depth").values_list("depth", flat=True).first()
    if top is None:
        return []
    rows = units.filter(depth__lt=top + levels).values_list("id", "name", "depth")
    return [(pk, "\u3000" * (depth - top) + name) for pk, name, depth in rows]


def cadre_list(request: HttpRequest) -> HttpResponse:
    if not is_staff(request.user):
        raise PermissionDenied
    form, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form, "page": page, "today": timezone.localdate(),
        "unit_choices": _unit_choices(request.user),
    }
    partial = request.headers.get("HX-Request")
    return render(request, "cadres/_list_table.html" if partial else "cadres/list.html", context)


EXPORT_HEADERS = [
    "姓名", "性别", "出生日期", "民族", "学历", "政治面貌", "身份证号(脱敏)", "单位",
    "现任职务", "任现职时间", "领导职务层次", "职级",
]


def cadre_export(request: HttpRequest) -> HttpResponse:
    if not is_staff(request.user):
        raise PermissionDenied
    _, qs = _filtered(request)
    rows = [
        [
            c.name, c.get_gender_display(), c.birth_date, c.ethnicity, c.get_education_display(),
            c.get_political_status_display(), c.id_masked, c.org_unit.name, c.current_title,
            c.current_post_since, c.get_leadership_level_display(), c.get_rank_display(),
        ]
        for c in qs.iterator(chunk_size=2000)
    ]
    record_export(user=request.user, what="cadres.cadre", count=len(rows), request=request)
    return export_response("干部名册.xlsx", "干部名册", EXPORT_HEADERS, rows)


def cadre_detail(request: HttpRequest, cadre_id: int) -> HttpResponse:
    cadre = get_object_for_user(
        Cadre.objects.select_related("org_unit"), request.user, cadre_id, request=request
    )
    record_view(user=request.user, obj=cadre, request=request)
    appointments = Appointment.objects.visible_to(request.user).filter(cadre=cadre)
    ranks = RankRecord.objects.visible_to(request.user).filter(cadre=cadre)
    context = {
        "cadre": cadre,
        "age": cadre.age_on(timezone.localdate()),
        "timeline": career_timeline(
            appointments.select_related("position__org_unit"), ranks,
            extensions.timeline_items(cadre=cadre, user=request.user),
        ),
        "sections": extensions.sections(cadre=cadre, user=request.user),
        "history": profile_history(cadre) if is_staff(request.user) else [],
        "can_edit": has_role(request.user, "org_admin"),
    }
    return render(request, "cadres/detail.html", context)


def my_record(request: HttpRequest) -> HttpResponse:
    if request.user.cadre_id is None:  # type: ignore[union-attr]
        raise Http404("您的账号未关联干部档案")
    return redirect("cadres:detail", cadre_id=request.user.cadre_id)  # type: ignore[union-attr]


@require_http_methods(["GET", "POST"])
def cadre_edit(request: HttpRequest, cadre_id: int) -> HttpResponse:
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, write=True, request=request)
    form = CadreEditForm(request.POST or None, instance=cadre, initial={"version": cadre.version})
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in CadreEditForm.Meta.fields}
        try:
            services.update_cadre(
                cadre=cadre, by=request.user, version=form.cleaned_data["version"],
                changes=changes,
            )
        except services.ConflictError as exc:
            messages.error(request, str(exc))
            return render(request, "cadres/edit.html", {"form": form, "cadre": cadre}, status=409)
        messages.success(request, "已保存")
        return redirect("cadres:detail", cadre_id=cadre.pk)
    return render(request, "cadres/edit.html", {"form": form, "cadre": cadre})
