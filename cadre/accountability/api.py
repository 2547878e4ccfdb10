"""/api/v1/accountability/ (measures, inquiries, notices). A cadre's eligibility is answered
by the eligibility app (GET /api/v1/cadres/{id}/eligibility)."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cadre.accountability import access, services
from cadre.accountability.models import Measure, Notice, NoticeStatus, WrittenInquiry
from cadre.accounts.access import (
    acting_user,
    get_object_for_user,
    has_role,
    own_cadre_id,
    require_role,
)
from cadre.audit.services import record_view
from cadre.cadres.models import Cadre
from cadre.orgs.models import Position
from cadre.supervision import access as supervision_access
from cadre.workdays.rules import PROVISIONAL_FIELD

router = Router(tags=["accountability"])
STAFF = ("org_admin", "discipline")


class MeasureOut(Schema):
    id: int
    cadre_id: int
    kind: str
    category: str
    issuing_body: str
    decided_on: date
    effective_on: date
    facts: str
    article: str
    probation_years: int | None
    period_months: int | None
    influence_until: date | None
    open_ended: bool
    period_basis: str
    status: str
    ended_on: date | None
    exempted: bool
    exempted_on: date | None = Field(description="容错免责认定日期：自该日起不再产生影响")
    chained_on_id: int | None = Field(
        description="处分期与其尚未执行部分相加的原处分（处分条例第十条第二款）"
    )
    case_id: int | None
    replaces_id: int | None
    registry_effect: str = Field(description="登记时对任职、职级或在职状态的调整")
    personnel_due_on: date | None = Field(
        description="降级、撤职、开除：人事变更手续办理期限（公职人员政务处分法 第五十四条）"
    )
    personnel_extended_to: date | None = Field(description="经批准延长的办理期限")
    personnel_done_on: date | None = Field(description="人事变更手续办结日期")
    personnel_note: str


class MeasureIn(Schema):
    cadre_id: int
    kind: str
    issuing_body: str = Field(..., max_length=100)
    decided_on: date
    effective_on: date
    facts: str = Field(..., max_length=10_000)
    article: str = Field(..., max_length=200)
    probation_years: int | None = None
    referral_to: str = ""
    combined_count: int = Field(1, ge=1, le=20)
    combined_months: int | None = Field(None, ge=1, le=48)
    case_id: int | None = None
    rectifications: list[tuple[str, date]] = Field(default_factory=list, max_length=20)
    to_position_id: int | None = Field(
        None, description="拟任职位（降职、调整职务、撤职可填，改任其他职务必填）"
    )
    to_rank: str = Field("", max_length=30, description="降职、撤职后的职级（不填则降低一级）")


class PersonnelDoneIn(Schema):
    done_on: date
    note: str = Field(..., max_length=200)


class PersonnelExtendIn(Schema):
    until: date
    reason: str = Field(..., max_length=200)


@router.get("/measures", response=list[MeasureOut], summary="处理措施列表")
@paginate(LimitOffsetPagination)
def list_measures(request: HttpRequest, cadre_id: int | None = None, kind: str = "") -> Any:
    qs = Measure.objects.visible_to(request.user)
    if cadre_id:
        qs = qs.filter(cadre_id=cadre_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@router.get(
    "/measures/personnel-overdue",
    response=list[MeasureOut],
    summary="降级、撤职、开除逾期未办理人事变更手续的（政务处分法第五十四条）",
)
@paginate(LimitOffsetPagination)
def list_personnel_overdue(request: HttpRequest) -> Any:
    require_role(request.user, *STAFF)
    return (
        Measure.objects.visible_to(request.user)
        .personnel_overdue(timezone.localdate())
        .order_by("personnel_due_on", "pk")
    )


@router.get("/measures/{measure_id}", response=MeasureOut, summary="处理措施详情")
def get_measure(request: HttpRequest, measure_id: int) -> Any:
    measure = access.get_measure(request.user, measure_id, request=request)
    record_view(user=request.user, obj=measure, request=request)
    return measure


@router.post("/measures", response={201: MeasureOut}, summary="登记处理措施（影响期由规则计算）")
def create_measure(request: HttpRequest, payload: MeasureIn) -> Any:
    require_role(request.user, *STAFF)
    cadre = get_object_for_user(
        Cadre.objects.select_related("org_unit"), request.user, payload.cadre_id, request=request
    )
    case = (
        supervision_access.get_case(request.user, payload.case_id, request=request)
        if payload.case_id
        else None
    )
    position = (
        get_object_for_user(
            Position.objects.select_related("org_unit"),
            request.user,
            payload.to_position_id,
            request=request,
        )
        if payload.to_position_id
        else None
    )
    measure = services.record_measure(
        by=request.user,
        cadre=cadre,
        case=case,
        to_position=position,
        to_rank=payload.to_rank,
        data=services.MeasureInput(
            kind=payload.kind,
            issuing_body=payload.issuing_body,
            decided_on=payload.decided_on,
            effective_on=payload.effective_on,
            facts=payload.facts,
            article=payload.article,
            probation_years=payload.probation_years,
            referral_to=payload.referral_to,
            combined_count=payload.combined_count,
            combined_months=payload.combined_months,
            rectifications=tuple(payload.rectifications),
        ),
    )
    return Status(201, measure)


@router.post(
    "/measures/{measure_id}/personnel/done",
    response=MeasureOut,
    summary="登记人事变更手续办结（政务处分法第五十四条）",
)
def personnel_done(request: HttpRequest, measure_id: int, payload: PersonnelDoneIn) -> Any:
    require_role(request.user, *STAFF)
    measure = access.get_measure(request.user, measure_id, write=True, request=request)
    return services.complete_personnel_change(
        measure=measure, by=acting_user(request), done_on=payload.done_on, note=payload.note
    )


@router.post(
    "/measures/{measure_id}/personnel/extend",
    response=MeasureOut,
    summary="延长人事变更手续办理期限（最长至决定后六个月）",
)
def personnel_extend(request: HttpRequest, measure_id: int, payload: PersonnelExtendIn) -> Any:
    require_role(request.user, *STAFF)
    measure = access.get_measure(request.user, measure_id, write=True, request=request)
    return services.extend_personnel_change(
        measure=measure, by=acting_user(request), until=payload.until, reason=payload.reason
    )


class InquiryOut(Schema):
    id: int
    cadre_id: int
    clue_id: int | None
    issuing_body: str
    questions: str
    sent_on: date
    due_on: date
    due_on_provisional: bool = Field(description=PROVISIONAL_FIELD)
    status: str
    replied_on: date | None
    signoff_name: str
    outcome: str
    reminder_count: int


class InquiryIn(Schema):
    cadre_id: int
    clue_id: int | None = None
    issuing_body: str = Field(..., max_length=100)
    questions: str = Field(..., max_length=10_000)
    sent_on: date


class ReplyIn(Schema):
    reply_text: str = Field(..., max_length=10_000)
    replied_on: date
    signoff_name: str = Field(..., max_length=30)
    signoff_opinion: str = Field(..., max_length=2000)
    signoff_on: date


class CloseIn(Schema):
    outcome: str
    note: str = Field(..., max_length=5000)


@router.get("/inquiries", response=list[InquiryOut], summary="函询列表（overdue=true 仅逾期）")
@paginate(LimitOffsetPagination)
def list_inquiries(request: HttpRequest, overdue: bool = False) -> Any:
    qs = WrittenInquiry.objects.visible_to(request.user)
    return qs.overdue(timezone.localdate()) if overdue else qs


@router.get("/inquiries/{inquiry_id}", response=InquiryOut, summary="函询详情")
def get_inquiry(request: HttpRequest, inquiry_id: int) -> Any:
    inquiry = access.get_inquiry(request.user, inquiry_id, request=request)
    record_view(user=request.user, obj=inquiry, request=request)
    return inquiry


@router.post("/inquiries", response={201: InquiryOut}, summary="发出函询（回复期限按工作日计算）")
def send_inquiry(request: HttpRequest, payload: InquiryIn) -> Any:
    require_role(request.user, *STAFF)
    cadre = get_object_for_user(Cadre.objects, request.user, payload.cadre_id, request=request)
    clue = (
        supervision_access.get_clue(request.user, payload.clue_id, write=True, request=request)
        if payload.clue_id
        else None
    )
    return Status(
        201,
        services.send_inquiry(
            by=request.user,
            cadre=cadre,
            clue=clue,
            issuing_body=payload.issuing_body,
            questions=payload.questions,
            sent_on=payload.sent_on,
        ),
    )


@router.post("/inquiries/{inquiry_id}/reply", response=InquiryOut, summary="登记函询回复")
def reply_inquiry(request: HttpRequest, inquiry_id: int, payload: ReplyIn) -> Any:
    own = own_cadre_id(request.user) is not None and not has_role(request.user, *STAFF)
    inquiry = access.get_inquiry(request.user, inquiry_id, write=not own, request=request)
    return services.reply_inquiry(inquiry=inquiry, by=request.user, **payload.dict())


@router.post("/inquiries/{inquiry_id}/close", response=InquiryOut, summary="函询处理办结")
def close_inquiry(request: HttpRequest, inquiry_id: int, payload: CloseIn) -> Any:
    require_role(request.user, *STAFF)
    inquiry = access.get_inquiry(request.user, inquiry_id, write=True, request=request)
    return services.close_inquiry(
        inquiry=inquiry, by=request.user, outcome=payload.outcome, note=payload.note
    )


class NoticeOut(Schema):
    id: int
    kind: str
    visibility: str
    title: str
    published_body: str
    status: str
    published_on: date | None
    org_unit_id: int


@router.get("/notices", response=list[NoticeOut], summary="通报列表（已发布或本单位管理的）")
@paginate(LimitOffsetPagination)
def list_notices(request: HttpRequest) -> Any:
    qs = Notice.objects.visible_to(request.user)
    if not has_role(request.user, *STAFF):
        qs = qs.filter(status=NoticeStatus.PUBLISHED)
    return qs


@router.get("/notices/{notice_id}", response=NoticeOut, summary="通报详情（记录阅读）")
def get_notice(request: HttpRequest, notice_id: int) -> Any:
    notice = access.get_notice(request.user, notice_id, request=request)
    services.mark_read(notice=notice, user=request.user)
    return notice
