"""Excel import sheets of the cadre registry: pure parsing and the template, no database.

Each sheet has ONE header dict (Chinese header → `Column`: dataclass field, parser, note,
example). `parse_<sheet>(rows)` takes the rows of a worksheet (openpyxl cells, header row first)
and returns dataclass rows plus `RowError(row, column, message)` with the row number as Excel
shows it, the Chinese header and a Chinese message. Checks that need the registry (unknown
unit, duplicates against the database, overlapping appointments, scope) live in importing.py.
TRUST.md IM-01: formula cells, numeric-typed ID cells, extra/missing/duplicate headers and
control characters are errors; nothing is silently shifted or coerced.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import openpyxl
from django.db import models
from django.utils import timezone
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cadre.cadres import rules
from cadre.cadres.models import AppointmentHow, Education, Political, Rank
from cadre.core.excel import ExcelFileError, RowError
from cadre.orgs.models import LeadershipLevel, UnitKind, WorkField

UnitRef = tuple[str, ...]  # "示范市/东湖县/东湖县财政局" → ("示范市", "东湖县", "东湖县财政局")

SHEET_UNITS, SHEET_POSITIONS, SHEET_CADRES, SHEET_APPOINTMENTS = "单位", "职位", "干部", "任职"
NOTES_SHEET = "填写说明"
EXTRA_COLUMNS_READ = 5  # cells read past the last header, to catch data without a header
MAX_HEADER_COLUMNS = 64

# 劳动法 第十五条: employers may not hire minors under sixteen (V1).
MIN_WORK_AGE = 16
# 中国共产党章程 第一条: members are at least eighteen years old (V1).
MIN_PARTY_AGE = 18
PARTY_STATUSES = frozenset({Political.CPC, Political.CPC_PROBATION})


class CellError(ValueError):
    """One cell is wrong; the message is shown to the user as is."""


@dataclass(frozen=True)
class Problem:
    """A RowError with its sheet; row 0 means the file as a whole."""

    sheet: str
    row: int
    column: str
    message: str


# ---------------------------------------------------------------- cell parsers

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_LINE_BREAK = re.compile("[\t\n\r\u2028\u2029]")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def clean_text(value: Any) -> str:
    """Trimmed text of a cell; refuses control characters and U+FFFD (a broken encoding)."""
    if isinstance(value, bool):
        raise CellError("应填写文字，不能是逻辑值")
    if isinstance(value, datetime | date):
        raise CellError("应填写文字，不能是日期")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if _CONTROL.search(text):
        raise CellError("含有无法识别的字符（可能是文件编码错误），请检查后重新填写")
    if _LINE_BREAK.search(text):
        raise CellError("不能包含换行符或制表符")
    return text


def text(max_length: int) -> Callable[[Any, date], str]:
    def parse(value: Any, today: date) -> str:
        result = clean_text(value)
        if len(result) > max_length:
            raise CellError(f"长度超过{max_length}个字")
        return result

    return parse


def unit_name(value: Any, today: date) -> str:
    name = text(100)(value, today)
    if "/" in name or "／" in name:
        raise CellError("单位名称不能包含“/”（“/”用于分隔上级单位和本级单位）")
    return name


def split_unit_ref(raw: str) -> UnitRef:
    parts = [p.strip() for p in raw.replace("／", "/").split("/")]
    while parts and not parts[0]:
        parts.pop(0)
    while parts and not parts[-1]:
        parts.pop()
    if not parts or any(not p for p in parts):
        raise CellError(f"单位路径「{raw}」中有空的层级，应写成“上级单位/本级单位”")
    return tuple(parts)


def unit_ref(value: Any, today: date) -> UnitRef:
    return split_unit_ref(text(300)(value, today))


def id_number(value: Any, today: date) -> str:
    if _is_number(value):
        raise CellError(
            "身份证号是数字格式的单元格（18位号码在Excel中会丢失精度），"
            "请把该列设为“文本”格式后重新填写"
        )
    try:
        result = rules.validate_id_number(clean_text(value))
    except rules.IdNumberError as exc:
        raise CellError(str(exc)) from exc
    if rules.id_birth_date(result) > today:
        raise CellError("身份证号中的出生日期晚于今天")
    return result


def a_date(value: Any, today: date) -> date:
    """Excel dates, or text like 2019-03-01, 2019/3/1, 2019.03.01, 2019年3月1日, 20190301;
    a month alone (2019.03, 2019年3月) means its first day."""
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        if isinstance(value, float) and not value.is_integer():
            raise CellError("日期格式不正确，应为 2019-03-01 或Excel日期格式")
        raw = unicodedata.normalize("NFKC", clean_text(value))
        match = _DATE.match(raw) or _COMPACT_DATE.match(raw)
        if match is None:
            raise CellError(f"日期「{raw}」格式不正确，应为 2019-03-01 或Excel日期格式")
        y, m, d = match.groups()
        try:
            day = date(int(y), int(m), int(d or 1))
        except ValueError as exc:
            raise CellError(f"日期「{raw}」不存在") from exc
    if day.year < 1900:
        raise CellError("日期早于1900年，不合理")
    if day > today:
        raise CellError("日期晚于今天")
    return day


def choice(options: type[models.TextChoices], what: str) -> Callable[[Any, date], str]:
    """A TextChoices field given by its Chinese label (full-width brackets accepted)."""
    by_label = {unicodedata.normalize("NFKC", label): value for value, label in options.choices}

    def parse(value: Any, today: date) -> str:
        raw = clean_text(value)
        try:
            return by_label[unicodedata.normalize("NFKC", raw)]
        except KeyError:
            labels = "、".join(label for _, label in options.choices)
            raise CellError(f"「{raw}」不是有效的{what}，可选：{labels}") from None

    return parse


def yes_no(value: Any, today: date) -> bool:
    if isinstance(value, bool):
        return value
    raw = clean_text(value)
    if raw in ("是", "否"):
        return raw == "是"
    raise CellError(f"「{raw}」应填写“是”或“否”")


def headcount(value: Any, today: date) -> int:
    raw = unicodedata.normalize("NFKC", clean_text(value))
    if not raw.isdigit() or not 1 <= int(raw) <= 99:
        raise CellError("职数应为1到99之间的整数")
    return int(raw)


def region_code(value: Any, today: date) -> str:
    raw = unicodedata.normalize("NFKC", clean_text(value))
    if not re.fullmatch(r"\d{6}", raw):
        raise CellError("行政区划代码应为6位数字")
    return raw


@dataclass(frozen=True)
class Column:
    field: str
    parse: Callable[[Any, date], Any]
    required: bool
    note: str
    example: Any = ""
    default: Any = ""
    options: Sequence[str] = ()
    as_text: bool = False  # template column formatted as text (ID numbers)


def _labels(options: type[models.TextChoices]) -> list[str]:
    return [label for _, label in options.choices]


REF_NOTE = "单位名称；重名时写成“上级/本级”路径，如 示范市/东湖县/东湖县财政局"
EXAMPLE_ID = "33010219850615001" + rules.id_check_char("33010219850615001")
EXAMPLE_UNIT = "示范市/东湖县/东湖县数据局"

UNIT_COLUMNS: dict[str, Column] = {
    "单位名称": Column(
        "name", unit_name, True, "新建单位的名称（同一上级下不能重名）", "东湖县数据局"
    ),
    "上级单位": Column(
        "parent",
        unit_ref,
        True,
        "已有单位或本表前面行中的单位（不能导入顶层单位）；" + REF_NOTE,
        "示范市/东湖县",
    ),
    "单位类型": Column(
        "kind",
        choice(UnitKind, "单位类型"),
        True,
        "从下拉列表选择",
        UnitKind.GOV_ORGAN.label,
        options=_labels(UnitKind),
    ),
    "行政区划代码": Column(
        "region_code", region_code, False, "6位数字，可不填", "330102", as_text=True
    ),
}
POSITION_COLUMNS: dict[str, Column] = {
    "单位名称": Column("unit", unit_ref, True, REF_NOTE, EXAMPLE_UNIT),
    "职位名称": Column("title", text(60), True, "同一单位内不能重名", "局长"),
    "是否领导职务": Column(
        "is_leadership", yes_no, False, "是/否，不填为否", "是", False, options=["是", "否"]
    ),
    "领导职务层次": Column(
        "leadership_level",
        choice(LeadershipLevel, "领导职务层次"),
        False,
        "领导职务必填，非领导职务不填",
        LeadershipLevel.SECTION_CHIEF.label,
        options=_labels(LeadershipLevel),
    ),
    "工作领域": Column(
        "work_field",
        choice(WorkField, "工作领域"),
        False,
        "不填为“综合”",
        WorkField.GENERAL.label,
        WorkField.GENERAL,
        options=_labels(WorkField),
    ),
    "是否重点岗位": Column(
        "is_key_post", yes_no, False, "是/否，不填为否", "否", False, options=["是", "否"]
    ),
    "职数": Column("headcount", headcount, False, "1到99的整数，不填为1", 1, 1),
}
CADRE_COLUMNS: dict[str, Column] = {
    "姓名": Column("name", text(30), True, "", "张明"),
    "身份证号": Column(
        "id_number",
        id_number,
        True,
        "18位，须为文本格式（不能是数字格式）；性别和出生日期由身份证号得出",
        EXAMPLE_ID,
        as_text=True,
    ),
    "民族": Column("ethnicity", text(20), False, "不填为汉族", "汉族", "汉族"),
    "学历": Column(
        "education",
        choice(Education, "学历"),
        True,
        "从下拉列表选择",
        Education.BACHELOR.label,
        options=_labels(Education),
    ),
    "专业": Column("specialty", text(50), False, "", "计算机科学与技术"),
    "政治面貌": Column(
        "political_status",
        choice(Political, "政治面貌"),
        True,
        "从下拉列表选择",
        Political.CPC.label,
        options=_labels(Political),
    ),
    "入党时间": Column(
        "joined_party_on",
        a_date,
        False,
        "中共党员、中共预备党员必填，其他不填；须年满18周岁",
        "2008-06-01",
        None,
    ),
    "参加工作时间": Column("joined_work_on", a_date, True, "须年满16周岁", "2007-07-01"),
    "所在单位": Column(
        "unit", unit_ref, True, REF_NOTE + "；有现任主要职务时以该职务所在单位为准", EXAMPLE_UNIT
    ),
    "职级": Column(
        "rank",
        choice(Rank, "职级"),
        False,
        "现任职级，可不填",
        Rank.LEVEL1_PRINCIPAL_CLERK.label,
        options=_labels(Rank),
    ),
    "任职级时间": Column("rank_since", a_date, False, "填写职级时必填", "2020-01-01", None),
}
APPOINTMENT_COLUMNS: dict[str, Column] = {
    "身份证号": Column(
        "id_number",
        id_number,
        True,
        "已登记的干部或本文件“干部”表中的干部；文本格式",
        EXAMPLE_ID,
        as_text=True,
    ),
    "单位名称": Column("unit", unit_ref, True, REF_NOTE, EXAMPLE_UNIT),
    "职位名称": Column("title", text(60), True, "该单位已有的职位或“职位”表中的职位", "局长"),
    "任职时间": Column("started_on", a_date, True, "", "2021-03-01"),
    "免职时间": Column("ended_on", a_date, False, "现任职务不填；同一干部的任职不能重叠", "", None),
    "任职方式": Column(
        "how",
        choice(AppointmentHow, "任职方式"),
        False,
        "不填为“任命”",
        AppointmentHow.APPOINT.label,
        AppointmentHow.APPOINT,
        options=_labels(AppointmentHow),
    ),
    "人事关系所在单位": Column(
        "home_unit", unit_ref, False, "不填为职位所在单位（挂职时为干部所在单位）", "", ()
    ),
}


# ---------------------------------------------------------------- row dataclasses


@dataclass(frozen=True)
class UnitRow:
    row: int
    name: str
    parent: UnitRef
    kind: str
    region_code: str


@dataclass(frozen=True)
class PositionRow:
    row: int
    unit: UnitRef
    title: str
    is_leadership: bool
    leadership_level: str
    work_field: str
    is_key_post: bool
    headcount: int


@dataclass(frozen=True)
class CadreRow:
    row: int
    name: str
    id_number: str
    gender: str
    birth_date: date
    ethnicity: str
    education: str
    specialty: str
    political_status: str
    joined_party_on: date | None
    joined_work_on: date
    unit: UnitRef
    rank: str
    rank_since: date | None


@dataclass(frozen=True)
class AppointmentRow:
    row: int
    id_number: str
    unit: UnitRef
    title: str
    started_on: date
    ended_on: date | None
    how: str
    home_unit: UnitRef

    @property
    def is_primary(self) -> bool:
        """A secondment (挂职) runs beside the cadre's main post (公务员法 第七十二条)."""
        return self.how != AppointmentHow.SECONDMENT


# ---------------------------------------------------------------- generic row reading


def _value(cell: Any) -> Any:
    return cell.value if hasattr(cell, "value") else cell


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_header(
    cells: Sequence[Any], columns: dict[str, Column]
) -> tuple[dict[str, int], list[RowError]]:
    """Maps each expected header to its column index; extra, missing, blank or repeated
    headers are errors, so that no column is ever silently shifted."""
    names = [_header_text(_value(c)) for c in cells]
    while names and not names[-1]:
        names.pop()
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for i, name in enumerate(names):
        letter = f"{get_column_letter(i + 1)}列"
        if not name:
            errors.append(RowError(1, letter, "表头为空：请删除该列或填写模板中的列名"))
        elif name not in columns:
            allowed = "、".join(columns)
            errors.append(RowError(1, letter, f"多余的列「{name}」，本表只接受：{allowed}"))
        elif name in positions:
            errors.append(RowError(1, letter, f"列「{name}」重复"))
        else:
            positions[name] = i
    errors += [RowError(1, n, f"缺少列「{n}」") for n in columns if n not in positions]
    if errors and not positions:
        errors.insert(0, RowError(1, "表头", "表头与模板不一致，请使用系统提供的模板（中文表头）"))
    return positions, errors


def _header_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _read_rows(
    rows: Iterable[Sequence[Any]], columns: dict[str, Column], today: date
) -> Iterator[tuple[int, dict[str, Any] | None, list[RowError]]]:
    """Yields (row number, parsed values or None, cell errors) for each non-blank row."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        yield 1, None, [RowError(1, "表头", "工作表为空，缺少表头")]
        return
    positions, errors = check_header(header, columns)
    if errors:
        yield 1, None, errors
        return
    width = len(columns)
    for number, cells in enumerate(iterator, start=2):
        if all(_is_blank(_value(c)) for c in cells):
            continue
        values: dict[str, Any] = {}
        errors = []
        for header_name, column in columns.items():
            i = positions[header_name]
            cell = cells[i] if i < len(cells) else None
            try:
                values[column.field] = _parse_cell(cell, column, today)
            except CellError as exc:
                errors.append(RowError(number, header_name, str(exc)))
        errors += [
            RowError(number, f"{get_column_letter(i + 1)}列", "该列有内容但没有表头")
            for i in range(width, len(cells))
            if not _is_blank(_value(cells[i]))
        ]
        yield number, None if errors else values, errors


def _parse_cell(cell: Any, column: Column, today: date) -> Any:
    if getattr(cell, "data_type", None) == "f":
        raise CellError("单元格含有公式，请改为直接填写内容（公式不会被计算或导入）")
    value = _value(cell)
    if _is_blank(value):
        if column.required:
            raise CellError("必填项，不能为空")
        return column.default
    return column.parse(value, today)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# ---------------------------------------------------------------- sheets


def parse_units(
    rows: Iterable[Sequence[Any]], *, today: date | None = None
) -> tuple[list[UnitRow], list[RowError]]:
    result: list[UnitRow] = []
    errors: list[RowError] = []
    for number, values, row_errors in _read_rows(rows, UNIT_COLUMNS, _today(today)):
        errors += row_errors
        if values is not None:
            result.append(UnitRow(row=number, **values))
    return result, errors


def parse_positions(
    rows: Iterable[Sequence[Any]], *, today: date | None = None
) -> tuple[list[PositionRow], list[RowError]]:
    result: list[PositionRow] = []
    errors: list[RowError] = []
    for number, values, row_errors in _read_rows(rows, POSITION_COLUMNS, _today(today)):
        errors += row_errors
        if values is None:
            continue
        if values["is_leadership"] and not values["leadership_level"]:
            errors.append(RowError(number, "领导职务层次", "领导职务必须填写领导职务层次"))
        elif not values["is_leadership"] and values["leadership_level"]:
            errors.append(RowError(number, "领导职务层次", "非领导职务不应填写领导职务层次"))
        else:
            result.append(PositionRow(row=number, **values))
    return result, errors


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _cadre_problems(v: dict[str, Any], born: date) -> list[tuple[str, str]]:
    problems = []
    if v["joined_work_on"] < _years_after(born, MIN_WORK_AGE):
        problems.append(("参加工作时间", "参加工作时间早于年满16周岁（劳动法第十五条）"))
    party = v["political_status"] in PARTY_STATUSES
    label = Political(v["political_status"]).label
    if party and v["joined_party_on"] is None:
        problems.append(("入党时间", f"政治面貌为{label}时必须填写入党时间"))
    elif not party and v["joined_party_on"] is not None:
        problems.append(("入党时间", f"政治面貌为{label}时不应填写入党时间"))
    elif party and v["joined_party_on"] < _years_after(born, MIN_PARTY_AGE):
        problems.append(("入党时间", "入党时间早于年满18周岁（中国共产党章程第一条）"))
    if bool(v["rank"]) != bool(v["rank_since"]):
        problems.append(("任职级时间", "职级和任职级时间须同时填写或同时不填"))
    elif v["rank_since"] and v["rank_since"] < v["joined_work_on"]:
        problems.append(("任职级时间", "任职级时间早于参加工作时间"))
    return problems


def parse_cadres(
    rows: Iterable[Sequence[Any]], *, today: date | None = None
) -> tuple[list[CadreRow], list[RowError]]:
    result: list[CadreRow] = []
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for number, values, row_errors in _read_rows(rows, CADRE_COLUMNS, _today(today)):
        errors += row_errors
        if values is None:
            continue
        born = rules.id_birth_date(values["id_number"])
        problems = _cadre_problems(values, born)
        seen = first_row.setdefault(values["id_number"], number)
        if seen != number:
            problems.append(("身份证号", f"与第{seen}行的身份证号重复（同一人只能登记一次）"))
        errors += [RowError(number, column, message) for column, message in problems]
        if not problems:
            gender = rules.id_gender(values["id_number"])
            result.append(CadreRow(row=number, gender=gender, birth_date=born, **values))
    return result, errors


def parse_appointments(
    rows: Iterable[Sequence[Any]], *, today: date | None = None
) -> tuple[list[AppointmentRow], list[RowError]]:
    result: list[AppointmentRow] = []
    errors: list[RowError] = []
    for number, values, row_errors in _read_rows(rows, APPOINTMENT_COLUMNS, _today(today)):
        errors += row_errors
        if values is None:
            continue
        if values["ended_on"] is not None and values["ended_on"] < values["started_on"]:
            errors.append(RowError(number, "免职时间", "免职时间不能早于任职时间"))
        else:
            result.append(AppointmentRow(row=number, **values))
    return result, errors


# ---------------------------------------------------------------- workbook

Parser = Callable[..., tuple[list[Any], list[RowError]]]
# Applied in this order, so that rows can reference rows of earlier sheets.
SHEETS: dict[str, tuple[dict[str, Column], Parser]] = {
    SHEET_UNITS: (UNIT_COLUMNS, parse_units),
    SHEET_POSITIONS: (POSITION_COLUMNS, parse_positions),
    SHEET_CADRES: (CADRE_COLUMNS, parse_cadres),
    SHEET_APPOINTMENTS: (APPOINTMENT_COLUMNS, parse_appointments),
}
SHEET_SLUGS = {
    "units": SHEET_UNITS,
    "positions": SHEET_POSITIONS,
    "cadres": SHEET_CADRES,
    "appointments": SHEET_APPOINTMENTS,
}


@dataclass
class ParsedWorkbook:
    units: list[UnitRow]
    positions: list[PositionRow]
    cadres: list[CadreRow]
    appointments: list[AppointmentRow]
    problems: list[Problem]

    @property
    def row_count(self) -> int:
        return len(self.units) + len(self.positions) + len(self.cadres) + len(self.appointments)


class _RowBudget:
    """Counts data rows across sheets (blank ones too) and stops at the cap."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def rows(self, source: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        for i, row in enumerate(source):
            if i > 0:
                self.used += 1
                if self.used > self.limit:
                    raise ExcelFileError(f"数据行数超过上限（最多{self.limit}行），请分批导入")
            yield row


def _check_sheets(wb: openpyxl.Workbook) -> list[str]:
    unknown = [n for n in wb.sheetnames if n not in SHEETS and n != NOTES_SHEET]
    if unknown:
        raise ExcelFileError(
            f"工作表「{unknown[0]}」不是可导入的工作表；可导入的工作表为："
            f"{'、'.join(SHEETS)}（以及“{NOTES_SHEET}”）"
        )
    present = [n for n in SHEETS if n in wb.sheetnames]
    if not present:
        raise ExcelFileError(f"未找到可导入的工作表（{'、'.join(SHEETS)}）")
    for name in present:
        if wb[name].sheet_state != "visible":
            raise ExcelFileError(f"工作表「{name}」处于隐藏状态，请取消隐藏并检查内容后再导入")
    return present


def parse_workbook(wb: openpyxl.Workbook, *, max_rows: int, today: date) -> ParsedWorkbook:
    """Parses every import sheet present; raises ExcelFileError for the file as a whole."""
    parsed = ParsedWorkbook([], [], [], [], [])
    budget = _RowBudget(max_rows)
    targets: dict[str, list[Any]] = {
        SHEET_UNITS: parsed.units,
        SHEET_POSITIONS: parsed.positions,
        SHEET_CADRES: parsed.cadres,
        SHEET_APPOINTMENTS: parsed.appointments,
    }
    for name in _check_sheets(wb):
        ws = wb[name]
        ws.reset_dimensions()  # a wrong <dimension> tag must not truncate the rows read
        columns, parser = SHEETS[name]
        header = next(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_HEADER_COLUMNS), ())
        width = max(len(columns), len(header)) + EXTRA_COLUMNS_READ
        rows, errors = parser(budget.rows(ws.iter_rows(max_col=width)), today=today)
        targets[name].extend(rows)
        parsed.problems += [Problem(name, e.row, e.column, e.message) for e in errors]
    return parsed


# ---------------------------------------------------------------- template

GENERAL_NOTES = [
    "本模板用于批量导入单位、职位、干部、任职记录。可只保留需要的工作表，工作表名称和表头不得修改。",
    "导入顺序：单位 → 职位 → 干部 → 任职；后面的表可以引用前面表中新增的单位、职位和干部。",
    "单位按名称引用；如有重名单位，请写成“上级/本级”路径，例如 示范市/东湖县/东湖县财政局"
    "（可以只写最后几级，如 东湖县/东湖县财政局）。"
    "“单位”表中的上级单位须已存在或在本表前面的行中。",
    "只能导入您管理范围内的单位、职位和干部；超出范围的行将被拒绝。",
    "日期写成 2019-03-01（也可用 2019/3/1、2019年3月1日 或Excel日期格式）；只写年月时按当月1日。",
    "身份证号必须是文本格式（模板中该列已设为文本），数字格式会丢失精度，将被拒绝；全角数字会自动转换。",
    "单元格中不能使用公式；首尾空格会自动去除。",
    "整个文件全部正确才会导入；只要有一处错误，所有数据都不写入，并列出每处错误的行号、列和问题。",
    "同一干部（身份证号）只能登记一次；重复上传同一文件会因人员重复而被拒绝，不会产生重复数据。",
    "同一干部的主要职务任职时间不能重叠（免职与新任职可为同一天）；挂职可与主要职务并存。",
    "示例行仅供参考，导入前请删除。",
]


def _write_sheet(wb: openpyxl.Workbook, name: str, columns: dict[str, Column]) -> None:
    ws = wb.create_sheet(name)
    ws.append(list(columns))
    ws.append([c.example for c in columns.values()])
    bold = Font(bold=True)
    for i, (header, column) in enumerate(columns.items(), start=1):
        letter = get_column_letter(i)
        ws[f"{letter}1"].font = bold
        if column.required:
            ws[f"{letter}1"].fill = PatternFill("solid", fgColor="FDE2E1")
        ws.column_dimensions[letter].width = max(14, len(header) * 3)
        if column.as_text:
            ws.column_dimensions[letter].number_format = "@"
            ws[f"{letter}2"].number_format = "@"
        if column.options:
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(column.options) + '"',
                allow_blank=not column.required,
            )
            rule.add(f"{letter}2:{letter}5000")
            ws.add_data_validation(rule)
    ws.freeze_panes = "A2"


def _write_notes(wb: openpyxl.Workbook, names: Sequence[str], max_rows: int) -> None:
    ws = wb.create_sheet(NOTES_SHEET)
    ws.append(["填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    for i, note in enumerate(GENERAL_NOTES, start=1):
        ws.append([f"{i}. {note}"])
    ws.append([f"{len(GENERAL_NOTES) + 1}. 每个文件最多 {max_rows} 行数据。"])
    ws.append([])
    ws.append(["工作表", "列", "是否必填", "说明"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for name in names:
        for header, column in SHEETS[name][0].items():
            ws.append([name, header, "必填" if column.required else "选填", column.note])
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 80


def build_template(names: Sequence[str], *, max_rows: int) -> openpyxl.Workbook:
    """A workbook with the given import sheets (header, example row) and the notes sheet."""
    wb = openpyxl.Workbook()
    del wb[wb.sheetnames[0]]
    for name in names:
        _write_sheet(wb, name, SHEETS[name][0])
    _write_notes(wb, names, max_rows)
    return wb
