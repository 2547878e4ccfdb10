"""/api/v1/assessments/: cycles, evidence, proposals, decisions (same scope as the pages), and
the token-based ballot and survey endpoints (no login: the one-time token is the credential;
nothing about the client is stored)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from cadre.accounts.access import require_role
from cadre.assessments import access, rules
from cadre.assessments.models import Cycle, Participant, SurveyUnit, UnitResult
from cadre.assessments.services import cycles as cycle_services
from cadre.assessments.services import decisions as decision_services
from cadre.assessments.services import evaluation as evaluation_services
from cadre.assessments.services import proposals as proposal_services
from cadre.assessments.services import survey as survey_services
from cadre.assessments.services import units as unit_services
from cadre.assessments.services.compile import compile_evidence, live_many
from cadre.audit.services import record_view
from cadre.core.paging import Mapped

router = Router(tags=["assessments"])


class CycleOut(Schema):
    id: int
    year: int
    kind: str
    title: str
    scope_unit_id: int
    phase: str
    quota_pool: str
    version: int
    evidence_compiled_at: datetime | None


class AdvanceIn(Schema):
    target: str = Field(..., max_length=20)
    version: int | None = None


class ParticipantOut(Schema):
    id: int
    cycle_id: int
    cadre_id: int
    org_unit_id: int
    title: str
    is_leader: bool
    stage: str
    proposed_grade: str
    ungraded_reason: str
    evaluation_text: str
    justice_note: str
    version: int


class EvidenceOut(Schema):
    participant_id: int
    compiled_at: datetime | None
    items: list[dict[str, Any]]
    excellent_blocks: list[dict[str, Any]]
    ungraded: str | None
    eligibility: dict[str, Any] | None  # the one answer on the decision day (year's end)


class ProposalIn(Schema):
    grade: str | None = Field(None, max_length=20)
    evaluation_text: str = Field("", max_length=5000)
    justice_note: str = Field("", max_length=5000)
    version: int | None = None


class DecisionIn(Schema):
    grade: str | None = Field(None, max_length=20)
    version: int
    note: str = Field("", max_length=2000)
    decided_on: date | None = None


class DecisionOut(Schema):
    id: int
    participant_id: int
    grade: str
    final_grade: str
    ungraded_reason: str
    decided_on: date
    notified_on: date | None
    consequences: list[dict[str, Any]]


class BallotIn(Schema):
    token: str = Field(..., max_length=40)
    choices: dict[int, str] = Field(..., max_length=500)
    team_choice: str | None = Field(None, max_length=20)


class SurveyAnswerIn(Schema):
    survey_unit_id: int
    attitude_efficiency: int
    fairness_integrity: int
    effectiveness_impact: int
    comment: str = Field("", max_length=1000)


class SurveyIn(Schema):
    token: str = Field(..., max_length=40)
    answers: list[SurveyAnswerIn] = Field(..., max_length=500)


class Accepted(Schema):
    accepted: int


@router.get("/cycles", response=list[CycleOut], summary="考核周期列表")
@paginate(LimitOffsetPagination)
def list_cycles(request: HttpRequest, year: int | None = None) -> Any:
    qs = Cycle.objects.visible_to(request.user)
    return qs.filter(year=year) if year else qs


@router.get("/cycles/{cycle_id}", response=CycleOut, summary="考核周期详情")
def get_cycle(request: HttpRequest, cycle_id: int) -> Any:
    cycle = access.get_cycle(request.user, cycle_id, request=request)
    record_view(user=request.user, obj=cycle, request=request)
    return cycle


@router.post("/cycles/{cycle_id}/advance", response=CycleOut, summary="进入下一阶段（不得跳过）")
def advance(request: HttpRequest, cycle_id: int, payload: AdvanceIn) -> Any:
    cycle = access.get_cycle(request.user, cycle_id, write=True, request=request)
    return cycle_services.advance(
        cycle=cycle, by=request.user, target=payload.target, version=payload.version
    )


@router.post("/cycles/{cycle_id}/evidence", response=Accepted, summary="汇集全周期实绩证据")
def compile_cycle(request: HttpRequest, cycle_id: int) -> Any:
    cycle = access.get_cycle(request.user, cycle_id, write=True, request=request)
    return {"accepted": compile_evidence(cycle=cycle, by=request.user)}


@router.get(
    "/cycles/{cycle_id}/participants", response=list[ParticipantOut], summary="考核对象及进度"
)
@paginate(LimitOffsetPagination)
def list_participants(
    request: HttpRequest, cycle_id: int, unit_id: int | None = None, stage: str = ""
) -> Any:
    cycle = access.get_cycle(request.user, cycle_id, request=request)
    qs = Participant.objects.visible_to(request.user).filter(cycle=cycle)
    if unit_id:
        qs = qs.filter(org_unit_id=unit_id)
    if stage:
        qs = qs.filter(stage=stage)
    return qs


@router.get(
    "/participants/{participant_id}/evidence",
    response=EvidenceOut,
    summary="实绩证据（证据面板，不含排序；问责措施、不定等次与评优资格为实时情况）",
)
def evidence(request: HttpRequest, participant_id: int) -> Any:
    """The compiled panel with its accountability part, the ungraded reason and the reasons
    against 优秀 read live, as on the proposal pages (services.compile.live_many)."""
    p = access.get_participant(request.user, participant_id, request=request)
    record_view(user=request.user, obj=p, request=request)
    live = live_many(p.cycle, [p])[p.pk]
    return {
        "participant_id": p.pk,
        "compiled_at": p.evidence_compiled_at,
        "items": live.items,
        "excellent_blocks": [{"rule": b.rule, "source": b.source} for b in live.blocks],
        "ungraded": live.ungraded,
        "eligibility": live.answer,
    }


@router.post(
    "/participants/{participant_id}/proposal",
    response=ParticipantOut,
    summary="提出等次建议（综合评价意见必填）",
)
def propose(request: HttpRequest, participant_id: int, payload: ProposalIn) -> Any:
    p = access.get_participant(request.user, participant_id, write=True, request=request)
    return proposal_services.propose(
        participant=p,
        by=request.user,
        data=proposal_services.ProposalInput(
            payload.grade or None, payload.evaluation_text, payload.justice_note, payload.version
        ),
    )


@router.post(
    "/participants/{participant_id}/decision", response={201: DecisionOut}, summary="确定考核等次"
)
def decide(request: HttpRequest, participant_id: int, payload: DecisionIn) -> Any:
    require_role(request.user, "org_admin")
    p = access.get_participant(request.user, participant_id, write=True, request=request)
    d = decision_services.decide(
        participant=p,
        by=request.user,
        data=decision_services.DecisionInput(
            payload.grade or None, payload.version, payload.note, payload.decided_on
        ),
    )
    return 201, d


@router.post(
    "/ballots",
    response={201: Accepted},
    auth=None,
    summary="民主测评投票（一次性匿名凭证，无需登录）",
)
def cast_ballot(request: HttpRequest, payload: BallotIn) -> Any:
    n = evaluation_services.cast_ballot(
        token=payload.token, choices=payload.choices, team_choice=payload.team_choice
    )
    return 201, {"accepted": n}


@router.post(
    "/survey-responses",
    response={201: Accepted},
    auth=None,
    summary="满意度评议答卷（一次性评议链接凭证，无需登录）",
)
def submit_survey(request: HttpRequest, payload: SurveyIn) -> Any:
    answers = {}
    for a in payload.answers:
        if a.survey_unit_id in answers:
            raise HttpError(400, "同一单位只能评价一次")
        answers[a.survey_unit_id] = survey_services.Answer(
            {k: getattr(a, k) for k in rules.SURVEY_DIMENSIONS}, a.comment
        )
    n = survey_services.submit_answers(token=payload.token, answers=answers)
    return 201, {"accepted": n}


class UnitResultOut(Schema):
    unit: str
    responses: int
    score: str | None
    satisfaction_rate: str | None
    verdict: str
    tiers: list[dict[str, Any]]
    comments: int
    comments_closed: int


@router.get(
    "/surveys/{survey_id}/results",
    response=list[UnitResultOut],
    summary="满意度评议结果（按单位、分层面；少于k份的层面不单独显示）",
)
@paginate(LimitOffsetPagination)
def survey_results(request: HttpRequest, survey_id: int) -> list[Any]:
    s = access.get_survey(request.user, survey_id, request=request)
    visible = set(
        SurveyUnit.objects.visible_to(request.user).filter(survey=s).values_list("id", flat=True)
    )
    out = []
    for r in survey_services.results(s):
        if r.survey_unit_id not in visible:
            continue
        out.append(
            {
                "unit": r.name,
                "responses": r.result.responses,
                "score": str(r.result.score) if r.result.score is not None else None,
                "satisfaction_rate": str(r.result.satisfaction_rate)
                if r.result.satisfaction_rate is not None
                else None,
                "verdict": r.result.verdict_label,
                "tiers": [
                    {"tier": t.tier, "responses": t.responses, "score": str(t.score)}
                    for t in r.result.tiers
                ],
                "comments": r.comments,
                "comments_closed": r.comments_closed,
            }
        )
    return out


class UnitAssessmentOut(Schema):
    id: int
    org_unit_id: int
    unit: str
    year: int
    target_status: str
    target_score: str | None = Field(description="年末对账得分；null 表示缺失（不是零分）")
    target_outcomes: dict[str, int]
    survey_id: int | None
    satisfaction_verdict: str | None
    satisfaction_score: str | None = Field(description="满意度评议得分；null 表示缺失（不是零分）")
    satisfaction_rate: str | None
    score: str | None
    tier: str | None
    tier_label: str
    basis: str
    computed_at: datetime


@router.get(
    "/cycles/{cycle_id}/unit-results",
    response=list[UnitAssessmentOut],
    summary="单位（班子）考核结果（按单位排列，不排序）",
)
@paginate(LimitOffsetPagination)
def list_unit_results(request: HttpRequest, cycle_id: int) -> Any:
    cycle = access.get_cycle(request.user, cycle_id, request=request)
    qs = (
        UnitResult.objects.visible_to(request.user)
        .filter(year=cycle.year, org_unit__path__startswith=cycle.scope_unit.path)
        .select_related("org_unit")
        .order_by("org_unit__path")
    )
    return Mapped(qs, unit_services.as_dict)


@router.post(
    "/cycles/{cycle_id}/unit-results",
    response=Accepted,
    summary="计算单位（班子）考核结果（全周期各单位）",
)
def compute_unit_results(request: HttpRequest, cycle_id: int) -> Any:
    cycle = access.get_cycle(request.user, cycle_id, write=True, request=request)
    return {"accepted": unit_services.compute_unit_results(cycle=cycle, by=request.user)}
