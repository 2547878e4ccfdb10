"""Daily logs API at /api/v1/worklogs/: submit and read logs (one or in bulk), review weeks,
propose and confirm quarter grades, read signals. Same scope as the pages: every list goes
through `visible_to`, every object through `get_object_for_user` (404 out of scope)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from pydantic import AfterValidator

from cadre.accounts.access import get_object_for_user, is_staff
from cadre.audit.services import record_view
from cadre.cadres.models import Cadre
from cadre.orgs.models import OrgUnit
from cadre.worklogs import access, services, signals_api
from cadre.worklogs.models import (
    Annotation,
    GradeStatus,
    LogStatus,
    QuarterGrade,
    RoutineGrade,
    WeekReview,
    WorkLog,
)

router = Router(tags=["worklogs"])

MAX_ID = 2**63 - 1


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("不能包含空字符(NUL)")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
ObjId = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]


class ErrorOut(Schema):
    detail: str
    code: str


# ---------------------------------------------------------------- logs


class LogOut(Schema):
    id: int
    cadre_id: int
    org_unit_id: int
    day: date
    text: str
    hours: Decimal | None
    task_ids: list[int]
    status: LogStatus
    is_late: bool
    submitted_at: datetime | None
    reviewed_at: datetime | None
    version: int


class LogQuery(Schema):
    cadre_id: ObjId | None = None
    unit_id: ObjId | None = Field(None, description="单位（含下级）")
    start: Day | None = None
    end: Day | None = None
    status: LogStatus | None = None


class LogIn(Schema):
    day: Day
    text: Text = Field(..., max_length=20_000)
    hours: Decimal | None = None
    task_ids: list[int] = Field(default_factory=list, max_length=100)
    cadre_id: ObjId | None = Field(None, description="可省略；如填写，须为本人")
    submit: bool = True
    version: int | None = Field(None, ge=1, description="修改已有日志时填写读取时的版本")


class BulkIn(Schema):
    items: list[LogIn] = Field(..., min_length=1, max_length=services.logs.MAX_BULK_ITEMS)


class ItemErrorOut(Schema):
    index: int
    day: str
    message: str


class BulkErrorOut(ErrorOut):
    errors: list[ItemErrorOut]


@router.get("/logs", response=list[LogOut], summary="日志列表（本人或管辖范围）")
@paginate(LimitOffsetPagination)
def list_logs(request: HttpRequest, query: Query[LogQuery]) -> QuerySet[WorkLog]:
    qs = WorkLog.objects.visible_to(request.user)
    if query.cadre_id:
        qs = qs.filter(cadre_id=query.cadre_id)
    if query.unit_id:
        unit = get_object_for_user(OrgUnit.objects, request.user, query.unit_id, request=request)
        qs = qs.filter(org_unit__path__startswith=unit.path)
    if query.start:
        qs = qs.filter(day__gte=query.start)
    if query.end:
        qs = qs.filter(day__lte=query.end)
    if query.status:
        qs = qs.filter(status=query.status)
    return qs.order_by("-day", "cadre_id")


@router.get("/logs/{int:log_id}", response=LogOut, summary="一篇日志")
def get_log(request: HttpRequest, log_id: ObjId) -> WorkLog:
    log = get_object_for_user(WorkLog.objects, request.user, log_id, request=request)
    if request.user.cadre_id != log.cadre_id:  # type: ignore[union-attr]
        record_view(user=request.user, obj=log, request=request)
    return log


def _own_cadre(request: HttpRequest) -> Cadre:
    cadre_id = getattr(request.user, "cadre_id", None)
    if cadre_id is None:
        raise HttpError(403, "您的账号未关联干部档案，不能提交日志")
    return get_object_for_user(Cadre.objects, request.user, cadre_id)


@router.post("/logs", response={200: LogOut}, summary="保存或提交一篇日志（本人）")
def save_log(request: HttpRequest, payload: LogIn) -> WorkLog:
    """The same day again updates the same log (one per cadre and day) until reviewed."""
    cadre = _own_cadre(request)
    if payload.cadre_id not in (None, cadre.pk):
        raise HttpError(403, "只能提交本人的日志，不能替他人提交")
    return services.save_log(
        by=request.user,
        cadre=cadre,
        day=payload.day,
        text=payload.text,
        hours=payload.hours,
        task_ids=payload.task_ids,
        submit=payload.submit,
        version=payload.version,
        request=request,
    )


@router.post(
    "/logs/bulk",
    response={200: list[LogOut], 400: BulkErrorOut},
    summary="批量提交日志（本人，全部成功或全部不保存）",
)
def bulk_logs(request: HttpRequest, payload: BulkIn) -> Any:
    """For programs that collect logs elsewhere: every item is checked first; one bad item
    refuses the whole batch and the answer lists each bad item with its reason."""
    _own_cadre(request)
    items = [item.dict() for item in payload.items]
    submit = all(item["submit"] for item in items)
    return services.bulk_save_logs(by=request.user, items=items, submit=submit, request=request)


class AnnotationIn(Schema):
    text: Text = Field(..., max_length=20_000)


class AnnotationOut(Schema):
    id: int
    log_id: int
    author_id: int
    text: str
    created_at: datetime


@router.get("/logs/{int:log_id}/annotations", response=list[AnnotationOut], summary="日志批注")
@paginate(LimitOffsetPagination)
def list_annotations(request: HttpRequest, log_id: ObjId) -> Any:
    log = get_object_for_user(WorkLog.objects, request.user, log_id, request=request)
    return Annotation.objects.visible_to(request.user).filter(log=log)


@router.post("/logs/{int:log_id}/annotations", response={201: AnnotationOut}, summary="追加批注")
def annotate(request: HttpRequest, log_id: ObjId, payload: AnnotationIn) -> Any:
    log = get_object_for_user(WorkLog.objects, request.user, log_id, request=request)
    return Status(
        201, services.annotate_log(by=request.user, log=log, text=payload.text, request=request)
    )


# ---------------------------------------------------------------- reviews


class WeekKey(Schema):
    cadre_id: ObjId
    week_start: Day


class ReviewIn(Schema):
    weeks: list[WeekKey] = Field(..., min_length=1, max_length=services.reviews.MAX_BATCH_WEEKS)
    mark: RoutineGrade | None = Field(None, description="评价方式为等次时填写")
    score: int | None = Field(None, ge=0, le=100, description="评价方式为百分制时填写")
    comment: Text = Field("", max_length=500)
    version: int | None = Field(None, ge=0, description="只评价一个周时可填写读取时的版本")


class ReviewOut(Schema):
    id: int
    cadre_id: int
    week_start: date
    mark: str
    score: int | None
    comment: str
    reviewer_id: int
    reviewed_at: datetime
    version: int


class ReviewQuery(Schema):
    cadre_id: ObjId | None = None
    week_start: Day | None = None


@router.get("/reviews", response=list[ReviewOut], summary="周审阅评价")
@paginate(LimitOffsetPagination)
def list_reviews(request: HttpRequest, query: Query[ReviewQuery]) -> Any:
    qs = WeekReview.objects.visible_to(request.user)
    if query.cadre_id:
        qs = qs.filter(cadre_id=query.cadre_id)
    if query.week_start:
        qs = qs.filter(week_start=query.week_start)
    return qs.order_by("-week_start", "cadre_id")


@router.post(
    "/reviews",
    response=list[ReviewOut],
    summary="评价一个或多个周（单位负责人或受托人，全部成功或全部不保存）",
)
def review_weeks(request: HttpRequest, payload: ReviewIn) -> Any:
    if not access.is_reviewer(request.user):
        raise HttpError(403, "只有单位负责人或受托审阅人可以审阅日志")
    keys = [(w.cadre_id, w.week_start) for w in payload.weeks]
    versions = (
        {keys[0]: payload.version} if payload.version is not None and len(keys) == 1 else None
    )
    return services.mark_weeks(
        by=request.user,
        weeks=keys,
        mark=payload.mark,
        score=payload.score,
        comment=payload.comment,
        versions=versions,
        request=request,
    )


# ---------------------------------------------------------------- grades


class GradeOut(Schema):
    id: int
    cadre_id: int
    org_unit_id: int
    year: int
    quarter: int
    status: GradeStatus
    proposed_grade: str
    proposed_score: Decimal | None
    incomplete: bool = Field(
        description="依据不全：有输入缺失，未折算等次建议（见 inputs.missing）"
    )
    inputs: dict[str, Any]
    confirmed_grade: str
    change_reason: str
    confirmed_at: datetime | None
    notified_at: datetime | None
    review_reason: str
    review_requested_at: datetime | None
    review_grade: str
    review_note: str
    review_decided_at: datetime | None
    final_grade: str
    version: int


class GradeQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    quarter: int | None = Field(None, ge=1, le=4)
    cadre_id: ObjId | None = None
    unit_id: ObjId | None = None
    status: GradeStatus | None = None


@router.get("/grades", response=list[GradeOut], summary="季度平时考核等次")
@paginate(LimitOffsetPagination)
def list_grades(request: HttpRequest, query: Query[GradeQuery]) -> QuerySet[QuarterGrade]:
    qs = QuarterGrade.objects.visible_to(request.user)
    for field in ("year", "quarter", "cadre_id", "status"):
        if getattr(query, field):
            qs = qs.filter(**{field: getattr(query, field)})
    if query.unit_id:
        unit = get_object_for_user(OrgUnit.objects, request.user, query.unit_id, request=request)
        qs = qs.filter(org_unit__path__startswith=unit.path)
    return qs.order_by("-year", "-quarter", "org_unit_id", "cadre_id")


@router.get("/grades/{int:grade_id}", response=GradeOut, summary="一条季度等次")
def get_grade(request: HttpRequest, grade_id: ObjId) -> QuarterGrade:
    grade = get_object_for_user(QuarterGrade.objects, request.user, grade_id, request=request)
    if request.user.cadre_id != grade.cadre_id:  # type: ignore[union-attr]
        record_view(user=request.user, obj=grade, request=request)
    return grade


class ProposeIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)
    unit_id: ObjId | None = None


class ProposeOut(Schema):
    year: int
    quarter: int
    cadres: int
    created: int
    updated: int
    kept_confirmed: int
    capped: int
    incomplete: int


@router.post("/grades/propose", response=ProposeOut, summary="生成季度等次建议（单位负责人）")
def propose(request: HttpRequest, payload: ProposeIn) -> Any:
    heads = access.head_paths(request.user)
    if heads == []:
        raise HttpError(403, "只有单位负责人可以生成等次建议")
    cadres = Cadre.objects.visible_to(request.user)
    if heads is not None:
        q = Q(pk__in=[])
        for path in heads:
            q |= Q(org_unit__path__startswith=path)
        cadres = cadres.filter(q)
    if payload.unit_id:
        unit = get_object_for_user(OrgUnit.objects, request.user, payload.unit_id, request=request)
        cadres = cadres.filter(org_unit__path__startswith=unit.path)
    return services.propose_quarter_grades(
        by=request.user, year=payload.year, quarter=payload.quarter, cadres=cadres, request=request
    )


class ConfirmIn(Schema):
    grade: RoutineGrade
    reason: Text = Field("", max_length=500)
    version: int = Field(..., ge=1)


class ReviewRequestIn(Schema):
    reason: Text = Field(..., max_length=500)
    version: int = Field(..., ge=1)


class DecisionIn(Schema):
    grade: RoutineGrade
    note: Text = Field(..., max_length=500)
    version: int = Field(..., ge=1)


@router.post(
    "/grades/{int:grade_id}/confirm",
    response=GradeOut,
    summary="确认或调整等次（单位负责人；调整须写理由）",
)
def confirm(request: HttpRequest, grade_id: ObjId, payload: ConfirmIn) -> Any:
    grade = get_object_for_user(
        QuarterGrade.objects, request.user, grade_id, write=True, request=request
    )
    return services.confirm_grade(
        by=request.user,
        grade=grade,
        final=payload.grade,
        reason=payload.reason,
        version=payload.version,
        request=request,
    )


@router.post(
    "/grades/{int:grade_id}/review-request", response=GradeOut, summary="申请复核（本人，仅一次）"
)
def request_review(request: HttpRequest, grade_id: ObjId, payload: ReviewRequestIn) -> Any:
    grade = get_object_for_user(QuarterGrade.objects, request.user, grade_id, request=request)
    return services.request_grade_review(
        by=request.user,
        grade=grade,
        reason=payload.reason,
        version=payload.version,
        request=request,
    )


@router.post(
    "/grades/{int:grade_id}/review-decision", response=GradeOut, summary="复核决定（单位负责人）"
)
def decide(request: HttpRequest, grade_id: ObjId, payload: DecisionIn) -> Any:
    grade = get_object_for_user(
        QuarterGrade.objects, request.user, grade_id, write=True, request=request
    )
    return services.decide_grade_review(
        by=request.user,
        grade=grade,
        final=payload.grade,
        note=payload.note,
        version=payload.version,
        request=request,
    )


# ---------------------------------------------------------------- signals


class PeriodQuery(Schema):
    start: Day
    end: Day


class LogRefOut(Schema):
    id: int
    day: date
    text: str
    status: str
    is_late: bool


class DuplicateOut(Schema):
    log: LogRefOut
    earlier: LogRefOut
    similarity: float


class CadreSignalsOut(Schema):
    cadre_id: int
    start: date
    end: date
    expected_days: int
    missing_days: list[date]
    open_days: list[date]
    late_logs: list[LogRefOut]
    handed_in: int
    reviewed: int
    share_reviewed: Decimal | None
    near_duplicates: list[DuplicateOut]
    explanations: list[str]


def _check_period(query: PeriodQuery) -> None:
    if query.end < query.start:
        raise HttpError(400, "结束日期不能早于开始日期")
    if (query.end - query.start).days > 366:
        raise HttpError(400, "统计区间不能超过一年")


@router.get(
    "/signals/cadres/{int:cadre_id}",
    response=CadreSignalsOut,
    summary="一名干部的日志信号（缺填、补填、审阅率、雷同及其日志）",
)
def cadre_signals(request: HttpRequest, cadre_id: ObjId, query: Query[PeriodQuery]) -> Any:
    _check_period(query)
    # staff in their subtree, a cadre for themself only (the scoping module decides)
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, request=request)
    found = signals_api.cadre_signals(cadre.pk, query.start, query.end)
    return {
        **found.__dict__,
        "share_reviewed": found.share_reviewed,
        "explanations": found.explanations(),
    }


class CountsOut(Schema):
    cadre_id: int
    org_unit_id: int
    expected: int
    missing: int
    handed_in: int
    late: int
    reviewed: int
    duplicates: int | None
    completeness: Decimal | None
    share_reviewed: Decimal | None


@router.get(
    "/signals/units/{int:unit_id}",
    response=list[CountsOut],
    summary="单位（含下级）每名干部的日志信号计数",
)
@paginate(LimitOffsetPagination)
def unit_signals(request: HttpRequest, unit_id: ObjId, query: Query[PeriodQuery]) -> Any:
    _check_period(query)
    unit = get_object_for_user(OrgUnit.objects, request.user, unit_id, request=request)
    if not is_staff(request.user):  # a cadre sees their own unit, not colleagues' counts
        raise HttpError(403, "您的角色无权访问此功能")
    cadres = Cadre.objects.visible_to(request.user).filter(org_unit__path__startswith=unit.path)
    counts = signals_api.scope_signals(cadres, query.start, query.end, duplicates=True)
    return [
        {
            **c.__dict__,
            "missing": c.missing,
            "completeness": c.completeness,
            "share_reviewed": c.share_reviewed,
        }
        for c in counts.values()
    ]
