"""Registry endpoints at /api/v1/: units, positions, cadres, appointments, ranks, teams.

Every query goes through `visible_to` and every single object through
`get_object_for_user` (404 for missing and out-of-scope alike, the denial audited).
Reading one cadre's record (profile, appointments, ranks) writes a `view` audit event;
lists do not log per row. Writes need org_admin write scope and call cadres.services.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Response, Status
from pydantic import AfterValidator, ConfigDict, field_validator

from cadre.accounts.access import get_object_for_user, is_staff
from cadre.audit.services import record_event, record_view
from cadre.cadres import services
from cadre.cadres.forms import SORTS, CadreFilterForm, apply_filters
from cadre.cadres.models import (
    Appointment,
    AppointmentHow,
    Cadre,
    Education,
    Gender,
    LeadershipTeam,
    Political,
    Rank,
    RankRecord,
    TeamMembership,
)
from cadre.orgs.models import OrgUnit, Position, UnitKind

router = Router(tags=["registry"])

MAX_ID = 2**63 - 1  # BigAutoField: larger ids would overflow the database driver
FIRST_DAY = date(1949, 10, 1)
LAST_DAY = date(2100, 12, 31)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("不能包含空字符(NUL)")
    return value


def _sane_date(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"日期应在 {FIRST_DAY} 至 {LAST_DAY} 之间")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Day = Annotated[date, AfterValidator(_sane_date)]
ObjId = Annotated[int, Field(ge=1, le=MAX_ID)]


PAGE_KEYS = frozenset(LimitOffsetPagination.Input.model_fields)  # limit, offset


def _check_query_keys(request: HttpRequest, schema: type[Schema]) -> None:
    """Unknown query parameters are refused, not ignored (TRUST IO-04)."""
    unknown = sorted(set(request.GET) - set(schema.model_fields) - PAGE_KEYS)
    if unknown:
        raise ValidationError([{"type": "extra_forbidden", "loc": ("query", k)} for k in unknown])


# ---------------------------------------------------------------- units


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    region_code: str
    parent_id: int | None
    depth: int
    dissolved_on: date | None


class UnitQuery(Schema):
    q: Text | None = Field(None, max_length=100, description="名称包含")
    parent: ObjId | None = Field(None, description="上级单位编号：只列其直接下级")
    kind: UnitKind | None = None


@router.get("/units", response=list[UnitOut], summary="单位列表")
@paginate(LimitOffsetPagination)
def list_units(request: HttpRequest, query: Query[UnitQuery]) -> QuerySet[OrgUnit]:
    _check_query_keys(request, UnitQuery)
    qs = OrgUnit.objects.visible_to(request.user)
    if query.parent is not None:
        parent = get_object_for_user(OrgUnit.objects, request.user, query.parent, request=request)
        qs = qs.filter(parent=parent)
    if query.q:
        qs = qs.filter(name__contains=query.q)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    return qs.order_by("path")


@router.get("/units/{unit_id}", response=UnitOut, summary="单位详情")
def get_unit(request: HttpRequest, unit_id: ObjId) -> OrgUnit:
    return get_object_for_user(OrgUnit.objects, request.user, unit_id, request=request)


# ---------------------------------------------------------------- positions


class PositionOut(Schema):
    id: int
    org_unit_id: int
    org_unit_name: str
    title: str
    is_leadership: bool
    leadership_level: str
    work_field: str
    is_key_post: bool
    headcount: int
    abolished_on: date | None

    @staticmethod
    def resolve_org_unit_name(obj: Position) -> str:
        return obj.org_unit.name


class PositionQuery(Schema):
    unit: ObjId | None = Field(None, description="单位编号（含下级单位）")
    leadership: bool | None = Field(None, description="只列领导职务(true)或非领导职务(false)")


@router.get("/positions", response=list[PositionOut], summary="职位列表")
@paginate(LimitOffsetPagination)
def list_positions(request: HttpRequest, query: Query[PositionQuery]) -> QuerySet[Position]:
    _check_query_keys(request, PositionQuery)
    qs = Position.objects.visible_to(request.user).select_related("org_unit")
    if query.unit is not None:
        unit = get_object_for_user(OrgUnit.objects, request.user, query.unit, request=request)
        qs = qs.filter(org_unit__path__startswith=unit.path)
    if query.leadership is not None:
        qs = qs.filter(is_leadership=query.leadership)
    return qs.order_by("org_unit__path", "-is_leadership", "id")


# ---------------------------------------------------------------- cadres


class CadreRow(Schema):
    id: int
    name: str
    gender: str
    birth_date: date
    org_unit_id: int
    org_unit_name: str
    current_title: str
    current_post_since: date | None
    is_leader: bool
    leadership_level: str
    rank: str
    status: str

    @staticmethod
    def resolve_org_unit_name(obj: Cadre) -> str:
        return obj.org_unit.name


class CadreRecord(CadreRow):
    ethnicity: str
    education: str
    specialty: str
    political_status: str
    joined_party_on: date | None
    joined_work_on: date
    id_masked: str


class CadreSelfOut(CadreRecord):
    """What a cadre sees of their own record: exactly these keys (TRUST AC-04)."""


class CadreOut(CadreRecord):
    """Staff view: adds the edit version (send it back with PATCH) and the last change."""

    version: int
    updated_at: datetime


SELF_FIELDS = frozenset(CadreSelfOut.model_fields)

if TYPE_CHECKING:
    SortKey = str
else:  # pydantic reads the allowed values from the annotation
    SortKey = Literal[tuple(SORTS)]


class CadreQuery(Schema):
    q: Text | None = Field(None, max_length=30, description="姓名包含")
    unit: ObjId | None = Field(None, description="单位编号（含下级单位）")
    rank: Rank | None = Field(None, description="职级")
    leader: Literal["0", "1"] | None = Field(None, description="领导干部：1 是，0 否")
    age_min: int | None = Field(None, ge=16, le=80)
    age_max: int | None = Field(None, ge=16, le=80)
    years_min: int | None = Field(None, ge=0, le=50, description="任现职年限不少于")
    sort: SortKey | None = Field(
        None, description="排序：" + "，".join(f"{k} {v}" for k, v in SORTS.items())
    )


@router.get("/cadres", response=list[CadreRow], summary="干部名册（筛选、排序、分页）")
@paginate(LimitOffsetPagination)
def list_cadres(request: HttpRequest, query: Query[CadreQuery]) -> QuerySet[Cadre]:
    _check_query_keys(request, CadreQuery)
    fields = CadreFilterForm.base_fields
    form = CadreFilterForm({k: v for k, v in request.GET.items() if k in fields})
    if not form.is_valid():
        errors = [
            {"field": field if field != "__all__" else "", "message": str(message)}
            for field, messages in form.errors.items()
            for message in messages
        ]
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ("query", e["field"]) if e["field"] else ("query",),
                    "msg": f"Value error, {e['message']}",
                }
                for e in errors
            ]
        )
    unit_path = None
    if form.cleaned_data.get("unit"):
        unit = get_object_for_user(
            OrgUnit.objects, request.user, form.cleaned_data["unit"], request=request
        )
        unit_path = unit.path
    qs = Cadre.objects.visible_to(request.user).active().select_related("org_unit")
    return apply_filters(qs, form.cleaned_data, timezone.localdate(), unit_path)


def _cadre_out(request: HttpRequest, cadre: Cadre) -> Any:
    assert request.user.is_authenticated  # every operation is authenticated (config/api.py)
    if not is_staff(request.user) and request.user.cadre_id == cadre.pk:
        # Serialised here so that only the allowlisted keys can leave (TRUST AC-04).
        return Response(
            CadreSelfOut.from_orm(cadre).model_dump(mode="json"),
            json_dumps_params={"ensure_ascii": False},
        )
    return cadre


@router.get(
    "/cadres/{cadre_id}",
    response=CadreOut | CadreSelfOut,
    summary="干部信息（本人查看时只含本人可见字段）",
)
def get_cadre(request: HttpRequest, cadre_id: ObjId) -> Any:
    cadre = get_object_for_user(
        Cadre.objects.select_related("org_unit"), request.user, cadre_id, request=request
    )
    record_view(user=request.user, obj=cadre, request=request)
    return _cadre_out(request, cadre)


NOT_NULL = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "specialty",
    "political_status",
    "joined_work_on",
)


class CadrePatch(Schema):
    """Only the basic profile is editable here; unit, post, rank and status change through
    appointments and rank records, and the ID number never through the API."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(..., ge=1, le=MAX_ID, description="读取时的版本号（防止覆盖他人修改）")
    name: Annotated[Text, Field(min_length=1, max_length=30)] | None = None
    gender: Gender | None = None
    birth_date: Day | None = None
    ethnicity: Annotated[Text, Field(min_length=1, max_length=20)] | None = None
    education: Education | None = None
    specialty: Annotated[Text, Field(max_length=50)] | None = None
    political_status: Political | None = None
    joined_party_on: Day | None = None
    joined_work_on: Day | None = None

    @field_validator(*NOT_NULL, mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("不能为空")
        return value


@router.patch("/cadres/{cadre_id}", response=CadreOut, summary="修改干部基本信息（组织部）")
def patch_cadre(request: HttpRequest, cadre_id: ObjId, payload: CadrePatch) -> Cadre:
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, write=True, request=request)
    changes = {
        field: value.value if hasattr(value, "value") else value
        for field, value in payload.model_dump(exclude_unset=True).items()
        if field != "version"
    }
    if not changes:
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ("body", "payload"),
                    "msg": "Value error, 没有要修改的字段",
                }
            ]
        )
    assert request.user.is_authenticated  # every operation is authenticated (config/api.py)
    updated = services.update_cadre(
        cadre=cadre, by=request.user, version=payload.version, changes=changes
    )
    return Cadre.objects.visible_to(request.user).select_related("org_unit").get(pk=updated.pk)


# ---------------------------------------------------------------- appointments and ranks


class AppointmentOut(Schema):
    id: int
    cadre_id: int
    position_id: int
    position_title: str
    org_unit_id: int
    org_unit_name: str
    started_on: date
    ended_on: date | None
    how: str
    home_unit_id: int
    is_primary: bool
    note: str
    probation_until: date | None

    @staticmethod
    def resolve_position_title(obj: Appointment) -> str:
        return obj.position.title

    @staticmethod
    def resolve_org_unit_id(obj: Appointment) -> int:
        return obj.position.org_unit_id

    @staticmethod
    def resolve_org_unit_name(obj: Appointment) -> str:
        return obj.position.org_unit.name


class RankOut(Schema):
    id: int
    cadre_id: int
    rank: str
    started_on: date
    ended_on: date | None
    basis: str


def _cadre_part(request: HttpRequest, cadre_id: int, part: str) -> Cadre:
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, request=request)
    record_event(
        actor=request.user, action="view", obj=cadre, request=request, detail={"part": part}
    )
    return cadre


@router.get(
    "/cadres/{cadre_id}/appointments", response=list[AppointmentOut], summary="干部任职记录"
)
@paginate(LimitOffsetPagination)
def cadre_appointments(request: HttpRequest, cadre_id: ObjId) -> Any:
    cadre = _cadre_part(request, cadre_id, "appointments")
    return (
        Appointment.objects.visible_to(request.user)
        .filter(cadre=cadre)
        .select_related("position__org_unit")
        .order_by("started_on", "id")
    )


@router.get("/cadres/{cadre_id}/ranks", response=list[RankOut], summary="干部职级记录")
@paginate(LimitOffsetPagination)
def cadre_ranks(request: HttpRequest, cadre_id: ObjId) -> Any:
    cadre = _cadre_part(request, cadre_id, "ranks")
    return (
        RankRecord.objects.visible_to(request.user).filter(cadre=cadre).order_by("started_on", "id")
    )


class AppointmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    cadre_id: ObjId
    position_id: ObjId
    started_on: Day
    how: AppointmentHow = AppointmentHow.APPOINT
    end_previous: bool = Field(True, description="同时结束现任主要职务（任职前一日）")
    note: Annotated[Text, Field(max_length=200)] = ""
    override_id: ObjId | None = Field(
        None, description="已批准的破格审批编号（选拔任用条例 第八条，仅限资格条件不足）"
    )
    probation: bool = Field(False, description="实行一年任职试用期（提拔担任领导职务）")


@router.post("/appointments", response={201: AppointmentOut}, summary="任职（组织部）")
def create_appointment(request: HttpRequest, payload: AppointmentIn) -> Any:
    """任用资格不符（影响期、考核等次、立案、任职资格等）的，返回 409
    `{"detail": 全部原因, "code": "ineligible"}`，不写入任何数据。"""
    cadre = get_object_for_user(
        Cadre.objects, request.user, payload.cadre_id, write=True, request=request
    )
    position = get_object_for_user(
        Position.objects, request.user, payload.position_id, write=True, request=request
    )
    if position.abolished_on is not None:
        raise services.RegistryError("该职位已撤销，不能任职")
    assert request.user.is_authenticated  # every operation is authenticated (config/api.py)
    appt = services.appoint(
        by=request.user,
        cadre=cadre,
        position=position,
        started_on=payload.started_on,
        how=payload.how.value,
        end_previous=payload.end_previous,
        note=payload.note,
        override_id=payload.override_id,
        probation=payload.probation,
    )
    return Status(
        201,
        Appointment.objects.visible_to(request.user)
        .select_related("position__org_unit")
        .get(pk=appt.pk),
    )


class AppointmentEnd(Schema):
    model_config = ConfigDict(extra="forbid")

    ended_on: Day


@router.post(
    "/appointments/{appointment_id}/end", response=AppointmentOut, summary="免职（组织部）"
)
def end_appointment(
    request: HttpRequest, appointment_id: ObjId, payload: AppointmentEnd
) -> Appointment:
    appt = get_object_for_user(
        Appointment.objects.select_related("cadre"),
        request.user,
        appointment_id,
        write=True,
        request=request,
    )
    assert request.user.is_authenticated  # every operation is authenticated (config/api.py)
    services.end_appointment(by=request.user, appointment=appt, ended_on=payload.ended_on)
    return (
        Appointment.objects.visible_to(request.user)
        .select_related("position__org_unit")
        .get(pk=appt.pk)
    )


# ---------------------------------------------------------------- leadership teams


class TeamOut(Schema):
    id: int
    org_unit_id: int
    org_unit_name: str
    name: str

    @staticmethod
    def resolve_org_unit_name(obj: LeadershipTeam) -> str:
        return obj.org_unit.name


class MemberOut(Schema):
    cadre_id: int
    cadre_name: str
    role: str
    started_on: date
    ended_on: date | None

    @staticmethod
    def resolve_cadre_name(obj: TeamMembership) -> str:
        return obj.cadre.name


class TeamDetailOut(TeamOut):
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj: LeadershipTeam) -> list[TeamMembership]:
        return obj.scoped_members  # type: ignore[attr-defined]  # set by get_team


class TeamQuery(Schema):
    unit: ObjId | None = Field(None, description="单位编号（含下级单位）")


@router.get("/teams", response=list[TeamOut], summary="领导班子列表")
@paginate(LimitOffsetPagination)
def list_teams(request: HttpRequest, query: Query[TeamQuery]) -> QuerySet[LeadershipTeam]:
    _check_query_keys(request, TeamQuery)
    qs = LeadershipTeam.objects.visible_to(request.user).select_related("org_unit")
    if query.unit is not None:
        unit = get_object_for_user(OrgUnit.objects, request.user, query.unit, request=request)
        qs = qs.filter(org_unit__path__startswith=unit.path)
    return qs.order_by("org_unit__path")


@router.get("/teams/{team_id}", response=TeamDetailOut, summary="领导班子及成员")
def get_team(request: HttpRequest, team_id: ObjId) -> LeadershipTeam:
    team = get_object_for_user(
        LeadershipTeam.objects.select_related("org_unit"),
        request.user,
        team_id,
        request=request,
    )
    members = (
        TeamMembership.objects.visible_to(request.user)
        .filter(team=team)
        .select_related("cadre")
        .order_by("ended_on", "role", "started_on", "id")
    )
    team.scoped_members = list(members)
    return team


# ---------------------------------------------------------------- end of employment


class EmploymentEndIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(
        ...,
        max_length=20,
        description="情形：retired 退休，resigned 辞职，dismissed 辞退，left 调出，deceased 去世"
        "（开除须作为问责处理措施登记）",
    )
    on: Day = Field(..., description="离职（退休）日期，不晚于今天")
    basis: Annotated[Text, Field(min_length=1, max_length=200)] = Field(
        ..., description="依据（决定文号或说明）"
    )
    no_article_89: bool = Field(
        False, description="辞退时必填 true：已核实不属于公务员法第八十九条规定的不得辞退情形"
    )


class EmploymentEndOut(CadreOut):
    status_label: str
    status_since: date | None

    @staticmethod
    def resolve_status_label(obj: Cadre) -> str:
        return obj.get_status_display()


@router.post(
    "/cadres/{cadre_id}/employment-end",
    response=EmploymentEndOut,
    summary="登记离职/退休（组织部）",
)
def end_cadre_employment(request: HttpRequest, cadre_id: ObjId, payload: EmploymentEndIn) -> Cadre:
    """退休、辞职、辞退、调出、去世：任职、职级、班子成员记录于当日终止，状态随之改变。开除须
    作为问责处理措施登记；辞退须 `no_article_89: true`。不符的返回 400 和中文原因，不写入数据。"""
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, write=True, request=request)
    assert request.user.is_authenticated  # every operation is authenticated (config/api.py)
    services.record_leaving(
        by=request.user,
        cadre=cadre,
        status=payload.status,
        on=payload.on,
        basis=payload.basis,
        no_article_89=payload.no_article_89,
    )
    return Cadre.objects.visible_to(request.user).select_related("org_unit").get(pk=cadre.pk)
