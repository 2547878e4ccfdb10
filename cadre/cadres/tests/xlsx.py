"""In-memory workbooks for the import tests (no fixture blobs)."""

import io
from datetime import date, timedelta
from typing import Any

import openpyxl

from cadre.cadres import excel
from tests.factories import make_id_number

HEADERS = {
    excel.SHEET_UNITS: list(excel.UNIT_COLUMNS),
    excel.SHEET_POSITIONS: list(excel.POSITION_COLUMNS),
    excel.SHEET_CADRES: list(excel.CADRE_COLUMNS),
    excel.SHEET_APPOINTMENTS: list(excel.APPOINTMENT_COLUMNS),
}


def workbook(sheets: dict[str, list[list[Any]]], *, headers: bool = True) -> bytes:
    """Sheets of data rows; the template headers go first unless headers=False."""
    wb = openpyxl.Workbook()
    del wb[wb.sheetnames[0]]
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        if headers:
            ws.append(HEADERS[name])
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def cells(rows: list[list[Any]]) -> list[tuple[Any, ...]]:
    """Rows of real read-only cells (with their Excel data types); give the header row too."""
    data = workbook({"x": rows}, headers=False)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return list(wb["x"].iter_rows())


def id_number(n: int) -> str:
    """Distinct valid IDs for n up to about 30,000 (born in 1975-1985)."""
    return make_id_number(n, date(1975, 1, 1) + timedelta(days=n // 1000))


def cadre(n: int, unit: str = "东湖县财政局", **over: Any) -> list[Any]:
    values = {
        "姓名": f"干部{n}",
        "身份证号": id_number(n),
        "民族": "汉族",
        "学历": "大学本科",
        "专业": "财政学",
        "政治面貌": "中共党员",
        "入党时间": "2010-06-01",
        "参加工作时间": "2008-07-01",
        "所在单位": unit,
        "职级": "一级科员",
        "任职级时间": "2015-01-01",
    }
    values.update(over)
    return [values[h] for h in HEADERS[excel.SHEET_CADRES]]


def appointment(n: int, unit: str, title: str, start: str = "2020-01-01", **over: Any) -> list[Any]:
    values = {
        "身份证号": id_number(n),
        "单位名称": unit,
        "职位名称": title,
        "任职时间": start,
        "免职时间": None,
        "任职方式": "任命",
        "人事关系所在单位": None,
    }
    values.update(over)
    return [values[h] for h in HEADERS[excel.SHEET_APPOINTMENTS]]


def position(unit: str, title: str, level: str = "", **over: Any) -> list[Any]:
    values = {
        "单位名称": unit,
        "职位名称": title,
        "是否领导职务": "是" if level else "否",
        "领导职务层次": level,
        "工作领域": "财政",
        "是否重点岗位": "否",
        "职数": 1,
    }
    values.update(over)
    return [values[h] for h in HEADERS[excel.SHEET_POSITIONS]]


def unit(name: str, parent: str, kind: str = "政府部门", code: str = "") -> list[Any]:
    return [name, parent, kind, code]
