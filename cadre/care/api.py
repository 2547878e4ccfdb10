"""REST endpoints for talks, care and incentives (same scope and services as the UI)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from cadre.accounts.access import acting_user, get_object_for_user, require_role, require_staff
from cadre.audit.services import record_view
from cadre.cadres.models import Cadre, LeadershipTeam
from cadre.care import rules, services
from cadre.care.models import (
    Difficulty,
    DifficultySource,
    ExchangeMeeting,
    Exemplar,
    HeartTalk,
    HonourKind,
    PeerComment,
    Presentation,
    Visit,
)
from cadre.care.views.common import CARE_ROLES, care_cadre, care_unit
from cadre.core.paging import Mapped
from cadre.development.selectors import cadres_under, today
from cadre.orgs.models import OrgUnit

router = Router(tags=["care"])


class TalkIn(Schema):
    talker_id: int
    talkee_id: int
    held_on: date
    kind: str
    summary: str = Field(..., min_length=1, max_length=10000)
    issues_raised: str = Field("", max_length=5000)
    follow_up: str = Field("", max_length=5000)
    trigger: str = Field("", max_length=100)


class TalkOut(Schema):
    id: int
    talker_id: int
    talkee_id: int
    held_on: date
    kind: str
    trigger: str
    follow_up_done_on: date | None


class SummaryOut(Schema):
    id: int
    summary: str
    issues_raised: str
    follow_up: str


class DoneIn(Schema):
    done_on: date
    note: str = Field("", max_length=500)


class CoverageOut(Schema):
    unit_id: int
    unit: str
    total: int
    talked: int
    share: Decimal


class PairOut(Schema):
    a: int
    b: int
    a_name: str
    b_name: str
    label: str


class DueOut(Schema):
    cadre_id: int
    event: str
    event_on: date
    due_on: date
    overdue: bool


class OversightIn(Schema):
    leader_id: int
    unit_id: int
    started_on: date


class VisitIn(Schema):
    cadre_id: int
    visited_on: date
    occasion: str
    visitors: str = Field(..., max_length=200)
    notes: str = Field("", max_length=5000)


class VisitOut(Schema):
    id: int
    cadre_id: int
    visited_on: date
    occasion: str
    visitors: str


class DifficultyIn(Schema):
    cadre_id: int
    source: str
    category: str = Field(..., max_length=30)
    description: str = Field(..., min_length=1, max_length=5000)
    talk_id: int | None = None


class DifficultyOut(Schema):
    id: int
    cadre_id: int
    reported_on: date
    source: str
    category: str
    status: str
    assignee: str
    due_on: date | None
    resolved_on: date | None
    resolution: str
    version: int


class DifficultyMoveIn(Schema):
    status: str
    version: int
    assignee: str = Field("", max_length=100)
    due_on: date | None = None
    resolution: str = Field("", max_length=5000)


class HonourKindIn(Schema):
    name: str = Field(..., max_length=50)
    level: str = Field("", max_length=20)


class HonourKindOut(Schema):
    id: int
    name: str
    level: str
    is_active: bool


class ExemplarIn(Schema):
    cadre_id: int
    kind_id: int
    year: int = Field(..., ge=2000, le=2100)
    awarded_on: date
    citation: str = Field(..., min_length=1, max_length=10000)
    publicity: str = Field("", max_length=5000)
    notice_ref: str = Field("", max_length=100)


class ExemplarOut(Schema):
    id: int
    cadre_id: int
    kind_id: int
    year: int
    awarded_on: date
    citation: str
    publicity: str
    notice_ref: str


class BlockOut(Schema):
    reason: str
    source: str
    until: date | None


class RankOut(Schema):
    cadre_id: int
    name: str
    unit_id: int
    unit: str
    rank: str
    next_rank: str | None
    required_years: float
    eligible_on: date | None
    eligible: bool
    reasons: list[str]
    blocks: list[BlockOut]


class PromoteIn(Schema):
    cadre_id: int
    to_rank: str
    effective_on: date
    basis: str = Field(..., min_length=1, max_length=200)


class PromotionOut(Schema):
    id: int
    cadre_id: int
    from_rank: str
    to_rank: str
    effective_on: date


class MeetingIn(Schema):
    title: str = Field(..., max_length=100)
    kind: str
    held_on: date
    place: str = Field(..., max_length=100)
    theme: str = Field("", max_length=200)
    org_unit: int


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    held_on: date
    place: str
    theme: str
    org_unit_id: int


class PresentationIn(Schema):
    unit_id: int
    materials: str = Field(..., min_length=1, max_length=10000)
    results: str = Field("", max_length=10000)


class CommentIn(Schema):
    commenter_unit_id: int
    comment: str = Field(..., min_length=1, max_length=5000)
    score: Decimal = Field(..., ge=0, le=100)


class CommentOut(Schema):
    id: int
    commenter_unit_id: int
    comment: str
    score: Decimal


class PresentationOut(Schema):
    id: int
    unit_id: int
    materials: str
    results: str
    comments: list[CommentOut]
    scores: int
    mean_score: Decimal | None


class MeetingDetailOut(MeetingOut):
    presentations: list[PresentationOut]


# --- talks -------------------------------------------------------------------------------------


@router.get("/talks", response=list[TalkOut])
@paginate(LimitOffsetPagination)
def list_talks(request: HttpRequest, year: int, unit: int | None = None) -> Any:
    qs = HeartTalk.objects.visible_to(request.user).filter(held_on__year=year)
    if unit:
        u = get_object_for_user(OrgUnit.objects, request.user, unit, request=request)
        qs = qs.filter(talkee__org_unit__path__startswith=u.path)
    return qs


@router.post("/talks", response={201: TalkOut})
def create_talk(request: HttpRequest, data: TalkIn) -> Any:
    require_role(request.user, *CARE_ROLES)
    talkee = care_cadre(request, data.talkee_id)
    talker = get_object_for_user(Cadre.objects, request.user, data.talker_id, request=request)
    fields = data.dict(exclude={"talker_id", "talkee_id"})
    return Status(
        201,
        services.record_talk(
            by=acting_user(request), talker=talker, talkee=talkee, today=today(), **fields
        ),
    )


@router.get("/talks/{talk_id}", response=TalkOut)
def get_talk(request: HttpRequest, talk_id: int) -> Any:
    talk = get_object_for_user(HeartTalk.objects, request.user, talk_id, request=request)
    record_view(user=request.user, obj=talk, request=request)
    return talk


@router.get("/talks/{talk_id}/summary", response=SummaryOut)
def get_talk_summary(request: HttpRequest, talk_id: int) -> Any:
    """403 with the rule for anyone not allowed to read the summary (audited)."""
    talk = get_object_for_user(
        HeartTalk.objects.select_related("talkee__org_unit"), request.user, talk_id, request=request
    )
    summary = services.read_summary(user=request.user, talk=talk, request=request)
    return {
        "id": talk.pk,
        "summary": summary,
        "issues_raised": talk.issues_raised,
        "follow_up": talk.follow_up,
    }


@router.post("/talks/{talk_id}/follow-up-done", response=TalkOut)
def talk_done(request: HttpRequest, talk_id: int, data: DoneIn) -> Any:
    talk = get_object_for_user(
        HeartTalk.objects, request.user, talk_id, write=True, request=request
    )
    return services.complete_talk_follow_up(by=acting_user(request), talk=talk, **data.dict())


@router.get("/coverage", response=list[CoverageOut])
@paginate(LimitOffsetPagination)
def coverage(request: HttpRequest, year: int, unit: int | None = None) -> Any:
    require_staff(request.user)
    under = (
        get_object_for_user(OrgUnit.objects, request.user, unit, request=request) if unit else None
    )
    return services.coverage_by_unit(cadres_under(request, unit), year, under)


@router.get("/must-talk", response=list[PairOut])
@paginate(LimitOffsetPagination)
def must_talk(request: HttpRequest, year: int, unit: int | None = None) -> Any:
    require_staff(request.user)
    teams = LeadershipTeam.objects.visible_to(request.user)
    if unit:
        u = get_object_for_user(OrgUnit.objects, request.user, unit, request=request)
        teams = teams.filter(org_unit__path__startswith=u.path)
    return services.missing_must_talks(
        OrgUnit.objects.visible_to(request.user).filter(team__in=teams), year
    )


@router.get("/talks-due", response=list[DueOut])
@paginate(LimitOffsetPagination)
def talks_due(request: HttpRequest, unit: int | None = None) -> Any:
    require_staff(request.user)
    return [
        {
            "cadre_id": d.event.cadre_id,
            "event": d.event.label,
            "event_on": d.event.on,
            "due_on": d.due_on,
            "overdue": d.overdue,
        }
        for d in services.talks_due(cadres_under(request, unit), today())
    ]


@router.post("/oversight", response={201: dict})
def add_oversight(request: HttpRequest, data: OversightIn) -> Any:
    require_role(request.user, "org_admin")
    leader = get_object_for_user(Cadre.objects, request.user, data.leader_id, request=request)
    unit = get_object_for_user(
        OrgUnit.objects, request.user, data.unit_id, write=True, request=request
    )
    row = services.assign_oversight(
        by=acting_user(request), leader=leader, unit=unit, started_on=data.started_on
    )
    return Status(201, {"id": row.pk})


# --- visits and difficulties -------------------------------------------------------------------


@router.get("/visits", response=list[VisitOut])
@paginate(LimitOffsetPagination)
def list_visits(request: HttpRequest) -> Any:
    require_staff(request.user)
    return Visit.objects.visible_to(request.user)


@router.post("/visits", response={201: VisitOut})
def create_visit(request: HttpRequest, data: VisitIn) -> Any:
    require_role(request.user, *CARE_ROLES)
    cadre = care_cadre(request, data.cadre_id)
    return Status(
        201,
        services.record_visit(
            by=acting_user(request), cadre=cadre, today=today(), **data.dict(exclude={"cadre_id"})
        ),
    )


@router.get("/difficulties", response=list[DifficultyOut])
@paginate(LimitOffsetPagination)
def list_difficulties(request: HttpRequest, status: str = "") -> Any:
    qs = Difficulty.objects.visible_to(request.user)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.post("/difficulties", response={201: DifficultyOut})
def create_difficulty(request: HttpRequest, data: DifficultyIn) -> Any:
    if data.source == DifficultySource.SELF:
        cadre = get_object_for_user(Cadre.objects, request.user, data.cadre_id, request=request)
    else:
        require_role(request.user, *CARE_ROLES)
        cadre = care_cadre(request, data.cadre_id)
    talk = (
        get_object_for_user(HeartTalk.objects, request.user, data.talk_id, request=request)
        if data.talk_id
        else None
    )
    return Status(
        201,
        services.report_difficulty(
            by=acting_user(request),
            cadre=cadre,
            on=today(),
            talk=talk,
            source=data.source,
            category=data.category,
            description=data.description,
        ),
    )


@router.post("/difficulties/{difficulty_id}/status", response=DifficultyOut)
def move_difficulty(request: HttpRequest, difficulty_id: int, data: DifficultyMoveIn) -> Any:
    item = get_object_for_user(
        Difficulty.objects, request.user, difficulty_id, write=True, request=request
    )
    return services.move_difficulty(
        by=acting_user(request), difficulty=item, on=today(), **data.dict()
    )


# --- incentives -------------------------------------------------------------------------------


@router.get("/honour-kinds", response=list[HonourKindOut])
@paginate(LimitOffsetPagination)
def list_honour_kinds(request: HttpRequest) -> Any:
    return HonourKind.objects.visible_to(request.user)


@router.post("/honour-kinds", response={201: HonourKindOut})
def create_honour_kind(request: HttpRequest, data: HonourKindIn) -> Any:
    require_role(request.user, "org_admin")
    return Status(201, services.create_honour_kind(by=acting_user(request), **data.dict()))


@router.get("/exemplars", response=list[ExemplarOut])
@paginate(LimitOffsetPagination)
def list_exemplars(request: HttpRequest, year: int | None = None) -> Any:
    qs = Exemplar.objects.visible_to(request.user)
    if year:
        qs = qs.filter(year=year)
    return qs


@router.post("/exemplars", response={201: ExemplarOut})
def create_exemplar(request: HttpRequest, data: ExemplarIn) -> Any:
    cadre = get_object_for_user(
        Cadre.objects, request.user, data.cadre_id, write=True, request=request
    )
    kind = HonourKind.objects.visible_to(request.user).filter(pk=data.kind_id).first()
    if kind is None:
        raise HttpError(404, "未找到该记录")
    return Status(
        201,
        services.award_exemplar(
            by=acting_user(request),
            cadre=cadre,
            kind=kind,
            **data.dict(exclude={"cadre_id", "kind_id"}),
        ),
    )


def _rank_out(row: services.RankRow) -> dict[str, Any]:
    r = row.result
    return {
        "cadre_id": row.cadre_id,
        "name": row.name,
        "unit_id": row.unit_id,
        "unit": row.unit,
        "rank": row.rank,
        "next_rank": r.next_rank,
        "required_years": r.required_years,
        "eligible_on": r.eligible_on,
        "eligible": r.eligible,
        "reasons": r.reasons,
        "blocks": [{"reason": b.reason, "source": b.source, "until": b.until} for b in r.blocks],
    }


@router.get("/rank-eligibility", response=list[RankOut])
@paginate(LimitOffsetPagination)
def rank_eligibility(
    request: HttpRequest, unit: int | None = None, on: date | None = None, only: str = "eligible"
) -> Any:
    require_role(request.user, *CARE_ROLES)
    rows = services.rank_eligibility_for(
        cadres_under(request, unit).exclude(rank=""), on or today()
    )
    if only == "eligible":
        rows = [r for r in rows if r.result.eligible]
    return Mapped(rows, _rank_out)


@router.get("/cadres/{cadre_id}/rank-eligibility", response=RankOut)
def cadre_rank_eligibility(request: HttpRequest, cadre_id: int, on: date | None = None) -> Any:
    cadre = get_object_for_user(Cadre.objects, request.user, cadre_id, request=request)
    [row] = services.rank_eligibility_for(
        Cadre.objects.visible_to(request.user).filter(pk=cadre.pk), on or today()
    )
    return _rank_out(row)


@router.post("/rank-promotions", response={201: PromotionOut})
def promote(request: HttpRequest, data: PromoteIn) -> Any:
    cadre = get_object_for_user(
        Cadre.objects, request.user, data.cadre_id, write=True, request=request
    )
    return Status(
        201,
        services.promote_rank(
            by=acting_user(request),
            cadre=cadre,
            to_rank=data.to_rank,
            effective_on=data.effective_on,
            basis=data.basis,
        ),
    )


@router.get("/meetings", response=list[MeetingOut])
@paginate(LimitOffsetPagination)
def list_meetings(request: HttpRequest) -> Any:
    require_staff(request.user)
    return ExchangeMeeting.objects.visible_to(request.user)


@router.post("/meetings", response={201: MeetingOut})
def create_meeting(request: HttpRequest, data: MeetingIn) -> Any:
    require_role(request.user, "org_admin")
    unit = get_object_for_user(
        OrgUnit.objects, request.user, data.org_unit, write=True, request=request
    )
    return Status(
        201,
        services.create_meeting(
            by=acting_user(request), org_unit=unit, **data.dict(exclude={"org_unit"})
        ),
    )


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut)
def get_meeting(request: HttpRequest, meeting_id: int) -> Any:
    meeting = get_object_for_user(
        ExchangeMeeting.objects, request.user, meeting_id, request=request
    )
    comments = list(
        PeerComment.objects.visible_to(request.user).filter(presentation__meeting=meeting)
    )
    scores = rules.presentation_scores((c.presentation_id, c.score) for c in comments)
    out = MeetingOut.model_validate(meeting).model_dump()
    out["presentations"] = [
        {
            "id": p.pk,
            "unit_id": p.unit_id,
            "materials": p.materials,
            "results": p.results,
            "comments": [c for c in comments if c.presentation_id == p.pk],
            "scores": scores.get(p.pk, (0, None))[0],
            "mean_score": scores.get(p.pk, (0, None))[1],
        }
        for p in Presentation.objects.visible_to(request.user).filter(meeting=meeting)
    ]
    return out


@router.post("/meetings/{meeting_id}/presentations", response={201: dict})
def add_presentation(request: HttpRequest, meeting_id: int, data: PresentationIn) -> Any:
    meeting = get_object_for_user(
        ExchangeMeeting.objects, request.user, meeting_id, write=True, request=request
    )
    unit = get_object_for_user(OrgUnit.objects, request.user, data.unit_id, request=request)
    row = services.add_presentation(
        by=acting_user(request),
        meeting=meeting,
        unit=unit,
        materials=data.materials,
        results=data.results,
    )
    return Status(201, {"id": row.pk})


@router.post("/presentations/{presentation_id}/comments", response={201: CommentOut})
def add_comment(request: HttpRequest, presentation_id: int, data: CommentIn) -> Any:
    require_role(request.user, *CARE_ROLES)
    presentation = get_object_for_user(
        Presentation.objects, request.user, presentation_id, request=request
    )
    unit = care_unit(request, data.commenter_unit_id)
    if presentation is None:
        raise HttpError(404, "未找到该记录")
    return Status(
        201,
        services.add_peer_comment(
            by=acting_user(request),
            presentation=presentation,
            commenter_unit=unit,
            comment=data.comment,
            score=data.score,
        ),
    )
