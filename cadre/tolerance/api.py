"""/api/v1/tolerance/: 容错免责 applications (same scope as the pages)."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cadre.accountability import access as accountability_access
from cadre.accounts.access import get_object_for_user, own_cadre_id
from cadre.cadres.models import Cadre
from cadre.supervision import access as supervision_access
from cadre.tolerance import access, services
from cadre.tolerance.models import ExemptionApplication

router = Router(tags=["tolerance"])


class ApplicationOut(Schema):
    id: int
    cadre_id: int
    applicant_kind: str
    measure_id: int | None
    case_id: int | None
    facts: str
    distinction: str
    status: str
    applied_on: date
    verify_due_on: date
    verify_due_on_provisional: bool
    determine_due_on: date | None
    determine_due_on_provisional: bool
    feedback_due_on: date | None
    feedback_due_on_provisional: bool
    outcome: str
    outcome_reason: str
    exclusions: list[str]


class ApplicationIn(Schema):
    cadre_id: int | None = None
    applicant_kind: str = "self"
    measure_id: int | None = None
    case_id: int | None = None
    facts: str = Field(..., max_length=10_000)
    distinction: str
    statements: dict[str, str]


@router.get("/exemptions", response=list[ApplicationOut], summary="容错免责申请列表")
@paginate(LimitOffsetPagination)
def list_applications(request: HttpRequest, open_only: bool = True) -> Any:
    qs = ExemptionApplication.objects.visible_to(request.user)
    return qs.open() if open_only else qs


@router.get("/exemptions/{app_id}", response=ApplicationOut, summary="容错免责申请详情")
def get_application(request: HttpRequest, app_id: int) -> Any:
    return access.get_application(request.user, app_id, request=request)


@router.post("/exemptions", response={201: ApplicationOut}, summary="提出容错免责申请")
def apply(request: HttpRequest, payload: ApplicationIn) -> Any:
    own = own_cadre_id(request.user)
    cadre_id = own if payload.applicant_kind == "self" else payload.cadre_id
    cadre = get_object_for_user(
        Cadre.objects.select_related("org_unit"), request.user, cadre_id, request=request
    )
    measure = (
        accountability_access.get_measure(request.user, payload.measure_id, request=request)
        if payload.measure_id
        else None
    )
    case = (
        supervision_access.get_case(request.user, payload.case_id, request=request)
        if payload.case_id
        else None
    )
    return Status(
        201,
        services.apply(
            by=request.user,
            cadre=cadre,
            measure=measure,
            case=case,
            data=services.ApplicationInput(
                facts=payload.facts,
                distinction=payload.distinction,
                statements=payload.statements,
                applicant_kind=payload.applicant_kind,
            ),
        ),
    )
