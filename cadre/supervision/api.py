"""/api/v1/supervision/: public intake (no auth, no cookies, nothing about the client
stored) and staff endpoints for reports, clues and cases (same scope as the pages)."""

import secrets
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from cadre.accounts.access import acting_user, get_object_for_user, require_role
from cadre.cadres.models import Cadre
from cadre.core.errors import Refused
from cadre.supervision import access, intake, links, services, throttle
from cadre.supervision.models import Case, Clue, Report
from cadre.workdays.rules import PROVISIONAL_FIELD

router = Router(tags=["supervision"])
STAFF = ("discipline", "org_admin")
BUSY = "请求过于频繁，请稍后（约一分钟后）再试"
BAD_RECEIPT = "回执码不正确或不存在，请核对后重新输入"


# ---- public --------------------------------------------------------------------------------


def _public(status: int, data: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response._has_been_logged = True  # type: ignore[attr-defined]  # no request in the logs
    return response


class PublicReportIn(Schema):
    subject_unit_id: int
    subject_kind: str = "cadre"
    subject_name: str = Field("", max_length=100)
    subject_post: str = Field("", max_length=200)
    problem_kind: str
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=20_000)
    anonymous: bool = True
    contact: str = Field("", max_length=400)
    idempotency_key: str = Field(
        "", max_length=100, description="客户端生成的随机串(≥16位)，重复提交只生成一件举报"
    )


@router.post("/public/reports", auth=None, summary="匿名或实名举报（返回回执码，仅此一次）")
def public_report(request: HttpRequest, payload: PublicReportIn) -> JsonResponse:
    if not throttle.allowed(request, "submit"):
        return _public(429, {"detail": BUSY, "code": "throttled"})
    throttle.hit(request, "submit")
    key = payload.idempotency_key.strip()
    if key and len(key) < 16:
        return _public(400, {"detail": "idempotency_key 至少16个字符", "code": "invalid"})
    data = intake.IntakeData(
        subject_unit_id=payload.subject_unit_id,
        subject_kind=payload.subject_kind,
        subject_name=payload.subject_name,
        subject_post=payload.subject_post,
        problem_kind=payload.problem_kind,
        title=payload.title,
        body=payload.body,
        anonymous=payload.anonymous,
        contact=payload.contact,
    )
    try:
        report, receipt = intake.submit_public_report(
            data=data, files=[], submission_key=key or secrets.token_urlsafe(16)
        )
    except Refused as exc:  # answered here: a public answer is not logged (see _public)
        return _public(400, {"detail": str(exc), "code": "invalid"})
    return _public(
        201,
        {"receipt": receipt, "number": report.number, "notice": "回执码只显示这一次，请妥善保存"},
    )


class ReceiptIn(Schema):
    receipt: str = Field(..., max_length=64)


class ReporterMessageIn(ReceiptIn):
    body: str = Field(..., max_length=10_000)


def _by_receipt(request: HttpRequest, receipt: str) -> tuple[Any, Any, JsonResponse | None]:
    if not throttle.allowed(request, "receipt"):
        return None, None, _public(429, {"detail": BUSY, "code": "throttled"})
    report, code = intake.find_by_receipt(receipt)
    if report is None:
        throttle.hit(request, "receipt")
        return None, None, _public(404, {"detail": BAD_RECEIPT, "code": "not_found"})
    return report, code, None


@router.post("/public/status", auth=None, summary="凭回执码查询办理情况（回执码放在请求体中）")
def public_status(request: HttpRequest, payload: ReceiptIn) -> JsonResponse:
    report, _, error = _by_receipt(request, payload.receipt)
    if error is not None:
        return error
    return _public(200, intake.public_status(report).__dict__)


@router.post("/public/messages", auth=None, summary="凭回执码给承办人留言")
def public_message(request: HttpRequest, payload: ReporterMessageIn) -> JsonResponse:
    report, code, error = _by_receipt(request, payload.receipt)
    if error is not None:
        return error
    try:
        intake.add_reporter_message(report=report, code=code, body=payload.body)
    except Refused as exc:  # answered here: a public answer is not logged (see _public)
        return _public(400, {"detail": str(exc), "code": "invalid"})
    return _public(201, {"detail": "留言已发送"})


@router.get("/public/units", auth=None, summary="可被反映的单位列表")
def public_units(request: HttpRequest) -> JsonResponse:
    units = [{"id": u.pk, "name": u.name} for u in intake.public_units()]
    return _public(200, {"units": units})


# ---- staff ---------------------------------------------------------------------------------


class ReportOut(Schema):
    id: int
    number: str
    channel: str
    is_anonymous: bool
    subject_kind: str
    subject_name: str
    subject_unit_id: int
    subject_cadre_id: int | None
    handling_unit_id: int
    problem_kind: str
    title: str
    body: str
    received_on: date
    accept_due_on: date
    status: str


class ClueOut(Schema):
    id: int
    number: str
    source: str
    report_id: int | None
    subject_cadre_id: int | None
    subject_name: str
    subject_unit_id: int
    handling_unit_id: int
    problem_kind: str
    summary: str
    received_on: date
    due_on: date
    due_on_provisional: bool = Field(description=PROVISIONAL_FIELD)
    status: str
    disposal: str
    approval_level: str


class CaseOut(Schema):
    id: int
    number: str
    clue_id: int
    title: str
    status: str
    opened_on: date
    filed_on: date | None  # 立案审查调查日期 (None: still 初步核实)
    closed_on: date | None
    conclusion: str


@router.get("/reports", response=list[ReportOut], summary="举报列表")
@paginate(LimitOffsetPagination)
def list_reports(request: HttpRequest, status: str = "") -> Any:
    require_role(request.user, *STAFF)
    qs = Report.objects.visible_to(request.user)
    return qs.filter(status=status) if status else qs


@router.get("/reports/{report_id}", response=ReportOut, summary="举报详情")
def get_report(request: HttpRequest, report_id: int) -> Any:
    require_role(request.user, *STAFF)
    report = access.get_report(request.user, report_id, request=request)
    from cadre.audit.services import record_view

    record_view(user=request.user, obj=report, request=request)
    return report


@router.get("/clues", response=list[ClueOut], summary="问题线索列表")
@paginate(LimitOffsetPagination)
def list_clues(request: HttpRequest, status: str = "") -> Any:
    require_role(request.user, *STAFF)
    qs = Clue.objects.visible_to(request.user)
    return qs.filter(status=status) if status else qs


@router.get("/clues/{clue_id}", response=ClueOut, summary="问题线索详情")
def get_clue(request: HttpRequest, clue_id: int) -> Any:
    require_role(request.user, *STAFF)
    return access.get_clue(request.user, clue_id, request=request)


class DisposalIn(Schema):
    disposal: str
    reason: str = Field(..., max_length=5000)


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=2000)


@router.post("/clues/{clue_id}/disposal", response=ClueOut, summary="提出处置意见（四种方式）")
def propose(request: HttpRequest, clue_id: int, payload: DisposalIn) -> Any:
    require_role(request.user, *STAFF)
    clue = access.get_clue(request.user, clue_id, write=True, request=request)
    return services.propose_disposal(
        clue=clue, by=request.user, disposal=payload.disposal, reason=payload.reason
    )


@router.post("/clues/{clue_id}/decision", response=ClueOut, summary="审批处置意见")
def decide(request: HttpRequest, clue_id: int, payload: DecisionIn) -> Any:
    require_role(request.user, *STAFF)
    clue = access.get_clue(request.user, clue_id, write=True, request=request)
    return services.decide_disposal(
        clue=clue, by=request.user, approve=payload.approve, note=payload.note
    )


@router.get("/cases", response=list[CaseOut], summary="案件列表")
@paginate(LimitOffsetPagination)
def list_cases(request: HttpRequest, status: str = "") -> Any:
    require_role(request.user, *STAFF)
    qs = Case.objects.visible_to(request.user)
    return qs.filter(status=status) if status else qs


@router.get("/cases/{case_id}", response=CaseOut, summary="案件详情")
def get_case(request: HttpRequest, case_id: int) -> Any:
    require_role(request.user, *STAFF)
    return access.get_case(request.user, case_id, request=request)


@router.post("/cases/{case_id}/file", response=CaseOut, summary="登记立案审查调查")
def file_case(request: HttpRequest, case_id: int) -> Any:
    require_role(request.user, *STAFF)
    case = access.get_case(request.user, case_id, write=True, request=request)
    return services.file_case(case=case, by=acting_user(request))


# ---- linking a report or clue to the cadre it is about (links.py) -----------------------------


class CandidateOut(Schema):
    id: int
    name: str
    org_unit_id: int
    unit: str = Field(alias="org_unit.name")
    current_title: str
    status: str


class LinkIn(Schema):
    cadre_id: int
    reason: str = Field(..., max_length=5000)


class UnlinkIn(Schema):
    reason: str = Field(..., max_length=5000)


def _candidates(request: HttpRequest, obj: Any, q: str) -> list[Any]:
    if not links.may_link(request.user, obj.handling_unit):
        raise PermissionDenied(links.ONLY_DISCIPLINE)
    return links.candidates(request.user, q)


def _cadre(request: HttpRequest, cadre_id: int) -> Any:
    return get_object_for_user(
        Cadre.objects.select_related("org_unit"), request.user, cadre_id, request=request
    )


@router.get(
    "/reports/{report_id}/subject-candidates",
    response=list[CandidateOut],
    summary="按姓名查找可关联的干部（本人管理范围内）",
)
@paginate(LimitOffsetPagination)
def report_candidates(request: HttpRequest, report_id: int, q: str = "") -> list[Any]:
    require_role(request.user, *STAFF)
    report = access.get_report(request.user, report_id, write=True, request=request)
    return _candidates(request, report, q)


@router.post(
    "/reports/{report_id}/subject-link",
    response=ReportOut,
    summary="将举报关联到干部（须说明理由；其线索一并关联）",
)
def report_link(request: HttpRequest, report_id: int, payload: LinkIn) -> Any:
    require_role(request.user, *STAFF)
    report = access.get_report(request.user, report_id, write=True, request=request)
    return links.link_subject(
        by=request.user,
        cadre=_cadre(request, payload.cadre_id),
        reason=payload.reason,
        report=report,
    )


@router.post(
    "/reports/{report_id}/subject-unlink",
    response=ReportOut,
    summary="解除举报与干部的关联（须说明理由；其线索一并解除）",
)
def report_unlink(request: HttpRequest, report_id: int, payload: UnlinkIn) -> Any:
    require_role(request.user, *STAFF)
    report = access.get_report(request.user, report_id, write=True, request=request)
    return links.unlink_subject(by=request.user, reason=payload.reason, report=report)


@router.get(
    "/clues/{clue_id}/subject-candidates",
    response=list[CandidateOut],
    summary="按姓名查找可关联的干部（本人管理范围内）",
)
@paginate(LimitOffsetPagination)
def clue_candidates(request: HttpRequest, clue_id: int, q: str = "") -> list[Any]:
    require_role(request.user, *STAFF)
    clue = access.get_clue(request.user, clue_id, write=True, request=request)
    return _candidates(request, clue, q)


@router.post(
    "/clues/{clue_id}/subject-link",
    response=ClueOut,
    summary="将问题线索关联到干部（须说明理由；来源举报一并关联）",
)
def clue_link(request: HttpRequest, clue_id: int, payload: LinkIn) -> Any:
    require_role(request.user, *STAFF)
    clue = access.get_clue(request.user, clue_id, write=True, request=request)
    return links.link_subject(
        by=request.user, cadre=_cadre(request, payload.cadre_id), reason=payload.reason, clue=clue
    )


@router.post(
    "/clues/{clue_id}/subject-unlink",
    response=ClueOut,
    summary="解除问题线索与干部的关联（须说明理由；来源举报一并解除）",
)
def clue_unlink(request: HttpRequest, clue_id: int, payload: UnlinkIn) -> Any:
    require_role(request.user, *STAFF)
    clue = access.get_clue(request.user, clue_id, write=True, request=request)
    return links.unlink_subject(by=request.user, reason=payload.reason, clue=clue)
