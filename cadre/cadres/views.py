"""The registry pages: the start page, the cadre list (filters, export), a cadre's record
and its edit form, and the Excel import page."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from cadre.accounts.access import (
    acting_user,
    get_object_for_user,
    grants_of,
    has_role,
    is_staff,
    own_cadre_id,
    require_role,
    roles_of,
)
from cadre.accounts.models import Role
from cadre.audit.services import record_export, record_view
from cadre.cadres import extensions, services
from cadre.cadres.excel import SHEET_SLUGS, SHEETS, Problem, build_template
from cadre.cadres.forms import CadreEditForm, CadreFilterForm, LeavingForm, apply_filters
from cadre.cadres.importing import check_file_name, import_workbook
from cadre.cadres.models import Appointment, Cadre, CadreStatus, RankRecord
from cadre.cadres.timeline import career_timeline, profile_history
from cadre.core.errors import refusal
from cadre.core.excel import ExcelFileError, export_response, workbook_response
from cadre.orgs.models import OrgUnit, UnitKind

PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    """The start page: a staff member's registry figures and grants; a cadre's own record."""
    if not is_staff(request.user):
        if own_cadre_id(request.user):
            return redirect("cadres:me")
        return render(request, "cadres/no_role.html")
    today = timezone.localdate()
    cadres = Cadre.objects.visible_to(request.user).active()
    figures = cadres.aggregate(
        total=Count("id"),
        leaders=Count("id", filter=Q(is_leader=True)),
        women=Count("id", filter=Q(gender="F")),
        under40=Count("id", filter=Q(birth_date__gt=today.replace(year=today.year - 40))),
        long_in_post=Count(
            "id", filter=Q(current_post_since__lte=today.replace(year=today.year - 5))
        ),
    )
    figures["units"] = OrgUnit.objects.visible_to(request.user).active().count()
    by_kind = [
        {"kind": UnitKind(row["kind"]).label, "n": row["n"]}
        for row in OrgUnit.objects.visible_to(request.user)
        .active()
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("-n")
    ]
    grants = grants_of(request.user)
    scope_units = dict(
        OrgUnit.objects.visible_to(request.user)
        .filter(path__in=[p for _, p in grants])
        .values_list("path", "name")
    )
    context = {
        "figures": figures,
        "by_kind": by_kind,
        "grants": [(Role(r).label, scope_units.get(p, "")) for r, p in grants],
        "roles": roles_of(request.user),
    }
    return render(request, "cadres/home.html", context)


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
        "form": form,
        "page": page,
        "today": timezone.localdate(),
        "unit_choices": _unit_choices(request.user),
    }
    partial = request.headers.get("HX-Request")
    return render(request, "cadres/_list_table.html" if partial else "cadres/list.html", context)


EXPORT_HEADERS = [
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "学历",
    "政治面貌",
    "身份证号(脱敏)",
    "单位",
    "现任职务",
    "任现职时间",
    "领导职务层次",
    "职级",
]


def cadre_export(request: HttpRequest) -> HttpResponse:
    if not is_staff(request.user):
        raise PermissionDenied
    _, qs = _filtered(request)
    rows = [
        [
            c.name,
            c.get_gender_display(),
            c.birth_date,
            c.ethnicity,
            c.get_education_display(),
            c.get_political_status_display(),
            c.id_masked,
            c.org_unit.name,
            c.current_title,
            c.current_post_since,
            c.get_leadership_level_display(),
            c.get_rank_display(),
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
            appointments.select_related("position__org_unit"),
            ranks,
            extensions.timeline_items(cadre=cadre, user=request.user),
        ),
        "sections": extensions.sections(cadre=cadre, user=request.user),
        "history": profile_history(cadre) if is_staff(request.user) else [],
        "can_edit": has_role(request.user, "org_admin"),
        "can_end": cadre.status == CadreStatus.ACTIVE
        and Cadre.objects.visible_to(request.user, write=True).filter(pk=cadre.pk).exists(),
    }
    return render(request, "cadres/detail.html", context)


def my_record(request: HttpRequest) -> HttpResponse:
    assert request.user.is_authenticated  # LoginRequiredMiddleware: never anonymous here
    if request.user.cadre_id is None:
        raise Http404("您的账号未关联干部档案")
    return redirect("cadres:detail", cadre_id=request.user.cadre_id)


@require_http_methods(["GET", "POST"])
def cadre_edit(request: HttpRequest, cadre_id: int) -> HttpResponse:
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, write=True, request=request)
    form = CadreEditForm(request.POST or None, instance=cadre, initial={"version": cadre.version})
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in CadreEditForm.Meta.fields}
        assert request.user.is_authenticated  # LoginRequiredMiddleware: never anonymous here
        with refusal(request) as refused:
            services.update_cadre(
                cadre=cadre,
                by=request.user,
                version=form.cleaned_data["version"],
                changes=changes,
            )
        if refused:  # 409 for a stale version
            return render(
                request, "cadres/edit.html", {"form": form, "cadre": cadre}, status=refused.status
            )
        messages.success(request, "已保存")
        return redirect("cadres:detail", cadre_id=cadre.pk)
    return render(request, "cadres/edit.html", {"form": form, "cadre": cadre})


@require_http_methods(["GET", "POST"])
def cadre_leaving(request: HttpRequest, cadre_id: int) -> HttpResponse:
    """登记离职/退休 (org_admin with write scope): 退休, 辞职, 辞退, 调出, 去世 — not 开除, which
    is recorded as an accountability measure. Refused input is shown on the form."""
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, write=True, request=request)
    form = LeavingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            with refusal(request, form) as refused:
                services.record_leaving(
                    by=acting_user(request),
                    cadre=cadre,
                    status=d["status"],
                    on=d["on"],
                    basis=d["basis"],
                    no_article_89=d["no_article_89"],
                )
            if not refused:
                cadre.refresh_from_db()
                label = f"{cadre.get_status_display()}（{d['on']:%Y-%m-%d}）"
                messages.success(request, f"已登记：{label}")
                return redirect("cadres:detail", cadre_id=cadre.pk)
            status = refused.status
    context = {"form": form, "cadre": cadre}
    return render(request, "cadres/leaving.html", context, status=status)


# ---- the Excel import page (org_admin only): upload, row-by-row error report, templates


SESSION_PROBLEMS = "cadre_import_problems"
SHOWN_PROBLEMS = 200  # on the page; the downloadable report has up to REPORTED_PROBLEMS
REPORTED_PROBLEMS = 5000
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the CSRF field around the file
REPORT_HEADERS = ["工作表", "行号", "列", "问题"]


class SizeLimitHandler(FileUploadHandler):
    """Stops storing an upload once it passes the limit (TRUST.md FU-01: Django has no cap)."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _too_big() -> str:
    return f"文件大小超过上限（{settings.CADRE_IMPORT_MAX_BYTES // 1024 // 1024} MB），请分批导入"


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _render(
    request: HttpRequest,
    *,
    error: str = "",
    problems: list[Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    problems = problems or []
    context = {
        "error": error,
        "problems": problems[:SHOWN_PROBLEMS],
        "problem_count": len(problems),
        "truncated": len(problems) > SHOWN_PROBLEMS,
        "reported": min(len(problems), REPORTED_PROBLEMS),
        "sheets": [(slug, name) for slug, name in SHEET_SLUGS.items()],
        "max_mb": settings.CADRE_IMPORT_MAX_BYTES // 1024 // 1024,
        "max_rows": settings.CADRE_IMPORT_MAX_ROWS,
    }
    return render(request, "cadres/import.html", context, status=status)


@csrf_exempt  # CSRF is checked in _upload, once the size-limiting handler is in place
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.ORG_ADMIN)
    if request.method == "GET":
        return _render(request)
    if _content_length(request) > settings.CADRE_IMPORT_MAX_BYTES + FORM_OVERHEAD:
        return _render(request, error=_too_big(), status=413)  # refused before reading
    handler = SizeLimitHandler(request, settings.CADRE_IMPORT_MAX_BYTES)
    handlers = request.upload_handlers
    assert isinstance(handlers, list)  # still a list: the body has not been read yet
    handlers.insert(0, handler)
    return csrf_protect(_upload)(request, handler)


def _upload(request: HttpRequest, handler: SizeLimitHandler) -> HttpResponse:
    upload = request.FILES.get("file")
    if handler.exceeded or (
        upload is not None and upload.size is not None and upload.size > handler.limit
    ):
        return _render(request, error=_too_big(), status=413)
    if upload is None:
        return _render(request, error="请选择要导入的Excel文件", status=400)
    try:
        check_file_name(upload.name or "")
    except ExcelFileError as exc:
        return _render(request, error=str(exc), status=400)
    assert request.user.is_authenticated  # LoginRequiredMiddleware: never anonymous here
    result = import_workbook(data=upload.read(), by=request.user, request=request)
    if result.ok:
        request.session.pop(SESSION_PROBLEMS, None)
        messages.success(request, f"导入成功：{result.summary()}")
        return redirect("cadres:import")
    request.session[SESSION_PROBLEMS] = [
        [p.sheet, p.row, p.column, p.message] for p in result.problems[:REPORTED_PROBLEMS]
    ]
    return _render(request, problems=result.problems, status=400)


@require_GET
def import_errors(request: HttpRequest) -> HttpResponse:
    """The last refused import's problems as xlsx (no personal data: rows, columns, reasons)."""
    require_role(request.user, Role.ORG_ADMIN)
    rows: list[list[Any]] = request.session.get(SESSION_PROBLEMS) or []
    if not rows:
        raise Http404("没有可下载的错误报告")
    report = [
        [sheet or "（整个文件）", row or "—", column, message]
        for sheet, row, column, message in rows
    ]
    return export_response("导入错误报告.xlsx", "错误报告", REPORT_HEADERS, report)


@require_GET
def import_template(request: HttpRequest, sheet: str = "") -> HttpResponse:
    require_role(request.user, Role.ORG_ADMIN)
    if not sheet:
        names, filename = list(SHEETS), "干部数据导入模板.xlsx"
    elif sheet in SHEET_SLUGS:
        names, filename = [SHEET_SLUGS[sheet]], f"导入模板-{SHEET_SLUGS[sheet]}.xlsx"
    else:
        raise Http404("没有这个模板")
    wb = build_template(names, max_rows=settings.CADRE_IMPORT_MAX_ROWS)
    return workbook_response(wb, filename)
