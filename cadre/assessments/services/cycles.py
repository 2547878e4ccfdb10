"""Cycles: opening, the phase plan, moving from phase to phase, progress and personal facts."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from cadre.assessments import rules
from cadre.assessments.models import (
    Cycle,
    CycleKind,
    Decision,
    DisclosureComment,
    EvaluationSession,
    Participant,
    PhaseStep,
    QuotaApproval,
    QuotaPool,
    ReviewRequest,
    ReviewStatus,
)
from cadre.assessments.services.common import (
    AssessmentError,
    ConflictError,
    clean_text,
)
from cadre.audit.services import record_event
from cadre.cadres.models import Cadre, TeamMembership
from cadre.core.rulebook import rule_value
from cadre.orgs.models import OrgUnit

BATCH = 2000


@dataclass(frozen=True)
class CycleInput:
    year: int
    kind: str
    scope_unit: OrgUnit
    title: str = ""
    quota_pool: str = QuotaPool.UNIT
    disclose_summaries: bool = False
    term_start_year: int | None = None


def eligible_cadres(kind: str, scope_unit: OrgUnit, year: int) -> Any:
    """Who takes part: active cadres of the subtree, by kind of assessment."""
    cadres = Cadre.objects.active().filter(org_unit__path__startswith=scope_unit.path)
    if kind == CycleKind.CIVIL_SERVANTS:
        return cadres.filter(is_leader=False)
    if kind in (CycleKind.LEADERS, CycleKind.TERM):
        return cadres.filter(is_leader=True)
    heads = TeamMembership.objects.filter(role="head", ended_on__isnull=True)
    if kind == CycleKind.NEW_HEAD:  # 新任正职: the first year in post overlaps the year
        heads = heads.filter(
            started_on__gte=date(year - 1, 1, 1), started_on__lte=date(year, 12, 31)
        )
    return cadres.filter(pk__in=heads.values("cadre_id"))


def _check_input(data: CycleInput) -> None:
    today = timezone.localdate()
    if not 2000 <= data.year <= today.year:
        raise AssessmentError(f"考核年度须在2000年至{today.year}年之间")
    if data.kind not in CycleKind.values:
        raise AssessmentError("考核类别无效")
    if data.kind == CycleKind.TERM and not (
        data.term_start_year and 2000 <= data.term_start_year <= data.year
    ):
        raise AssessmentError("任期考核须填写任期起始年度（不晚于考核年度）")


@transaction.atomic
def open_cycle(*, by: Any, data: CycleInput) -> Cycle:
    _check_input(data)
    title = clean_text(data.title, "名称", max_len=100, required=False) or (
        f"{data.scope_unit.name}{data.year}年度{rules.CYCLE_KINDS[data.kind]}"
    )
    try:
        with transaction.atomic():
            cycle = Cycle.objects.create(
                year=data.year,
                kind=data.kind,
                title=title,
                scope_unit=data.scope_unit,
                quota_pool=data.quota_pool,
                disclose_summaries=data.disclose_summaries,
                term_start_year=data.term_start_year,
                created_by=by,
            )
    except IntegrityError as exc:
        raise AssessmentError(
            f"{data.scope_unit.name}{data.year}年度已有“{rules.CYCLE_KINDS[data.kind]}”考核周期"
        ) from exc
    PhaseStep.objects.bulk_create(
        [
            PhaseStep(
                cycle=cycle,
                phase=p,
                actor=rules.PHASE_ACTORS[p],
                entered_at=timezone.now() if p == rules.PREPARATION else None,
                entered_by=by if p == rules.PREPARATION else None,
            )
            for p in rules.PHASES
        ]
    )
    n = enrol(cycle, eligible_cadres(data.kind, data.scope_unit, data.year))
    record_event(actor=by, action="assessment_cycle_open", obj=cycle, detail={"participants": n})
    return cycle


def enrol(cycle: Cycle, cadres: Any) -> int:
    """Participants for every cadre given, set-based (bulk, batches)."""
    rows = cadres.exclude(pk__in=cycle.participants.values("cadre_id")).values_list(
        "id", "org_unit_id", "current_title", "is_leader"
    )
    pool = cycle.scope_unit_id if cycle.quota_pool == QuotaPool.CYCLE else None
    batch, total = [], 0
    for cadre_id, unit_id, title, leader in rows.iterator(chunk_size=BATCH):
        batch.append(
            Participant(
                cycle=cycle,
                cadre_id=cadre_id,
                org_unit_id=unit_id,
                quota_unit_id=pool or unit_id,
                title=title or "",
                is_leader=leader,
            )
        )
        if len(batch) >= BATCH:
            Participant.objects.bulk_create(batch)
            total, batch = total + len(batch), []
    Participant.objects.bulk_create(batch)
    return total + len(batch)


def _lock_cycle(cycle: Cycle, version: int | None) -> Cycle:
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if version is not None and locked.version != version:
        raise ConflictError("考核周期已被他人更新，请刷新页面后重试")
    return locked


def _bump(model: Any, obj: Any, fields: dict[str, Any]) -> None:
    """Conditional update on the version column: works on SQLite and PostgreSQL alike."""
    n = model.objects.filter(pk=obj.pk, version=obj.version).update(
        version=F("version") + 1, **fields
    )
    if n != 1:
        raise ConflictError("记录已被他人修改，请刷新页面后重试")
    for key, value in fields.items():
        setattr(obj, key, value)
    obj.version += 1


@transaction.atomic
def plan_phase(
    *, cycle: Cycle, by: Any, phase: str, start: date | None, end: date | None
) -> PhaseStep:
    step = PhaseStep.objects.select_for_update().get(cycle=cycle, phase=phase)
    if start and end and end < start:
        raise AssessmentError(f"“{rules.PHASE_LABELS[phase]}”的计划结束日期早于开始日期")
    step.planned_start, step.planned_end = start, end
    step.save(update_fields=["planned_start", "planned_end", "updated_at"])
    record_event(
        actor=by,
        action="assessment_phase_plan",
        obj=step,
        detail={"start": str(start or ""), "end": str(end or "")},
    )
    return step


# ---- progress and moving on -------------------------------------------------------------


def quota_problems(cycle: Cycle, field: str = "proposed_grade") -> list[str]:
    """Quota units over their 优秀 limit, by proposals (or by decisions)."""
    ratio = Decimal(str(rule_value(rules.EXCELLENT_QUOTA.key)))
    approvals = dict(QuotaApproval.objects.filter(cycle=cycle).values_list("org_unit_id", "ratio"))
    lookup = "decision__grade" if field == "decision" else "proposed_grade"
    rows = (
        cycle.participants.filter(**{lookup: rules.EXCELLENT})
        .values("quota_unit_id")
        .annotate(exc=Count("id"))
        .order_by()
    )
    candidates = {r["quota_unit_id"]: r["exc"] for r in rows}  # only units with any 优秀
    sizes = dict(
        cycle.participants.filter(quota_unit_id__in=list(candidates))
        .values_list("quota_unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    over = []
    for unit_id, exc in candidates.items():
        approved = approvals.get(unit_id)
        proposed = dict.fromkeys(range(exc), rules.EXCELLENT)
        v = rules.check_quota(
            proposed,
            sizes.get(unit_id, 0),
            ratio,
            raised=approved is not None,
            raised_ratio=approved,
        )
        if v is not None:
            over.append((unit_id, v.rule))
    names = dict(OrgUnit.objects.filter(pk__in=[u for u, _ in over]).values_list("id", "name"))
    return [f"{names.get(u, u)}：{text}" for u, text in sorted(over)]


def progress(cycle: Cycle) -> rules.CycleProgress:
    today, now = timezone.localdate(), timezone.now()
    counts = cycle.participants.aggregate(
        n=Count("id"),
        no_evidence=Count("id", filter=Q(evidence_compiled_at__isnull=True)),
        unproposed=Count("id", filter=Q(proposed_grade="", ungraded_reason="")),
        undecided=Count("id", filter=Q(decision__isnull=True)),
    )
    decisions = Decision.objects.filter(participant__cycle=cycle)
    disclosure = getattr(cycle, "disclosure", None) if _has_disclosure(cycle) else None
    return rules.CycleProgress(
        participants=counts["n"],
        sessions_open=EvaluationSession.objects.filter(
            cycle=cycle, closed_at__isnull=True, closes_at__gt=now
        ).count(),
        evidence_missing=counts["no_evidence"],
        unproposed=counts["unproposed"],
        quota_problems=tuple(quota_problems(cycle)),
        disclosure_open=disclosure is not None and today <= disclosure.closes_on,
        comments_unanswered=DisclosureComment.objects.filter(
            disclosure__cycle=cycle, responded_on__isnull=True
        ).count(),
        undecided=counts["undecided"],
        unnotified=decisions.filter(notified_on__isnull=True).count(),
        reviews_pending=ReviewRequest.objects.filter(
            decision__participant__cycle=cycle, status=ReviewStatus.PENDING
        ).count(),
        review_windows_open=decisions.filter(
            notified_on__gte=today - timedelta(days=rules.REVIEW_REQUEST_DAYS),
            review_waived=False,
            review__isnull=True,
        ).count(),
    )


def _has_disclosure(cycle: Cycle) -> bool:
    from cadre.assessments.models import Disclosure

    return Disclosure.objects.filter(cycle=cycle).exists()


@transaction.atomic
def advance(*, cycle: Cycle, by: Any, target: str, version: int | None = None) -> Cycle:
    """Moves to the next phase when its conditions hold; refuses a skip with the rule named."""
    locked = _lock_cycle(cycle, version)
    blockers = rules.transition_blockers(locked.phase, target, progress(locked))
    if blockers:
        raise AssessmentError(
            "；".join(b.rule for b in blockers),
            "；".join(dict.fromkeys(b.source for b in blockers)),
        )
    if target == rules.DISCLOSURE:
        from cadre.assessments.services.disclosure import open_disclosure

        open_disclosure(cycle=locked, by=by)
    _bump(Cycle, locked, {"phase": target})
    PhaseStep.objects.filter(cycle=locked, phase=target).update(
        entered_at=timezone.now(), entered_by=by
    )
    record_event(
        actor=by, action="assessment_phase", obj=locked, detail={"from": cycle.phase, "to": target}
    )
    cycle.phase, cycle.version = locked.phase, locked.version
    return locked


def require_phase(cycle: Cycle, *phases: str, doing: str) -> None:
    if cycle.phase not in phases:
        wanted = "或".join(f"“{rules.PHASE_LABELS[p]}”" for p in phases)
        raise AssessmentError(
            f"考核周期当前处于“{rules.PHASE_LABELS[cycle.phase]}”阶段，{doing}须在{wanted}阶段进行",
            "考核程序不得跳过或倒置（TRANSITIONS）",
        )


# ---- the cadre's own summary and the facts staff record ---------------------------------


@transaction.atomic
def submit_summary(*, participant: Participant, by: Any, text: str) -> Participant:
    if by.cadre_id != participant.cadre_id:
        raise AssessmentError("个人总结只能由干部本人提交", "公务员法 第三十七条")
    require_phase(participant.cycle, rules.SUMMARIES, doing="提交个人总结")
    summary = clean_text(text, "个人总结", max_len=20_000)
    _bump(
        Participant,
        participant,
        {
            "summary": summary,
            "summary_submitted_at": timezone.now(),
            "stage": rules.later_stage(participant.stage, "summary_submitted"),
        },
    )
    record_event(actor=by, action="assessment_summary", obj=participant)
    return participant


@transaction.atomic
def record_facts(
    *,
    participant: Participant,
    by: Any,
    under_investigation: bool,
    leave_days: int,
    protected_from_dismissal: bool,
    note: str,
    version: int,
) -> Participant:
    """Facts for the ungraded and dismissal rules that no other app records (DOMAIN.md 1.4-1.5)."""
    if participant.cycle.phase in (rules.DECISION, rules.REVIEW, rules.ARCHIVE):
        raise AssessmentError("等次确定后不能再修改考核情况记录", "考核程序")
    if not 0 <= leave_days <= 366:
        raise AssessmentError("病事假天数须在0至366之间")
    if participant.version != version:
        raise ConflictError("记录已被他人修改，请刷新页面后重试")
    old = {
        "under_investigation": participant.under_investigation,
        "leave_days": participant.leave_days,
    }
    _bump(
        Participant,
        participant,
        {
            "under_investigation": under_investigation,
            "leave_days": leave_days,
            "protected_from_dismissal": protected_from_dismissal,
            "facts_note": clean_text(note, "情况说明", max_len=200, required=False),
        },
    )
    record_event(
        actor=by,
        action="assessment_facts",
        obj=participant,
        detail={"old": old, "leave_days": leave_days, "under_investigation": under_investigation},
    )
    return participant
