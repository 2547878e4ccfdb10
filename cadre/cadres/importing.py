"""The Excel import service: cross-checks a parsed workbook against the registry, then writes
everything in ONE transaction, or nothing at all (TRUST.md IM-01 h).

Checks are set-based: the units in the importer's write scope, the positions of the units the
file names, the cadres whose keyed ID hash the file names and their appointments are each read
with a few queries, never one query per row. Writes are bulk inserts with history rows.
A new current post of a cadre already in the registry passes the eligibility gate
(cadre.cadres.decisions, issue 11) once the new positions are written: a blocked row is
reported with every reason and the whole import is rolled back (`_Plan._check_eligibility`).
"""

import hashlib
import logging
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cadre.accounts.access import has_role
from cadre.accounts.models import Role, User
from cadre.audit.services import record_event
from cadre.cadres import decisions, excel
from cadre.cadres.decisions import Decision
from cadre.cadres.excel import (
    AppointmentRow,
    CadreRow,
    CellError,
    ParsedWorkbook,
    PositionRow,
    Problem,
    UnitRef,
    UnitRow,
)
from cadre.cadres.models import Appointment, AppointmentHow, Cadre, RankRecord
from cadre.cadres.services import appointment_decisions, id_fields
from cadre.core.excel import ExcelFileError, open_workbook
from cadre.orgs.models import OrgUnit, Position

log = logging.getLogger(__name__)

XLSX_MAGIC = b"PK\x03\x04"
CHANGE_REASON = "Excel导入"
BATCH = 1000
IN_CHUNK = 2000  # ids per IN (...) list
_IMPORT_LOCK = 7_331_002  # PostgreSQL advisory lock serialising imports
COUNT_LABELS = {
    "units": "单位",
    "positions": "职位",
    "cadres": "干部",
    "ranks": "职级记录",
    "appointments": "任职记录",
    "refreshed": "更新现任职务的已有干部",
}
SHEET_ORDER = {name: i for i, name in enumerate(excel.SHEETS)}
M = TypeVar("M", bound=Model)


@dataclass
class ImportResult:
    problems: list[Problem]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return "，".join(f"{COUNT_LABELS[k]} {v} 条" for k, v in self.counts.items())


def import_workbook(
    *, data: bytes, by: User | None, request: Any = None, cli: bool = False
) -> ImportResult:
    """Imports a workbook as `by` (None = the system, full scope, from the CLI)."""
    if by is not None and not has_role(by, Role.ORG_ADMIN):
        raise PermissionDenied("只有组织部干部可以导入数据")
    audit = {"sha256": hashlib.sha256(data).hexdigest(), "cli": cli}
    try:
        parsed = _parse(data)
    except ExcelFileError as exc:
        return _refused(by, [Problem("", 0, "", str(exc))], audit, request)
    try:
        with transaction.atomic():
            _lock()
            plan = _Plan(by)
            problems = sorted(parsed.problems + plan.check(parsed), key=_order)
            if problems:
                return _refused(by, problems, audit, request)
            counts = plan.write()
            record_event(
                actor=by,
                action="import",
                object_type="cadres.import",
                request=request,
                detail={**audit, "counts": counts},
            )
    except IntegrityError:
        log.warning("import hit a constraint", exc_info=True)
        message = "写入时发现数据冲突（可能有他人同时修改），未写入任何数据，请重新导入"
        return _refused(by, [Problem("", 0, "", message)], audit, request)
    except _Ineligible as blocked:  # raised inside the transaction: everything rolled back
        return _refused(by, sorted(blocked.problems, key=_order), audit, request)
    return ImportResult([], counts)


def check_file_name(name: str) -> None:
    if not name.lower().endswith(".xlsx"):
        raise ExcelFileError("只接受 .xlsx 格式的Excel文件（不接受 .xls、.xlsm、.csv 等）")


class _Ineligible(Exception):
    """Rows the eligibility gate refuses, found after the new positions were written (they
    are checked against the target post); raising it rolls the whole import back."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} rows refused")
        self.problems = problems


def _order(p: Problem) -> tuple[int, int]:
    return SHEET_ORDER.get(p.sheet, -1), p.row


def _parse(data: bytes) -> ParsedWorkbook:
    if not data.startswith(XLSX_MAGIC):
        raise ExcelFileError("文件不是有效的Excel（.xlsx）文件")
    wb = open_workbook(data, max_bytes=settings.CADRE_IMPORT_MAX_BYTES)
    try:
        return excel.parse_workbook(
            wb, max_rows=settings.CADRE_IMPORT_MAX_ROWS, today=timezone.localdate()
        )
    except (ValueError, KeyError, OSError, EOFError, SyntaxError, zipfile.BadZipFile) as exc:
        # openpyxl reads a read-only workbook lazily: a broken file fails here, in its code
        log.warning("unreadable workbook", exc_info=True)
        raise ExcelFileError("无法读取Excel文件，文件可能已损坏") from exc
    finally:
        wb.close()


def _refused(
    by: User | None, problems: list[Problem], audit: dict[str, Any], request: Any
) -> ImportResult:
    record_event(
        actor=by,
        action="import_refused",
        object_type="cadres.import",
        request=request,
        detail={**audit, "problems": len(problems)},
    )
    return ImportResult(problems)


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK])
    # SQLite: the settings open IMMEDIATE transactions, which already serialise writers.


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = list(values)
    for i in range(0, len(items), IN_CHUNK):
        yield items[i : i + IN_CHUNK]


# ---------------------------------------------------------------- the plan's nodes


def _written(db_id: int | None) -> int:
    """The id of a node already in the database: a registry row, or one written earlier in
    this import (units, then positions, then cadres, then their records)."""
    assert db_id is not None
    return db_id


@dataclass(eq=False)
class _Unit:
    chain: UnitRef  # names from the root down to this unit
    db_id: int | None = None
    path: str = ""
    depth: int = 0
    dissolved: bool = False
    parent: "_Unit | None" = None
    new: OrgUnit | None = None  # to be created

    @property
    def label(self) -> str:
        return "/".join(self.chain[-3:])


@dataclass(eq=False)
class _Position:
    unit: _Unit
    title: str
    is_leadership: bool
    leadership_level: str
    db_id: int | None = None
    new: Position | None = None
    key_post: bool = False


@dataclass(eq=False)
class _Cadre:
    unit: _Unit | None
    joined_work_on: date
    db_id: int | None = None
    row: CadreRow | None = None
    ids: dict[str, str] = field(default_factory=dict)
    new: Cadre | None = None
    open_posts: list[tuple[date, _Position]] = field(default_factory=list)
    # registry cadres: name and current post (eligibility of a new current post)
    name: str = ""
    is_leader: bool = False
    leadership_level: str = ""


@dataclass(frozen=True)
class _Span:
    started_on: date
    ended_on: date | None
    primary: bool
    label: str

    def overlaps(self, other: "_Span") -> bool:
        """Touching ends are fine: 免职 and the next 任职 are often the same day."""
        return (self.ended_on is None or other.started_on < self.ended_on) and (
            other.ended_on is None or self.started_on < other.ended_on
        )


@dataclass
class _NewAppointment:
    row: AppointmentRow
    cadre: _Cadre
    position: _Position
    home: _Unit


class _Units:
    """Units the importer may write to, findable by name or by an 上级/本级 name path."""

    def __init__(self, qs: QuerySet[OrgUnit]) -> None:
        self._cache: dict[UnitRef, _Unit | str] = {}
        rows = list(qs.values_list("id", "name", "path", "depth", "parent_id", "dissolved_on"))
        names = {r[0]: r[1] for r in rows}
        # Ancestors above the importer's scope still name the path ("示范市/东湖县/…").
        above = {int(p) for r in rows for p in r[2].strip("/").split("/")} - names.keys()
        names.update(OrgUnit.objects.filter(pk__in=above).values_list("id", "name"))
        self.by_id: dict[int, _Unit] = {}
        self.by_name: dict[str, list[_Unit]] = defaultdict(list)
        for id_, _name, path, depth, _, dissolved in rows:
            chain = tuple(names[int(p)] for p in path.strip("/").split("/"))
            self.add(_Unit(chain, id_, path, depth, dissolved is not None))
        self.children = {(self.by_id.get(r[4]), r[1]) for r in rows}

    def add(self, node: _Unit) -> None:
        if node.db_id is not None:
            self.by_id[node.db_id] = node
        self.by_name[node.chain[-1]].append(node)
        self._cache.clear()

    def resolve(self, ref: UnitRef) -> _Unit:
        found = self._cache.get(ref)
        if found is None:
            found = self._cache[ref] = self._find(ref)
        if isinstance(found, str):
            raise CellError(found)
        return found

    def _find(self, ref: UnitRef) -> _Unit | str:
        text = "/".join(ref)
        found = [n for n in self.by_name.get(ref[-1], ()) if n.chain[-len(ref) :] == ref]
        if not found:
            return f"未找到单位「{text}」（或不在您的管理范围内）"
        if len(found) > 1:
            options = "、".join("/".join(n.chain[-len(ref) - 1 :]) for n in found[:3])
            return f"「{text}」对应{len(found)}个同名单位，请写出上级单位路径，如：{options}"
        return found[0]


# ---------------------------------------------------------------- the plan


class _Plan:
    def __init__(self, by: User | None) -> None:
        self.by = by
        self.units = _Units(self._scoped(OrgUnit))
        self.problems: list[Problem] = []
        self.new_units: list[_Unit] = []
        self.positions: dict[tuple[_Unit, str], _Position] = {}
        self.new_positions: list[_Position] = []
        self.cadres: dict[str, _Cadre] = {}  # keyed ID hash → cadre
        self.new_cadres: list[_Cadre] = []
        self.new_appointments: list[_NewAppointment] = []
        self.spans: dict[_Cadre, list[_Span]] = defaultdict(list)

    def _scoped(self, model: type[M]) -> QuerySet[M]:
        manager: Any = model._default_manager  # `objects`, the models' only manager
        return manager.all() if self.by is None else manager.visible_to(self.by, write=True)

    def _error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, message))

    def _unit(self, sheet: str, row: int, column: str, ref: UnitRef) -> _Unit | None:
        try:
            return self.units.resolve(ref)
        except CellError as exc:
            self._error(sheet, row, column, str(exc))
            return None

    def _active_unit(self, sheet: str, row: int, column: str, ref: UnitRef) -> _Unit | None:
        unit = self._unit(sheet, row, column, ref)
        if unit is not None and unit.dissolved:
            self._error(sheet, row, column, f"单位「{unit.label}」已撤销")
            return None
        return unit

    def check(self, parsed: ParsedWorkbook) -> list[Problem]:
        self._check_units(parsed.units)
        self._load_positions(parsed)
        self._check_positions(parsed.positions)
        self._check_cadres(parsed.cadres)
        self._load_cadres(parsed.appointments)
        self._check_appointments(parsed.appointments)
        return self.problems

    # -- 单位

    def _check_units(self, rows: Sequence[UnitRow]) -> None:
        """New units hang under a unit in scope (top-level units are not imported)."""
        first: dict[tuple[_Unit, str], int] = {}
        sheet = excel.SHEET_UNITS
        for r in rows:
            parent = self._active_unit(sheet, r.row, "上级单位", r.parent)
            if parent is None:
                continue
            key = (parent, r.name)
            if key in first:
                self._error(sheet, r.row, "单位名称", f"与第{first[key]}行重复（同一上级下重名）")
            elif key in self.units.children:
                message = f"「{parent.label}」下已有名为「{r.name}」的单位"
                self._error(sheet, r.row, "单位名称", message)
            else:
                first[key] = r.row
                self._new_unit(r, parent)

    def _new_unit(self, r: UnitRow, parent: _Unit) -> None:
        obj = OrgUnit(name=r.name, kind=r.kind, region_code=r.region_code, path="")
        node = _Unit((*parent.chain, r.name), parent=parent, new=obj)
        self.units.add(node)
        self.units.children.add((parent, r.name))
        self.new_units.append(node)

    # -- 职位

    def _load_positions(self, parsed: ParsedWorkbook) -> None:
        """Existing positions of every registry unit the 职位 and 任职 sheets name."""
        unit_ids = set()
        for ref in [r.unit for r in parsed.positions] + [r.unit for r in parsed.appointments]:
            try:
                unit = self.units.resolve(ref)
            except CellError:
                continue
            if unit.db_id is not None:
                unit_ids.add(unit.db_id)
        fields = ("id", "org_unit_id", "title", "is_leadership", "leadership_level", "is_key_post")
        for chunk in _chunks(unit_ids):
            qs = self._scoped(Position).filter(org_unit_id__in=chunk)
            for id_, unit_id, title, leader, level, key in qs.values_list(*fields):
                unit = self.units.by_id[unit_id]
                self.positions[(unit, title)] = _Position(
                    unit, title, leader, level, id_, key_post=key
                )

    def _check_positions(self, rows: Sequence[PositionRow]) -> None:
        sheet = excel.SHEET_POSITIONS
        first: dict[tuple[_Unit, str], int] = {}
        for r in rows:
            unit = self._active_unit(sheet, r.row, "单位名称", r.unit)
            if unit is None:
                continue
            key = (unit, r.title)
            if key in first:
                self._error(sheet, r.row, "职位名称", f"与第{first[key]}行重复")
            elif key in self.positions:
                self._error(sheet, r.row, "职位名称", f"「{unit.label}」已有职位「{r.title}」")
            else:
                first[key] = r.row
                obj = Position(
                    title=r.title,
                    is_leadership=r.is_leadership,
                    leadership_level=r.leadership_level,
                    work_field=r.work_field,
                    is_key_post=r.is_key_post,
                    headcount=r.headcount,
                )
                node = _Position(
                    unit,
                    r.title,
                    r.is_leadership,
                    r.leadership_level,
                    new=obj,
                    key_post=r.is_key_post,
                )
                self.positions[key] = node
                self.new_positions.append(node)

    # -- 干部

    def _check_cadres(self, rows: Sequence[CadreRow]) -> None:
        sheet = excel.SHEET_CADRES
        ids = {r.row: id_fields(r.id_number) for r in rows}
        # Uniqueness is global: a person registered anywhere is a duplicate (not scoped).
        taken: set[str] = set()
        for chunk in _chunks(v["id_hash"] for v in ids.values()):
            taken.update(Cadre.objects.filter(id_hash__in=chunk).values_list("id_hash", flat=True))
        for r in rows:
            unit = self._active_unit(sheet, r.row, "所在单位", r.unit)
            if ids[r.row]["id_hash"] in taken:
                message = (
                    "该身份证号的干部已在系统中登记"
                    "（同一人不能重复登记；如为重复上传，无需再次导入）"
                )
                self._error(sheet, r.row, "身份证号", message)
            elif unit is not None:
                node = _Cadre(unit, r.joined_work_on, row=r, ids=ids[r.row])
                self.cadres[node.ids["id_hash"]] = node
                self.new_cadres.append(node)

    # -- 任职

    def _load_cadres(self, rows: Sequence[AppointmentRow]) -> None:
        """Registry cadres the 任职 sheet names (in write scope), with their appointments."""
        wanted = {id_fields(r.id_number)["id_hash"] for r in rows} - self.cadres.keys()
        by_id: dict[int, _Cadre] = {}
        for chunk in _chunks(wanted):
            qs = self._scoped(Cadre).filter(id_hash__in=chunk)
            for id_, id_hash, unit_id, joined, name, leader, level in qs.values_list(
                "id",
                "id_hash",
                "org_unit_id",
                "joined_work_on",
                "name",
                "is_leader",
                "leadership_level",
            ):
                node = _Cadre(
                    self.units.by_id.get(unit_id),
                    joined,
                    db_id=id_,
                    name=name,
                    is_leader=leader,
                    leadership_level=level,
                )
                self.cadres[id_hash] = by_id[id_] = node
        fields = (
            "cadre_id",
            "started_on",
            "ended_on",
            "is_primary",
            "position_id",
            "position__title",
            "position__org_unit__name",
        )
        for chunk in _chunks(by_id):
            appointments = self._scoped(Appointment).filter(cadre_id__in=chunk)
            for cadre_id, start, end, primary, _, title, unit_name in appointments.values_list(
                *fields
            ):
                label = f"系统中已有的任职（{unit_name}{title}，{start:%Y-%m-%d}起）"
                self.spans[by_id[cadre_id]].append(_Span(start, end, primary, label))

    def _check_appointments(self, rows: Sequence[AppointmentRow]) -> None:
        for r in rows:
            found = self._appointment_parts(r)
            if found is None:
                continue
            cadre, position, home = found
            span = _Span(r.started_on, r.ended_on, r.is_primary, f"第{r.row}行")
            clash = next(
                (s for s in self.spans[cadre] if s.primary == span.primary and s.overlaps(span)),
                None,
            )
            if r.started_on < cadre.joined_work_on:
                self._error(
                    excel.SHEET_APPOINTMENTS, r.row, "任职时间", "任职时间早于该干部参加工作时间"
                )
            elif clash is not None:
                self._error(
                    excel.SHEET_APPOINTMENTS,
                    r.row,
                    "任职时间",
                    f"与{clash.label}的任职时间重叠（同一干部的主要职务不能同时在任）"
                    if span.primary
                    else f"与{clash.label}的挂职时间重叠",
                )
            else:
                self.spans[cadre].append(span)
                self.new_appointments.append(_NewAppointment(r, cadre, position, home))

    def _appointment_parts(self, r: AppointmentRow) -> tuple[_Cadre, _Position, _Unit] | None:
        sheet = excel.SHEET_APPOINTMENTS
        cadre = self.cadres.get(id_fields(r.id_number)["id_hash"])
        unit = self._unit(sheet, r.row, "单位名称", r.unit)
        home = self._unit(sheet, r.row, "人事关系所在单位", r.home_unit) if r.home_unit else None
        if cadre is None:
            message = (
                "未找到该身份证号对应的干部（或不在您的管理范围内）；新干部请先在“干部”表中登记"
            )
            self._error(sheet, r.row, "身份证号", message)
        position = self.positions.get((unit, r.title)) if unit is not None else None
        if unit is not None and position is None:
            message = f"「{unit.label}」没有职位「{r.title}」（可在“职位”表中新增）"
            self._error(sheet, r.row, "职位名称", message)
        if cadre is None or position is None or (r.home_unit and home is None):
            return None
        if home is None:
            secondment = r.how == AppointmentHow.SECONDMENT and cadre.unit is not None
            home = cadre.unit if secondment else position.unit
        assert home is not None
        return cadre, position, home

    # ------------------------------------------------------------ writing

    def write(self) -> dict[str, int]:
        self._write_units()
        for p in self.new_positions:
            assert p.new is not None
            p.new.org_unit_id = _written(p.unit.db_id)
        positions = self._bulk_create(Position, [p.new for p in self.new_positions])
        for position_node, position in zip(self.new_positions, positions, strict=True):
            position_node.db_id = position.pk
        self._check_eligibility()
        self._collect_open_posts()
        cadres = self._bulk_create(Cadre, [self._cadre_object(c) for c in self.new_cadres])
        for cadre_node, cadre in zip(self.new_cadres, cadres, strict=True):
            cadre_node.db_id = cadre.pk
        # The sheet gives a rank and its date together or not at all (excel.py).
        ranks = self._bulk_create(
            RankRecord,
            [
                RankRecord(cadre_id=_written(c.db_id), rank=c.row.rank, started_on=c.row.rank_since)
                for c in self.new_cadres
                if c.row is not None and c.row.rank and c.row.rank_since is not None
            ],
        )
        appointments = self._bulk_create(
            Appointment,
            [
                Appointment(
                    cadre_id=_written(a.cadre.db_id),
                    position_id=_written(a.position.db_id),
                    started_on=a.row.started_on,
                    ended_on=a.row.ended_on,
                    how=a.row.how,
                    home_unit_id=_written(a.home.db_id),
                    is_primary=a.row.is_primary,
                    note=CHANGE_REASON,
                )
                for a in self.new_appointments
            ],
        )
        return {
            "units": len(self.new_units),
            "positions": len(positions),
            "cadres": len(cadres),
            "ranks": len(ranks),
            "appointments": len(appointments),
            "refreshed": self._refresh_registry_cadres(),
        }

    def _check_eligibility(self) -> None:
        """The eligibility gate (issue 11) for every new current post (no 免职时间) of a cadre
        already in the registry: what taking it is — 任职, 任领导职务, 提拔 against the cadre's
        current post, a key secondment — asked of cadre.cadres.decisions on its first day
        against the target post (so after the new positions are written), one call per day
        and post. A blocked row is refused with every reason; `_Ineligible` rolls the whole
        import back. Closed rows are records of past posts and cadres new in the file have no
        record yet to be blocked by; an override (破格) goes through the appointment API."""
        wanted: dict[tuple[date, int], list[tuple[_NewAppointment, list[str]]]] = defaultdict(list)
        for a in self.new_appointments:
            if a.row.ended_on is not None or a.cadre.row is not None:
                continue
            found = appointment_decisions(
                a.cadre.is_leader,
                a.cadre.leadership_level,
                a.position.is_leadership,
                a.position.leadership_level,
                secondment=a.row.how == AppointmentHow.SECONDMENT,
                key_post=a.position.key_post,
            )
            day_post = (a.row.started_on, _written(a.position.db_id))
            wanted[day_post].append((a, found))
        labels = dict(Decision.choices)
        problems = []
        for (on, position_id), rows in wanted.items():
            ids = [_written(a.cadre.db_id) for a, _ in rows]
            answers = decisions.answers(ids, on, position_id)
            for a, found in rows:
                answer = answers.get(_written(a.cadre.db_id))
                blocks = answer.blocks_for(found) if answer is not None else []
                if blocks:
                    what = "、".join(str(labels.get(d, d)) for d in found)
                    reasons = "；".join(b.text() for b in blocks)
                    message = f"{a.cadre.name}不符合{what}的条件：{reasons}"
                    problems.append(
                        Problem(excel.SHEET_APPOINTMENTS, a.row.row, "身份证号", message)
                    )
        if problems:
            raise _Ineligible(problems)

    def _bulk_create(self, model: type[M], objs: list[Any]) -> list[M]:
        if not objs:
            return []
        return bulk_create_with_history(
            objs,
            model,
            batch_size=BATCH,
            default_user=self.by,
            default_change_reason=CHANGE_REASON,
        )

    def _write_units(self) -> None:
        """Creates new units level by level: a path needs the unit's own id."""
        level: dict[_Unit, int] = {}
        waves: dict[int, list[_Unit]] = defaultdict(list)
        for node in self.new_units:  # parents come before their children
            parent = node.parent
            level[node] = level[parent] + 1 if parent is not None and parent.new is not None else 0
            waves[level[node]].append(node)
        created: list[OrgUnit] = []
        for wave in (waves[k] for k in sorted(waves)):
            objs = [n.new for n in wave if n.new is not None]
            for n, obj in zip(wave, objs, strict=True):
                assert n.parent is not None
                obj.parent_id = n.parent.db_id
            OrgUnit.objects.bulk_create(objs, batch_size=BATCH)
            for n, obj in zip(wave, objs, strict=True):
                assert n.parent is not None
                n.db_id, n.path = obj.pk, f"{n.parent.path}{obj.pk}/"
                n.depth = n.parent.depth + 1
                obj.path, obj.depth = n.path, n.depth
            OrgUnit.objects.bulk_update(objs, ["path", "depth"], batch_size=BATCH)
            created += objs
        if created:
            OrgUnit.history.bulk_history_create(
                created,
                batch_size=BATCH,
                default_user=self.by,
                default_change_reason=CHANGE_REASON,
            )

    def _collect_open_posts(self) -> None:
        for a in self.new_appointments:
            if a.row.ended_on is None and a.row.is_primary:
                a.cadre.open_posts.append((a.row.started_on, a.position))

    def _cadre_object(self, c: _Cadre) -> Cadre:
        r = c.row
        assert r is not None
        assert c.unit is not None
        cadre = Cadre(
            name=r.name,
            gender=r.gender,
            birth_date=r.birth_date,
            ethnicity=r.ethnicity or "汉族",
            education=r.education,
            specialty=r.specialty,
            political_status=r.political_status,
            joined_party_on=r.joined_party_on,
            joined_work_on=r.joined_work_on,
            org_unit_id=_written(c.unit.db_id),
            rank=r.rank,
            **c.ids,
        )
        if c.open_posts:
            _set_current_post(cadre, *max(c.open_posts, key=lambda p: p[0]))
        return cadre

    def _refresh_registry_cadres(self) -> int:
        """Recomputes the denormalised current post of registry cadres given new posts, with
        one read of their open posts and one bulk update (as services.refresh_current_post)."""
        touched = {c.db_id: c for c in {a.cadre for a in self.new_appointments} if c.row is None}
        if not touched:
            return 0
        for chunk in _chunks(touched):
            qs = Appointment.objects.filter(
                cadre_id__in=chunk, ended_on__isnull=True, is_primary=True
            ).values_list(
                "cadre_id",
                "started_on",
                "position_id",
                "position__org_unit_id",
                "position__title",
                "position__is_leadership",
                "position__leadership_level",
            )
            for cadre_id, start, pos_id, unit_id, title, leader, level in qs:
                unit = self.units.by_id.get(unit_id) or _Unit(("",), unit_id)
                touched[cadre_id].open_posts.append(
                    (start, _Position(unit, title, leader, level, pos_id))
                )
        changed = []
        now = timezone.now()
        for chunk in _chunks(touched):
            for cadre in Cadre.objects.filter(pk__in=chunk):
                posts = touched[cadre.pk].open_posts
                if posts and _set_current_post(cadre, *max(posts, key=lambda p: p[0])):
                    cadre.updated_at = now
                    changed.append(cadre)
        bulk_update_with_history(
            changed,
            Cadre,
            [
                "org_unit",
                "current_title",
                "current_post_since",
                "is_leader",
                "leadership_level",
                "updated_at",
            ],
            batch_size=BATCH,
            default_user=self.by,
            default_change_reason=CHANGE_REASON,
        )
        return len(changed)


def _set_current_post(cadre: Cadre, since: date, post: _Position) -> bool:
    """Copies the current post onto the cadre; True if anything changed."""
    values = {
        "org_unit_id": post.unit.db_id,
        "current_title": post.title,
        "current_post_since": since,
        "is_leader": post.is_leadership,
        "leadership_level": post.leadership_level,
    }
    changed = any(getattr(cadre, k) != v for k, v in values.items())
    for k, v in values.items():
        setattr(cadre, k, v)
    return changed
