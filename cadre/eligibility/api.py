"""/api/v1/cadres/{id}/eligibility and /api/v1/eligibility/ (overrides, 不适宜担任现职)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cadre.accounts.access import acting_user, get_object_for_user, own_cadre_id, require_role
from cadre.audit.services import record_view
from cadre.cadres.decisions import Decision
from cadre.cadres.models import Cadre
from cadre.core.paging import Mapped
from cadre.eligibility import consequences, rules, services
from cadre.eligibility.models import Override, Unsuitability
from cadre.eligibility.services import EligibilityError
from cadre.orgs.models import OrgUnit, Position

router = Router(tags=["eligibility"])
cadres_router = Router(tags=["eligibility"])
STAFF = ("org_admin", "discipline")


class BlockOut(Schema):
    reason: str
    source: str
    until: date | None
    ends: str
    fact: str
    overridable: bool


class VerdictOut(Schema):
    eligible: bool
    blocks: list[BlockOut]


class ProposalOut(Schema):
    action: str
    reason: str
    source: str


class EligibilityOut(Schema):
    cadre: int
    on: date
    promotion: VerdictOut
    leading_post: VerdictOut
    appointment: VerdictOut
    excellent_grade: VerdictOut
    rank_promotion: VerdictOut
    honour: VerdictOut
    reserve: VerdictOut
    key_secondment: VerdictOut
    proposals: list[ProposalOut]


def parse_day(value: str | None, cadre: Cadre | None = None) -> date:
    """?on=YYYY-MM-DD, today when absent; a bad value or a day before birth is refused."""
    if not value:
        return timezone.localdate()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise EligibilityError(f"日期格式应为 YYYY-MM-DD：{value[:20]}") from None
    if cadre is not None and day < cadre.birth_date:
        raise EligibilityError(f"查询日期 {day:%Y-%m-%d} 早于{cadre.name}的出生日期")
    return day


@cadres_router.get(
    "/{cadre_id}/eligibility",
    response=EligibilityOut,
    summary="任用资格：提拔、任职、评优秀、职级晋升、表彰、后备、挂职（每项限制的原因、依据和期限）",
)
def cadre_eligibility(
    request: HttpRequest, cadre_id: int, on: str | None = None, position: int | None = None
) -> Any:
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, request=request)
    if own_cadre_id(request.user) != cadre.pk:
        require_role(request.user, *STAFF)
    day = parse_day(on, cadre)
    post = None
    if position is not None:
        post = get_object_for_user(Position.objects, request.user, position, request=request)
    record_view(user=request.user, obj=cadre, request=request)
    return services.answers([cadre.pk], day, post.pk if post else None)[cadre.pk].as_json()


# ---- /api/v1/eligibility/: 不适宜担任现职, 破格, the consequence list -------------------------


def _reader(request: HttpRequest) -> None:
    require_role(request.user, *STAFF)


def _writer(request: HttpRequest) -> None:
    require_role(request.user, "org_admin")


class UnsuitabilityOut(Schema):
    id: int
    cadre_id: int
    cadre_name: str
    determined_on: date
    grounds: list[str]
    grounds_labels: list[str]
    facts: str
    talk_on: date | None
    talk_note: str
    decision: str
    decided_on: date | None
    effective_on: date | None
    basis: str
    effect: str
    status: str
    status_label: str


def _unsuitability_out(u: Unsuitability) -> dict[str, Any]:
    return {
        "id": u.pk,
        "cadre_id": u.cadre_id,
        "cadre_name": u.cadre.name,
        "determined_on": u.determined_on,
        "grounds": list(u.grounds),
        "grounds_labels": [rules.UNSUITABLE_GROUNDS.get(g, g) for g in u.grounds],
        "facts": u.facts,
        "talk_on": u.talk_on,
        "talk_note": u.talk_note,
        "decision": u.decision,
        "decided_on": u.decided_on,
        "effective_on": u.effective_on,
        "basis": u.basis,
        "effect": u.effect,
        "status": u.status,
        "status_label": u.get_status_display(),
    }


class UnsuitabilityIn(Schema):
    cadre_id: int
    determined_on: date
    grounds: list[str]
    facts: str = Field(..., max_length=10_000)


class TalkIn(Schema):
    talk_on: date
    note: str = Field(..., max_length=5_000)


class DecideIn(Schema):
    decision: str
    decided_on: date
    effective_on: date
    basis: str = Field(..., max_length=200)
    to_position_id: int | None = None
    to_rank: str = Field("", max_length=30)


class WithdrawIn(Schema):
    reason: str = Field(..., max_length=250)


def _unsuitability(request: HttpRequest, item_id: int, write: bool = False) -> Unsuitability:
    return get_object_for_user(
        Unsuitability.objects.select_related("cadre"),
        request.user,
        item_id,
        write=write,
        request=request,
    )


@router.get(
    "/unsuitability",
    response=list[UnsuitabilityOut],
    summary="不适宜担任现职认定列表（?status=determined|decided|withdrawn）",
)
@paginate(LimitOffsetPagination)
def list_unsuitability(request: HttpRequest, status: str = "") -> Any:
    _reader(request)
    qs = Unsuitability.objects.visible_to(request.user).select_related("cadre")
    if status:
        qs = qs.filter(status=status)
    return Mapped(qs, _unsuitability_out)


@router.get("/unsuitability/{item_id}", response=UnsuitabilityOut, summary="不适宜担任现职认定")
def get_unsuitability(request: HttpRequest, item_id: int) -> Any:
    _reader(request)
    item = _unsuitability(request, item_id)
    record_view(user=request.user, obj=item, request=request)
    return _unsuitability_out(item)


@router.post("/unsuitability", response={201: UnsuitabilityOut}, summary="认定不适宜担任现职")
def create_unsuitability(request: HttpRequest, payload: UnsuitabilityIn) -> Any:
    _writer(request)
    cadre = get_object_for_user(
        Cadre.objects, request.user, payload.cadre_id, write=True, request=request
    )
    item = services.determine_unsuitable(
        by=acting_user(request),
        cadre=cadre,
        determined_on=payload.determined_on,
        grounds=payload.grounds,
        facts=payload.facts,
    )
    return Status(201, _unsuitability_out(item))


@router.post("/unsuitability/{item_id}/talk", response=UnsuitabilityOut, summary="登记调整前谈话")
def talk_unsuitability(request: HttpRequest, item_id: int, payload: TalkIn) -> Any:
    _writer(request)
    item = services.record_talk(
        by=acting_user(request),
        item=_unsuitability(request, item_id, write=True),
        talk_on=payload.talk_on,
        note=payload.note,
    )
    return _unsuitability_out(item)


@router.post(
    "/unsuitability/{item_id}/decide",
    response=UnsuitabilityOut,
    summary="作出调整决定（调整职务/改任/免职/降职），同时变更任职记录",
)
def decide_unsuitability(request: HttpRequest, item_id: int, payload: DecideIn) -> Any:
    _writer(request)
    item = _unsuitability(request, item_id, write=True)
    post = None
    if payload.to_position_id is not None:
        post = get_object_for_user(
            Position.objects, request.user, payload.to_position_id, write=True, request=request
        )
    done = services.decide_unsuitable(
        by=acting_user(request),
        item=item,
        decision=payload.decision,
        decided_on=payload.decided_on,
        effective_on=payload.effective_on,
        basis=payload.basis,
        to_position=post,
        to_rank=payload.to_rank,
    )
    return _unsuitability_out(done)


@router.post("/unsuitability/{item_id}/withdraw", response=UnsuitabilityOut, summary="撤销认定")
def withdraw_unsuitability(request: HttpRequest, item_id: int, payload: WithdrawIn) -> Any:
    _writer(request)
    item = services.withdraw_unsuitable(
        by=acting_user(request),
        item=_unsuitability(request, item_id, write=True),
        reason=payload.reason,
    )
    return _unsuitability_out(item)


class OverrideBlockOut(Schema):
    reason: str
    source: str
    until: str | None
    overridable: bool


class OverrideOut(Schema):
    id: int
    cadre_id: int
    cadre_name: str
    decision: str
    position_id: int | None
    position: str
    reason: str
    blocks: list[OverrideBlockOut]
    status: str
    status_label: str
    requested_by: str
    requested_at: datetime
    approved_by: str
    approved_at: datetime | None
    approval_note: str
    used_at: datetime | None


def _override_out(o: Override) -> dict[str, Any]:
    return {
        "id": o.pk,
        "cadre_id": o.cadre_id,
        "cadre_name": o.cadre.name,
        "decision": o.decision,
        "position_id": o.position_id,
        "position": str(o.position) if o.position else "",
        "reason": o.reason,
        "blocks": [
            {
                "reason": b.get("reason", ""),
                "source": b.get("source", ""),
                "until": b.get("until"),
                "overridable": bool(b.get("overridable")),
            }
            for b in (o.blocks or [])
        ],
        "status": o.status,
        "status_label": o.get_status_display(),
        "requested_by": str(o.requested_by),
        "requested_at": o.created_at,
        "approved_by": str(o.approved_by) if o.approved_by else "",
        "approved_at": o.approved_at,
        "approval_note": o.approval_note,
        "used_at": o.used_at,
    }


class OverrideIn(Schema):
    cadre_id: int
    reason: str = Field(..., max_length=5_000)
    position_id: int | None = None
    decision: str = Decision.PROMOTION.value
    on: date | None = None


class ApproveIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)


def _overrides(request: HttpRequest) -> Any:
    return Override.objects.visible_to(request.user).select_related(
        "cadre", "position__org_unit", "requested_by"
    )


@router.get(
    "/overrides",
    response=list[OverrideOut],
    summary="破格使用情况（报表；?status=pending|approved|rejected|used）",
)
@paginate(LimitOffsetPagination)
def list_overrides(request: HttpRequest, status: str = "") -> Any:
    _reader(request)
    qs = _overrides(request)
    if status:
        qs = qs.filter(status=status)
    return Mapped(qs, _override_out)


@router.get("/overrides/{item_id}", response=OverrideOut, summary="破格申请")
def get_override(request: HttpRequest, item_id: int) -> Any:
    _reader(request)
    item = get_object_for_user(_overrides(request), request.user, item_id, request=request)
    record_view(user=request.user, obj=item, request=request)
    return _override_out(item)


@router.post(
    "/overrides",
    response={201: OverrideOut},
    summary="申请破格（选拔任用条例 第八条，只限提拔的资格条件；须书面理由）",
)
def create_override(request: HttpRequest, payload: OverrideIn) -> Any:
    _writer(request)
    cadre = get_object_for_user(
        Cadre.objects, request.user, payload.cadre_id, write=True, request=request
    )
    post = None
    if payload.position_id is not None:
        post = get_object_for_user(
            Position.objects, request.user, payload.position_id, write=True, request=request
        )
    item = services.request_override(
        by=acting_user(request),
        cadre=cadre,
        decision=payload.decision,
        on=payload.on or timezone.localdate(),
        reason=payload.reason,
        position=post,
    )
    return Status(201, _override_out(item))


@router.post(
    "/overrides/{item_id}/approve",
    response=OverrideOut,
    summary="审批破格申请（申请人以外的另一人；不批准须填写意见）",
)
def approve_override(request: HttpRequest, item_id: int, payload: ApproveIn) -> Any:
    _writer(request)
    item = get_object_for_user(Override.objects, request.user, item_id, write=True, request=request)
    done = services.approve_override(
        by=acting_user(request), override=item, approve=payload.approve, note=payload.note
    )
    return _override_out(_overrides(request).get(pk=done.pk))


class ReasonOut(Schema):
    reason: str
    source: str
    fact: str
    fact_label: str
    until: date | None
    ends: str
    decisions: list[str]


class ChangeOut(Schema):
    cadre_id: int
    name: str
    unit: str
    title: str
    kind: str
    kind_label: str
    changed_on: date | None
    reasons: list[ReasonOut]


def _change_out(c: consequences.Change) -> dict[str, Any]:
    return {
        "cadre_id": c.cadre_id,
        "name": c.name,
        "unit": c.unit,
        "title": c.title,
        "kind": c.kind,
        "kind_label": c.kind_label,
        "changed_on": c.changed_on,
        "reasons": [
            {
                "reason": r.reason,
                "source": r.source,
                "fact": r.fact,
                "fact_label": r.fact_label,
                "until": r.until,
                "ends": r.ends,
                "decisions": list(r.decisions),
            }
            for r in c.reasons
        ],
    }


@router.get(
    "/consequences",
    response=list[ChangeOut],
    summary="任用资格变化清单：期间内可提拔、受限、影响期30日内届满的干部（?unit=&start=&end=&kind=）",
)
@paginate(LimitOffsetPagination)
def list_consequences(
    request: HttpRequest,
    unit: int | None = None,
    start: str | None = None,
    end: str | None = None,
    kind: str = "",
) -> Any:
    _reader(request)
    chosen = None
    if unit is not None:
        chosen = get_object_for_user(OrgUnit.objects, request.user, unit, request=request)
    period = consequences.parse_period(start, end, timezone.localdate())
    found = consequences.changes(consequences.cadres_of(request.user, chosen, period), period)
    if kind:
        found = [c for c in found if c.kind == kind]
    return Mapped(found, _change_out)
