"""Task book sheet: units draft a book in Excel (one sheet), import it all or nothing, export it.

`parse_book_sheet` is pure (no database): it maps the Chinese headers (HEADERS, the one dict
of this sheet) to rows and collects RowError(row, column, message). The import then resolves
owners by name inside the book's unit and hands the whole list to services.replace_tasks,
which writes it in one transaction or not at all.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from cadre.cadres.models import Cadre
from cadre.core.excel import ExcelFileError, RowError, cell_text, export_response, open_workbook
from cadre.targets import rules, services
from cadre.targets.models import IndicatorKind, KeyProject, TaskCategory

HEADERS = {
    "任务名称": "title",
    "类别": "category",
    "指标类型": "indicator_kind",
    "计量单位": "indicator_unit",
    "目标值": "target_value",
    "权重": "weight",
    "完成时限": "due_date",
    "责任人": "owners",
    "服务重点项目编号": "key_project",
    "奖惩认定": "reward_rule",
    "节点": "milestones",
}
REQUIRED = ("任务名称", "类别", "指标类型", "权重", "完成时限")
CATEGORIES = {label: value for value, label in TaskCategory.choices}
KINDS = {label: value for value, label in IndicatorKind.choices}
MAX_TASKS = 200


@dataclass
class ParsedRow:
    row: int
    data: services.TaskData
    owner_names: list[str]


def _decimal(text: str, row: int, column: str, errors: list[RowError]) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        errors.append(RowError(row, column, "应为数字"))
        return None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        errors.append(RowError(row, column, "数值超出范围"))
        return None
    return value.quantize(Decimal("0.01"))


def _date(value: Any, row: int, column: str, errors: list[RowError]) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(cell_text(value).replace("/", "-"))
    except ValueError:
        errors.append(RowError(row, column, "应为日期，格式 YYYY-MM-DD"))
        return None


def _milestones(text: str, row: int, errors: list[RowError]) -> list[tuple[str, date]]:
    found = []
    for part in text.replace("；", "\n").replace(";", "\n").splitlines():
        part = part.strip()
        if not part:
            continue
        day, _, title = part.partition(" ")
        try:
            found.append((title.strip(), date.fromisoformat(day)))
        except ValueError:
            errors.append(RowError(row, "节点", f"“{part[:30]}”格式应为“YYYY-MM-DD 节点名称”"))
            continue
        if not title.strip():
            errors.append(RowError(row, "节点", "缺少节点名称"))
    return found


def _parse_row(
    n: int, cells: dict[str, Any], year: int, errors: list[RowError]
) -> ParsedRow | None:
    text = {h: cell_text(cells.get(h)) for h in HEADERS}
    before = len(errors)
    for h in REQUIRED:
        if not text[h]:
            errors.append(RowError(n, h, "必填"))
    if text["类别"] and text["类别"] not in CATEGORIES:
        errors.append(RowError(n, "类别", f"应为{'、'.join(CATEGORIES)}之一"))
    if text["指标类型"] and text["指标类型"] not in KINDS:
        errors.append(RowError(n, "指标类型", f"应为{'、'.join(KINDS)}之一"))
    if len(text["任务名称"]) > 200:
        errors.append(RowError(n, "任务名称", "不能超过200个字"))
    weight = _decimal(text["权重"], n, "权重", errors)
    if weight is not None and weight <= 0:
        errors.append(RowError(n, "权重", "必须大于0"))
    target = _decimal(text["目标值"], n, "目标值", errors)
    due = _date(cells.get("完成时限"), n, "完成时限", errors) if text["完成时限"] else None
    if due is not None and due.year != year:
        errors.append(RowError(n, "完成时限", f"不在任务书年度（{year}年）内"))
    stones = _milestones(text["节点"], n, errors)
    for _, d in stones:
        if d.year != year:
            errors.append(RowError(n, "节点", f"节点日期{d}不在任务书年度（{year}年）内"))
    kind = KINDS.get(text["指标类型"])
    if kind == IndicatorKind.NUMERIC and (target is None or target <= 0):
        errors.append(RowError(n, "目标值", "数值指标必须填写大于0的目标值"))
    if kind == IndicatorKind.MILESTONES and not stones and not text["节点"]:
        errors.append(RowError(n, "节点", "节点指标至少需要一个节点"))
    project = None
    if text["服务重点项目编号"]:
        if not text["服务重点项目编号"].isdigit():
            errors.append(RowError(n, "服务重点项目编号", "应为项目编号（数字）"))
        else:
            project = int(text["服务重点项目编号"])
    if len(errors) > before or weight is None or due is None or kind is None:
        return None
    owners = [
        p.strip()
        for p in text["责任人"].replace("，", "、").replace(",", "、").split("、")
        if p.strip()
    ]
    return ParsedRow(
        n,
        services.TaskData(
            title=text["任务名称"],
            category=CATEGORIES[text["类别"]],
            indicator_kind=kind,
            weight=weight,
            due_date=due,
            indicator_unit=text["计量单位"][:20],
            target_value=target if kind == IndicatorKind.NUMERIC else None,
            key_project_id=project,
            reward_rule=text["奖惩认定"],
            milestones=stones,
        ),
        owners,
    )


def parse_book_sheet(
    rows: Iterable[tuple[Any, ...]], year: int
) -> tuple[list[ParsedRow], list[RowError]]:
    """Rows as read from the sheet (the first is the header). Pure."""
    it = iter(rows)
    header = [cell_text(v) for v in next(it, ())]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        return [], [RowError(1, "表头", f"缺少列：{'、'.join(missing)}")]
    unknown = [h for h in header if h and h not in HEADERS and h != "序号"]
    if unknown:
        return [], [RowError(1, "表头", f"无法识别的列：{'、'.join(unknown)}")]
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    for n, values in enumerate(it, start=2):
        if all(v is None or cell_text(v) == "" for v in values):
            continue
        if len(parsed) + len(errors) > MAX_TASKS:
            errors.append(RowError(n, "", f"一本任务书最多{MAX_TASKS}项任务"))
            break
        cells = dict(zip(header, values, strict=False))
        formulas = [h for h, v in cells.items() if isinstance(v, str) and v.startswith("=")]
        if formulas:
            errors += [RowError(n, h, "不能是公式，请粘贴为数值") for h in formulas]
            continue
        row = _parse_row(n, cells, year, errors)
        if row is not None:
            parsed.append(row)
    if not parsed and not errors:
        errors.append(RowError(2, "", "文件中没有任务"))
    if not errors:
        try:
            rules.check_weights([p.data.weight for p in parsed])
        except rules.RuleError as exc:
            errors.append(RowError(0, "权重", str(exc)))
    return parsed, errors


def _resolve_owners(request: HttpRequest, book: Any, parsed: list[ParsedRow]) -> list[RowError]:
    names = {n.split("#")[0] for p in parsed for n in p.owner_names}
    found: dict[str, list[int]] = {}
    for pk, name in (
        Cadre.objects.visible_to(request.user)
        .filter(org_unit__path__startswith=book.unit.path, name__in=names)
        .values_list("pk", "name")
    ):
        found.setdefault(name, []).append(pk)
    errors = []
    for p in parsed:
        ids = []
        for owner in p.owner_names:
            name, _, given = owner.partition("#")
            matches = found.get(name, [])
            if given.isdigit() and int(given) in matches:
                ids.append(int(given))
            elif len(matches) == 1 and not given:
                ids.append(matches[0])
            elif len(matches) > 1 and not given:
                errors.append(RowError(p.row, "责任人", f"“{name}”重名，请写成“姓名#干部编号”"))
            else:
                errors.append(RowError(p.row, "责任人", f"“{owner}”不是{book.unit.name}的干部"))
        p.data.owner_ids = ids
    return errors


def _check_projects(request: HttpRequest, parsed: list[ParsedRow]) -> list[RowError]:
    wanted = {p.data.key_project_id for p in parsed if p.data.key_project_id}
    known = set(
        KeyProject.objects.visible_to(request.user)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    return [
        RowError(p.row, "服务重点项目编号", "项目不存在或不在您的范围内")
        for p in parsed
        if p.data.key_project_id and p.data.key_project_id not in known
    ]


def import_book(request: HttpRequest, book: Any, upload: Any) -> tuple[list[RowError], int]:
    """Returns (errors, status); writes nothing unless every row is valid."""
    limit = settings.CADRE_IMPORT_MAX_BYTES
    if upload.size > limit:
        return [RowError(0, "文件", f"文件大小超过上限（{limit // 1024 // 1024} MB）")], 400
    try:
        wb = open_workbook(upload.read(), max_bytes=limit)
    except ExcelFileError as exc:
        return [RowError(0, "文件", str(exc))], 400
    if len(wb.sheetnames) != 1:
        return [RowError(0, "文件", "文件只能包含一个工作表")], 400
    parsed, errors = parse_book_sheet(wb.worksheets[0].iter_rows(values_only=True), book.year)
    if not errors:
        errors = _resolve_owners(request, book, parsed) + _check_projects(request, parsed)
    if errors:
        return errors, 400
    try:
        services.replace_tasks(by=request.user, book=book, tasks=[p.data for p in parsed])
    except rules.RuleError as exc:
        return [RowError(0, "", str(exc))], 400
    return [], 200


def export_book(book: Any, tasks: Any) -> HttpResponse:
    """The same sheet layout as the import, so a unit can export, edit and re-import."""
    rows = []
    for seq, t in enumerate(tasks.prefetch_related("owners", "milestones"), start=1):
        stones = "\n".join(f"{m.due_date} {m.title}" for m in t.milestones.all() if not m.withdrawn)
        rows.append(
            [
                seq,
                t.title,
                t.get_category_display(),
                t.get_indicator_kind_display(),
                t.indicator_unit,
                t.target_value,
                t.weight,
                t.due_date,
                "、".join(f"{c.name}#{c.pk}" for c in t.owners.all()),
                t.key_project_id or "",
                t.reward_rule,
                stones,
            ]
        )
    return export_response(f"{book.title}.xlsx", "任务书", ["序号", *HEADERS], rows)
