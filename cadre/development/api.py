"""REST endpoints for training, secondments and rotation (same scope and services as the UI)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from cadre.accounts.access import acting_user, get_object_for_user, require_role, require_staff
from cadre.audit.services import record_view
from cadre.cadres.models import Cadre
from cadre.core.paging import Mapped
from cadre.development import services
from cadre.development.models import (
    Enrolment,
    Placement,
    RotationMove,
    RotationPlan,
    TrainingProgramme,
    TrainingSession,
    TrainingTopic,
)
from cadre.development.selectors import cadres_under, today
from cadre.orgs.models import OrgUnit, Position

router = Router(tags=["development"])


# --- schemas -----------------------------------------------------------------------------------


class TopicIn(Schema):
    name: str = Field(..., max_length=40)
    work_fields: list[str] = []


class TopicOut(Schema):
    id: int
    name: str
    work_fields: list[str]
    is_active: bool


class ProgrammeIn(Schema):
    name: str = Field(..., max_length=100)
    kind: str
    topic_ids: list[int] = []
    trainer: str = Field(..., max_length=100)
    org_unit: int
    description: str = ""


class ProgrammeOut(Schema):
    id: int
    name: str
    kind: str
    trainer: str
    org_unit_id: int
    topic_ids: list[int]


class SessionIn(Schema):
    title: str = Field(..., max_length=100)
    starts_on: date
    ends_on: date
    place: str = Field(..., max_length=100)
    capacity: int = Field(..., ge=1, le=5000)
    hours: Decimal = Field(..., gt=0, le=2000)


class SessionOut(Schema):
    id: int
    programme_id: int
    title: str
    starts_on: date
    ends_on: date
    place: str
    capacity: int
    hours: Decimal
    status: str


class EnrolIn(Schema):
    cadre_ids: list[int] = Field(..., min_length=1, max_length=2000)


class EnrolmentOut(Schema):
    id: int
    session_id: int
    cadre_id: int
    status: str
    hours: Decimal
    result: str


class AttendanceIn(Schema):
    day: date
    hours: Decimal = Field(..., ge=0, le=12)
    present: bool = True


class ResultIn(Schema):
    result: str


class EvaluationIn(Schema):
    content: int = Field(..., ge=1, le=5)
    trainer: int = Field(..., ge=1, le=5)
    usefulness: int = Field(..., ge=1, le=5)
    comment: str = ""


class FollowUpIn(Schema):
    applied: bool
    rating: int = Field(..., ge=1, le=5)
    how: str = Field(..., min_length=1, max_length=2000)


class NeedOut(Schema):
    code: str
    kind: str
    topic_id: int | None
    text: str
    source: str
    due_on: date | None
    overdue: bool


class CadreNeedsOut(Schema):
    cadre_id: int
    name: str
    unit_id: int
    unit: str
    needs: list[NeedOut]


class UnitHoursOut(Schema):
    unit_id: int
    unit: str
    cadres: int
    hours: Decimal
    mean: Decimal
    met: int
    share: int


class QualityOut(Schema):
    key: str
    name: str
    trainees: int
    evaluations: int
    trainee_score: Decimal | None
    follow_ups: int
    applied_share: Decimal | None
    follow_up_score: Decimal | None


class PlacementIn(Schema):
    cadre_id: int
    kind: str
    host_unit: int | None = None
    host_name: str = Field("", max_length=100)
    post_title: str = Field("", max_length=60)
    programme: str = Field("", max_length=60)
    started_on: date
    planned_end_on: date


class PlacementOut(Schema):
    id: int
    cadre_id: int
    home_unit_id: int
    host_unit_id: int | None
    host_name: str
    post_title: str
    kind: str
    programme: str
    started_on: date
    planned_end_on: date
    ended_on: date | None
    status: str
    host_grade: str
    version: int
    overdue_reports: list[date] = []


class ReportIn(Schema):
    period_end: date
    text: str = Field(..., min_length=1, max_length=10000)


class HostEvaluationIn(Schema):
    grade: str
    comment: str = Field(..., min_length=1, max_length=2000)
    version: int


class EndIn(Schema):
    ended_on: date
    version: int


class CandidateOut(Schema):
    cadre_id: int
    name: str
    unit_id: int
    unit: str
    title: str
    post_since: date
    years_in_post: float
    years_in_unit: float
    reasons: list[str]


class RelativeIn(Schema):
    cadre_id: int
    relative_id: int
    relation: str


class PlanIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    title: str = Field(..., max_length=100)
    org_unit: int
    effective_on: date


class PlanOut(Schema):
    id: int
    year: int
    title: str
    org_unit_id: int
    effective_on: date
    status: str
    version: int


class MoveIn(Schema):
    cadre_id: int
    position_id: int
    reason: str = Field("", max_length=200)


class MovesIn(Schema):
    moves: list[MoveIn] = Field(..., min_length=1, max_length=2000)


class MoveOut(Schema):
    id: int
    cadre_id: int
    from_position_id: int
    to_position_id: int
    reason: str
    problems: list[str]
    new_appointment_id: int | None


class PlanDetailOut(PlanOut):
    moves: list[MoveOut]


class VersionIn(Schema):
    version: int


def _programme_out(p: TrainingProgramme) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "kind": p.kind,
        "trainer": p.trainer,
        "org_unit_id": p.org_unit_id,
        "topic_ids": [t.pk for t in p.topics.all()],
    }


# --- training ---------------------------------------------------------------------------------


@router.get("/topics", response=list[TopicOut])
@paginate(LimitOffsetPagination)
def list_topics(request: HttpRequest) -> Any:
    require_staff(request.user)
    return TrainingTopic.objects.visible_to(request.user)


@router.post("/topics", response={201: TopicOut})
def create_topic(request: HttpRequest, data: TopicIn) -> Any:
    require_role(request.user, "org_admin")
    return Status(
        201,
        services.create_topic(
            by=acting_user(request), name=data.name, work_fields=data.work_fields
        ),
    )


@router.get("/programmes", response=list[ProgrammeOut])
@paginate(LimitOffsetPagination)
def list_programmes(request: HttpRequest) -> Any:
    require_staff(request.user)
    qs = TrainingProgramme.objects.visible_to(request.user).prefetch_related("topics")
    return Mapped(qs, _programme_out)


@router.post("/programmes", response={201: ProgrammeOut})
def create_programme(request: HttpRequest, data: ProgrammeIn) -> Any:
    require_role(request.user, "org_admin")
    unit = get_object_for_user(
        OrgUnit.objects, request.user, data.org_unit, write=True, request=request
    )
    topics = list(TrainingTopic.objects.visible_to(request.user).filter(pk__in=data.topic_ids))
    if len(topics) != len(set(data.topic_ids)):
        raise HttpError(400, "培训专题不存在")
    p = services.create_programme(
        by=acting_user(request),
        name=data.name,
        kind=data.kind,
        topics=topics,
        trainer=data.trainer,
        org_unit=unit,
        description=data.description,
    )
    return Status(201, _programme_out(p))


@router.get("/programmes/{programme_id}/sessions", response=list[SessionOut])
@paginate(LimitOffsetPagination)
def list_sessions(request: HttpRequest, programme_id: int) -> Any:
    programme = get_object_for_user(
        TrainingProgramme.objects, request.user, programme_id, request=request
    )
    return TrainingSession.objects.visible_to(request.user).filter(programme=programme)


@router.post("/programmes/{programme_id}/sessions", response={201: SessionOut})
def create_session(request: HttpRequest, programme_id: int, data: SessionIn) -> Any:
    programme = get_object_for_user(
        TrainingProgramme.objects, request.user, programme_id, write=True, request=request
    )
    return Status(
        201, services.create_session(by=acting_user(request), programme=programme, **data.dict())
    )


@router.get("/sessions/{session_id}/enrolments", response=list[EnrolmentOut])
@paginate(LimitOffsetPagination)
def list_enrolments(request: HttpRequest, session_id: int) -> Any:
    session = get_object_for_user(
        TrainingSession.objects, request.user, session_id, request=request
    )
    return Enrolment.objects.visible_to(request.user).filter(session=session)


@router.get("/sessions/{session_id}/candidates", response=list[CadreNeedsOut])
@paginate(LimitOffsetPagination)
def session_candidates(request: HttpRequest, session_id: int, unit: int | None = None) -> Any:
    require_staff(request.user)
    session = get_object_for_user(
        TrainingSession.objects.select_related("programme"),
        request.user,
        session_id,
        request=request,
    )
    return services.candidates_for_session(session, cadres_under(request, unit), today())


@router.post("/sessions/{session_id}/enrolments", response={201: list[EnrolmentOut]})
def enrol(request: HttpRequest, session_id: int, data: EnrolIn) -> Any:
    session = get_object_for_user(
        TrainingSession.objects, request.user, session_id, request=request
    )
    cadres = [
        get_object_for_user(Cadre.objects, request.user, i, write=True, request=request)
        for i in data.cadre_ids
    ]
    return Status(201, services.enrol(by=acting_user(request), session=session, cadres=cadres))


def _enrolment(request: HttpRequest, enrolment_id: int, write: bool = True) -> Enrolment:
    return get_object_for_user(
        Enrolment.objects.select_related("session"),
        request.user,
        enrolment_id,
        write=write,
        request=request,
    )


@router.post("/enrolments/{enrolment_id}/attendance", response={201: EnrolmentOut})
def attendance(request: HttpRequest, enrolment_id: int, data: AttendanceIn) -> Any:
    enrolment = _enrolment(request, enrolment_id)
    services.record_attendance(by=acting_user(request), enrolment=enrolment, **data.dict())
    enrolment.refresh_from_db()
    return Status(201, enrolment)


@router.post("/enrolments/{enrolment_id}/complete", response=EnrolmentOut)
def complete(request: HttpRequest, enrolment_id: int, data: ResultIn) -> Any:
    return services.complete_enrolment(
        by=acting_user(request), enrolment=_enrolment(request, enrolment_id), result=data.result
    )


@router.post("/enrolments/{enrolment_id}/evaluation", response={201: dict})
def evaluate(request: HttpRequest, enrolment_id: int, data: EvaluationIn) -> Any:
    enrolment = _enrolment(request, enrolment_id, write=False)
    ev = services.evaluate_session(by=acting_user(request), enrolment=enrolment, **data.dict())
    return Status(201, {"id": ev.pk})


@router.post("/enrolments/{enrolment_id}/follow-up", response={201: dict})
def follow_up(request: HttpRequest, enrolment_id: int, data: FollowUpIn) -> Any:
    require_role(request.user, "org_admin", "unit_head")
    enrolment = _enrolment(request, enrolment_id, write=False)
    row = services.record_follow_up(
        by=acting_user(request), enrolment=enrolment, on=today(), **data.dict()
    )
    return Status(201, {"id": row.pk, "due_on": row.due_on})


@router.get("/needs", response=list[CadreNeedsOut])
@paginate(LimitOffsetPagination)
def needs(request: HttpRequest, unit: int | None = None, need: str = "") -> Any:
    require_staff(request.user)
    rows = services.needs_for(cadres_under(request, unit), today())
    if need:
        rows = [r for r in rows if any(n.code == need for n in r.needs)]
    return rows


@router.get("/hours", response=list[UnitHoursOut])
@paginate(LimitOffsetPagination)
def hours(request: HttpRequest, year: int, unit: int | None = None) -> Any:
    """By unit; with ?unit= the subtrees of the units directly below it are rolled up."""
    require_staff(request.user)
    under = (
        get_object_for_user(OrgUnit.objects, request.user, unit, request=request) if unit else None
    )
    return services.hours_by_unit(cadres_under(request, unit), year, under)


@router.get("/quality", response=list[QualityOut])
@paginate(LimitOffsetPagination)
def quality(request: HttpRequest, by: str = "programme") -> Any:
    require_staff(request.user)
    rows = services.quality(TrainingProgramme.objects.visible_to(request.user), by=by)
    return [
        {
            "key": str(r["key"]),
            "name": str(r["name"]),
            "trainees": r["trainees"],
            **{
                k: getattr(r["quality"], k)
                for k in (
                    "evaluations",
                    "trainee_score",
                    "follow_ups",
                    "applied_share",
                    "follow_up_score",
                )
            },
        }
        for r in rows
    ]


# --- secondments --------------------------------------------------------------------------------


@router.get("/secondments", response=list[PlacementOut])
@paginate(LimitOffsetPagination)
def list_placements(request: HttpRequest, list: str = "out") -> Any:
    require_staff(request.user)
    qs = Placement.objects.visible_to(request.user)
    on = today()
    overdue = {o.placement.pk: o.missing for o in services.overdue_reports(qs, on)}
    rows = {
        "out": services.out_now(qs, on),
        "ending": services.ending_soon(qs, on),
        "overdue": qs.filter(pk__in=[*overdue]),
    }.get(list, qs)

    def with_overdue(p: Placement) -> Placement:
        p.overdue_reports = overdue.get(p.pk, [])
        return p

    return Mapped(rows, with_overdue)


@router.post("/secondments", response={201: PlacementOut})
def create_placement(request: HttpRequest, data: PlacementIn) -> Any:
    require_role(request.user, "org_admin")
    cadre = get_object_for_user(
        Cadre.objects, request.user, data.cadre_id, write=True, request=request
    )
    host = (
        get_object_for_user(OrgUnit.objects, request.user, data.host_unit, request=request)
        if data.host_unit
        else None
    )
    fields = data.dict(exclude={"cadre_id", "host_unit"})
    return Status(
        201,
        services.create_placement(by=acting_user(request), cadre=cadre, host_unit=host, **fields),
    )


@router.get("/secondments/{placement_id}", response=PlacementOut)
def get_placement(request: HttpRequest, placement_id: int) -> Any:
    p = get_object_for_user(Placement.objects, request.user, placement_id, request=request)
    record_view(user=request.user, obj=p, request=request)
    found = services.overdue_reports(
        Placement.objects.visible_to(request.user).filter(pk=p.pk), today()
    )
    p.overdue_reports = found[0].missing if found else []
    return p


@router.post("/secondments/{placement_id}/reports", response={201: dict})
def placement_report(request: HttpRequest, placement_id: int, data: ReportIn) -> Any:
    p = get_object_for_user(Placement.objects, request.user, placement_id, request=request)
    if request.user.cadre_id != p.cadre_id:  # type: ignore[union-attr]
        p = get_object_for_user(
            Placement.objects, request.user, placement_id, write=True, request=request
        )
    report = services.submit_report(by=acting_user(request), placement=p, on=today(), **data.dict())
    return Status(201, {"id": report.pk, "period_end": report.period_end})


@router.post("/secondments/{placement_id}/evaluation", response=PlacementOut)
def placement_evaluation(request: HttpRequest, placement_id: int, data: HostEvaluationIn) -> Any:
    p = get_object_for_user(
        Placement.objects, request.user, placement_id, write=True, request=request
    )
    return services.evaluate_placement(
        by=acting_user(request), placement=p, on=today(), **data.dict()
    )


@router.post("/secondments/{placement_id}/end", response=PlacementOut)
def placement_end(request: HttpRequest, placement_id: int, data: EndIn) -> Any:
    p = get_object_for_user(
        Placement.objects, request.user, placement_id, write=True, request=request
    )
    return services.end_placement(by=acting_user(request), placement=p, **data.dict())


# --- rotation ------------------------------------------------------------------------------------


@router.get("/rotation/candidates", response=list[CandidateOut])
@paginate(LimitOffsetPagination)
def rotation_candidates(request: HttpRequest, unit: int | None = None) -> Any:
    require_role(request.user, "org_admin")
    return sorted(
        services.rotation_candidates(cadres_under(request, unit), today()),
        key=lambda c: -c.years_in_post,
    )


@router.post("/relatives", response={201: dict})
def add_relative(request: HttpRequest, data: RelativeIn) -> Any:
    require_role(request.user, "org_admin")
    cadre = get_object_for_user(
        Cadre.objects, request.user, data.cadre_id, write=True, request=request
    )
    other = get_object_for_user(Cadre.objects, request.user, data.relative_id, request=request)
    row = services.add_relative(
        by=acting_user(request), cadre=cadre, relative=other, relation=data.relation
    )
    return Status(201, {"id": row.pk})


@router.get("/rotation/plans", response=list[PlanOut])
@paginate(LimitOffsetPagination)
def list_plans(request: HttpRequest) -> Any:
    require_role(request.user, "org_admin")
    return RotationPlan.objects.visible_to(request.user)


@router.post("/rotation/plans", response={201: PlanOut})
def create_plan(request: HttpRequest, data: PlanIn) -> Any:
    require_role(request.user, "org_admin")
    unit = get_object_for_user(
        OrgUnit.objects, request.user, data.org_unit, write=True, request=request
    )
    return Status(
        201,
        services.create_plan(
            by=acting_user(request),
            year=data.year,
            title=data.title,
            org_unit=unit,
            effective_on=data.effective_on,
        ),
    )


def _plan_detail(request: HttpRequest, plan: RotationPlan) -> dict[str, Any]:
    moves = list(
        RotationMove.objects.visible_to(request.user)
        .filter(plan=plan, withdrawn=False)
        .select_related("cadre", "from_appointment__position", "to_position__org_unit")
    )
    problems = services.check_plan(plan, moves) if plan.status != "executed" else {}
    out = PlanOut.model_validate(plan).model_dump()
    out["moves"] = [
        {
            "id": m.pk,
            "cadre_id": m.cadre_id,
            "from_position_id": m.from_appointment.position_id,
            "to_position_id": m.to_position_id,
            "reason": m.reason,
            "problems": problems.get(m.pk, []),
            "new_appointment_id": m.new_appointment_id,
        }
        for m in moves
    ]
    return out


@router.get("/rotation/plans/{plan_id}", response=PlanDetailOut)
def get_plan(request: HttpRequest, plan_id: int) -> Any:
    plan = get_object_for_user(RotationPlan.objects, request.user, plan_id, request=request)
    return _plan_detail(request, plan)


@router.post("/rotation/plans/{plan_id}/moves", response={201: PlanDetailOut})
def add_moves(request: HttpRequest, plan_id: int, data: MovesIn) -> Any:
    plan = get_object_for_user(
        RotationPlan.objects, request.user, plan_id, write=True, request=request
    )
    cadres = {
        c.pk: c
        for c in Cadre.objects.visible_to(request.user, write=True)
        .filter(pk__in=[m.cadre_id for m in data.moves])
        .select_related("org_unit")
    }
    positions = {
        p.pk: p
        for p in Position.objects.visible_to(request.user, write=True)
        .filter(pk__in=[m.position_id for m in data.moves])
        .select_related("org_unit")
    }
    missing = [m for m in data.moves if m.cadre_id not in cadres or m.position_id not in positions]
    if missing:
        raise HttpError(404, "未找到该记录")
    services.add_moves(
        by=acting_user(request),
        plan=plan,
        moves=[(cadres[m.cadre_id], positions[m.position_id], m.reason) for m in data.moves],
    )
    plan.refresh_from_db()
    return Status(201, _plan_detail(request, plan))


@router.post("/rotation/plans/{plan_id}/{action}", response=PlanOut)
def plan_action(request: HttpRequest, plan_id: int, action: str, data: VersionIn) -> Any:
    plan = get_object_for_user(
        RotationPlan.objects, request.user, plan_id, write=True, request=request
    )
    if action == "approve":
        return services.approve_plan(by=acting_user(request), plan=plan, version=data.version)
    if action == "execute":
        return services.execute_plan(by=acting_user(request), plan=plan, version=data.version)
    if action in ("draft", "cancelled"):
        return services.set_plan_status(
            by=acting_user(request), plan=plan, status=action, version=data.version
        )
    raise HttpError(404, "未找到该操作")
