"""/api/v1/accountability/ (measures, inquiries, notices) and, mounted at /api/v1/cadres/,
GET /api/v1/cadres/{id}/eligibility?on=YYYY-MM-DD."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cadre.accountability import access, services
from cadre.accountability.eligibility import eligibility
from cadre.accountability.models import Measure, Notice, NoticeStatus, WrittenInquiry
from cadre.accounts.access import get_object_for_user, has_role, own_cadre_id, require_role
from cadre.audit.services import record_view
from cadre.cadres.models import Cadre
from cadre.supervision import access as supervision_access
from cadre.workdays.rules import PROVISIONAL_FIELD

router = Router(tags=["accountability"])
cadres_router = Router(tags=["accountability"])
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


@router.get("/measures", response=list[MeasureOut], summary="处理措施列表")
@paginate(LimitOffsetPagination)
def list_measures(request: HttpRequest, cadre_id: int | None = None, kind: str = "") -> Any:
    qs = Measure.objects.visible_to(request.user)
    if cadre_id:
        qs = qs.filter(cadre_id=cadre_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


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
    measure = services.record_measure(
        by=request.user,
        cadre=cadre,
        case=case,
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


# ---- /api/v1/cadres/{id}/eligibility ------------------------------------------------------


class Block(Schema):
    reason: str
    source: str
    until: date | None


class Verdict(Schema):
    eligible: bool
    blocks: list[Block]


class EligibilityOut(Schema):
    cadre: int
    on: date
    promotion: Verdict
    excellent_grade: Verdict
    rank_promotion: Verdict


@cadres_router.get(
    "/{cadre_id}/eligibility",
    response=EligibilityOut,
    summary="能否提拔、评优秀、晋升职级（每项限制的原因、依据和期限）",
)
def cadre_eligibility(request: HttpRequest, cadre_id: int, on: date | None = None) -> Any:
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, request=request)
    if own_cadre_id(request.user) != cadre.pk:
        require_role(request.user, *STAFF)
    record_view(user=request.user, obj=cadre, request=request)
    return eligibility(cadre.pk, on or timezone.localdate())
