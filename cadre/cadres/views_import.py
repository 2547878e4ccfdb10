"""The Excel import page (org_admin only): upload, row-by-row error report, templates."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from cadre.accounts.access import require_role
from cadre.accounts.models import Role
from cadre.cadres.excel import SHEET_SLUGS, SHEETS, Problem, build_template
from cadre.cadres.importing import check_file_name, import_workbook
from cadre.core.excel import ExcelFileError, export_response, workbook_response

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
    request: HttpRequest, *, error: str = "", problems: list[Problem] | None = None,
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
    request.upload_handlers.insert(0, handler)
    return csrf_protect(_upload)(request, handler)


def _upload(request: HttpRequest, handler: SizeLimitHandler) -> HttpResponse:
    upload = request.FILES.get("file")
    if handler.exceeded or (upload is not None and upload.size > handler.limit):
        return _render(request, error=_too_big(), status=413)
    if upload is None:
        return _render(request, error="请选择要导入的Excel文件", status=400)
    try:
        check_file_name(upload.name or "")
    except ExcelFileError as exc:
        return _render(request, error=str(exc), status=400)
    result = import_workbook(data=upload.read(), by=request.user, request=request)  # type: ignore[arg-type]
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
    report = [[sheet or "（整个文件）", row or "—", column, message] for sheet, row, column, message
              in rows]
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
