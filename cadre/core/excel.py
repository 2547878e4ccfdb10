"""Excel helpers shared by every app: safe export and strict reading.

Export: a cell that starts with = + - @ (or a control character) is written as text, never as
a formula (TRUST.md IO-02). Import: files are size-checked, zip-bomb-checked, parsed with
defusedxml active, and any formula cell is an error (TRUST.md IM-01, FU-04).
"""

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import openpyxl
from django.http import HttpResponse
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from cadre.core.errors import Refused

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\0")
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_RATIO = 100


class ExcelFileError(Refused):
    """The file as a whole is refused (not Excel, too big, wrong sheet)."""


def _text_cell(ws: Worksheet, value: Any) -> Cell | Any:
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        cell = Cell(ws, value=value)
        cell.data_type = "s"  # keep as text: openpyxl would otherwise store a formula
        return cell
    return value


def write_sheet(
    wb: openpyxl.Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Worksheet:
    ws = wb.create_sheet(title=title[:31])
    ws.append(list(headers))
    for row in rows:
        ws.append([_text_cell(ws, v) for v in row])
    ws.freeze_panes = "A2"
    return ws


def workbook_response(wb: openpyxl.Workbook, filename: str) -> HttpResponse:
    if "Sheet" in wb.sheetnames and len(wb.sheetnames) > 1:
        del wb["Sheet"]
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX_MIME)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def export_response(
    filename: str, sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    wb = openpyxl.Workbook()
    write_sheet(wb, sheet, headers, rows)
    return workbook_response(wb, filename)


def check_zip(data: bytes) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ExcelFileError("文件不是有效的Excel（.xlsx）文件") from exc
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if (
        len(infos) > MAX_ZIP_ENTRIES
        or total > MAX_UNZIPPED_BYTES
        or total > MAX_RATIO * max(len(data), 1)
    ):
        raise ExcelFileError("文件解压后体积异常，疑似压缩炸弹，已拒绝")
    if "[Content_Types].xml" not in zf.namelist():
        raise ExcelFileError("文件不是有效的Excel（.xlsx）文件")


def open_workbook(data: bytes, *, max_bytes: int) -> openpyxl.Workbook:
    if len(data) > max_bytes:
        raise ExcelFileError(f"文件大小超过上限（{max_bytes // 1024 // 1024} MB）")
    check_zip(data)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise ExcelFileError("无法读取Excel文件，文件可能已损坏或不是.xlsx格式") from exc


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
