"""Rotation (轮岗交流): candidates, kinship records, plans, checks and set-based execution."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cadre.accounts.models import User
from cadre.audit.services import record_event
from cadre.cadres import decisions
from cadre.cadres.decisions import Decision
from cadre.cadres.models import Appointment, AppointmentHow, Cadre
from cadre.cadres.rules import Stint, distinct_work_fields, years_between, years_in_current_unit
from cadre.cadres.services import appointment_decisions
from cadre.core.errors import Refused
from cadre.core.rulebook import rule_value
from cadre.development import rules
from cadre.development.models import (
    PlanStatus,
    Relation,
    Relative,
    RotationMove,
    RotationPlan,
)
from cadre.development.services.base import DevelopmentError, require
from cadre.orgs.models import OrgUnit, Position

BATCH = 1000
AVOIDANCE = "avoidance"  # Block.fact of 任职回避 (checked here on the posts after the plan)

# --- kinship records -------------------------------------------------------------------------


@transaction.atomic
def add_relative(*, by: User, cadre: Cadre, relative: Cadre, relation: str) -> Relative:
    require(cadre.pk != relative.pk, "亲属关系的双方不能是同一人")
    require(relation in Relation.values, "亲属关系类型无效")
    exists = Relative.objects.filter(
        cadre__in=[cadre, relative], relative__in=[cadre, relative], ended_on__isnull=True
    ).exists()
    require(not exists, f"{cadre.name}与{relative.name}的亲属关系已登记")
    try:
        with transaction.atomic():
            row = Relative.objects.create(cadre=cadre, relative=relative, relation=relation)
    except IntegrityError as exc:
        raise DevelopmentError(f"{cadre.name}与{relative.name}的亲属关系已登记") from exc
    record_event(actor=by, action="create", obj=row, detail={"relation": relation})
    return row


# --- candidates ------------------------------------------------------------------------------


def thresholds() -> rules.RotationThresholds:
    return rules.RotationThresholds(
        float(rule_value(rules.YEARS_IN_POST.key)),
        float(rule_value(rules.YEARS_IN_POST_KEY.key)),
        float(rule_value(rules.YEARS_IN_UNIT.key)),
        float(rule_value(rules.SINGLE_TRACK_YEARS.key)),
    )


@dataclass(frozen=True)
class Candidate:
    cadre_id: int
    name: str
    unit_id: int
    unit: str
    title: str
    post_since: date
    years_in_post: float
    years_in_unit: float
    reasons: list[str]


def rotation_candidates(
    cadres: Any, on: date, limits: rules.RotationThresholds | None = None
) -> list[Candidate]:
    """Candidates in a scoped cadre queryset: two queries, then the pure rule per cadre."""
    limits = limits or thresholds()
    rows = list(
        cadres.filter(current_post_since__isnull=False).values_list(
            "id", "name", "org_unit_id", "org_unit__name", "current_title", "current_post_since"
        )
    )
    stints: dict[int, list[Stint]] = defaultdict(list)
    kinds: dict[int, set[str]] = defaultdict(set)
    key_post: dict[int, bool] = {}
    appts = Appointment.objects.filter(cadre__in=cadres, is_primary=True).values_list(
        "cadre_id",
        "position__org_unit_id",
        "position_id",
        "position__work_field",
        "started_on",
        "ended_on",
        "position__org_unit__kind",
        "position__org_unit__parent__kind",
        "position__is_key_post",
    )
    for cid, uid, pid, field, start, end, kind, parent_kind, key in appts.iterator(chunk_size=5000):
        stints[cid].append(Stint(uid, pid, field, start, end))
        # the kind of organ: an internal office counts as the kind of the organ it is in
        kinds[cid].add(parent_kind if kind == "internal" and parent_kind else kind)
        if end is None:
            key_post[cid] = key_post.get(cid, False) or key
    found = []
    for cid, name, uid, uname, title, since in rows:
        own = stints.get(cid, [])
        first = min((s.started_on for s in own), default=since)
        facts = rules.TenureFacts(
            years_in_post=years_between(since, on),
            years_in_unit=years_in_current_unit(own, on) if own else years_between(since, on),
            is_key_post=key_post.get(cid, False),
            career_years=years_between(first, on),
            distinct_fields=distinct_work_fields(own) if own else 0,
            distinct_unit_kinds=len(kinds.get(cid, ())),
        )
        reasons = rules.rotation_reasons(facts, limits)
        if reasons:
            found.append(
                Candidate(
                    cid,
                    name,
                    uid,
                    uname,
                    title,
                    since,
                    facts.years_in_post,
                    facts.years_in_unit,
                    reasons,
                )
            )
    return found


# --- plans and moves -------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *, by: User, year: int, title: str, org_unit: OrgUnit, effective_on: date
) -> RotationPlan:
    require(title.strip(), "请填写方案名称")
    require(effective_on.year == year, "交流生效日期应在方案年度之内")
    plan = RotationPlan.objects.create(
        year=year, title=title.strip(), org_unit=org_unit, effective_on=effective_on
    )
    record_event(actor=by, action="create", obj=plan)
    return plan


def _lock_plan(plan: RotationPlan, version: int | None = None) -> RotationPlan:
    locked = RotationPlan.objects.select_for_update().select_related("org_unit").get(pk=plan.pk)
    if version is not None and locked.version != version:
        raise DevelopmentError("该方案已被他人修改，请刷新后重试")
    return locked


@transaction.atomic
def add_moves(
    *, by: User, plan: RotationPlan, moves: list[tuple[Cadre, Position, str]]
) -> list[RotationMove]:
    """Adds candidates with their destinations to a draft plan; all or none."""
    locked = _lock_plan(plan)
    require(locked.status == PlanStatus.DRAFT, "只有草拟状态的方案可以调整人选")
    require(moves, "请至少选择一名交流人选")
    ids = [c.pk for c, _, _ in moves]
    require(len(set(ids)) == len(ids), "同一干部在方案中只能出现一次")
    taken = set(
        RotationMove.objects.filter(plan=locked, withdrawn=False, cadre_id__in=ids).values_list(
            "cadre__name", flat=True
        )
    )
    require(not taken, f"{'、'.join(sorted(taken))}已在本方案中")
    current = {
        a.cadre_id: a
        for a in Appointment.objects.filter(
            cadre_id__in=ids, ended_on__isnull=True, is_primary=True
        ).order_by("started_on")
    }
    rows = []
    for cadre, position, reason in moves:
        appt = current.get(cadre.pk)
        if appt is None:
            raise DevelopmentError(f"{cadre.name}没有现任职务，不能作为交流人选")
        require(appt.position_id != position.pk, f"{cadre.name}的拟任职位与现任职位相同")
        require(position.abolished_on is None, f"职位“{position.title}”已撤销")
        require(
            cadre.org_unit.path.startswith(locked.org_unit.path)
            and position.org_unit.path.startswith(locked.org_unit.path),
            f"{cadre.name}或其拟任职位不在方案范围（{locked.org_unit.name}）内",
        )
        require(
            appt.started_on < locked.effective_on,
            f"{cadre.name}的现任职务晚于交流生效日期，不能交流",
        )
        rows.append(
            RotationMove(
                plan=locked,
                cadre=cadre,
                from_appointment=appt,
                to_position=position,
                reason=reason[:200],
            )
        )
    created = RotationMove.objects.bulk_create(rows, batch_size=BATCH)
    _bump(locked)
    record_event(actor=by, action="add_moves", obj=locked, detail={"cadres": ids})
    return created


@transaction.atomic
def withdraw_move(*, by: User, move: RotationMove) -> RotationMove:
    plan = _lock_plan(move.plan)
    require(plan.status == PlanStatus.DRAFT, "只有草拟状态的方案可以调整人选")
    require(not move.withdrawn, "该人选已撤回")
    move.withdrawn = True
    move.save(update_fields=["withdrawn", "updated_at"])
    _bump(plan)
    record_event(actor=by, action="withdraw_move", obj=move)
    return move


def _bump(plan: RotationPlan, *fields: str) -> None:
    plan.version += 1
    plan.save(update_fields=["version", "updated_at", *fields])


def _transition(plan: RotationPlan, target: str) -> None:
    try:
        rules.check_transition(plan.status, target, dict(PlanStatus.choices))
    except Refused as exc:  # the pure rule's refusal, named as the app's
        raise DevelopmentError(str(exc)) from exc


# --- checks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitInfo:
    organ_id: int
    parent_id: int | None
    kind: str
    region: str


def _unit_info(unit_ids: Iterable[int]) -> dict[int, UnitInfo]:
    """Organ (nearest non-internal unit) and region (nearest code up the path) per unit."""
    paths = dict(OrgUnit.objects.filter(pk__in=set(unit_ids)).values_list("id", "path"))
    chain = {uid: [int(p) for p in path.strip("/").split("/") if p] for uid, path in paths.items()}
    every = {a for ids in chain.values() for a in ids}
    rows = {
        u: (k, r, p)
        for u, k, r, p in OrgUnit.objects.filter(pk__in=every).values_list(
            "id", "kind", "region_code", "parent_id"
        )
    }
    info = {}
    for uid, ancestors in chain.items():
        up = list(reversed(ancestors))
        organ = next((a for a in up if rows[a][0] != "internal"), uid)
        region = next((rows[a][1] for a in up if rows[a][1]), "")
        info[uid] = UnitInfo(organ, rows[uid][2], rows[uid][0], region)
    return info


def _active_moves(plan: RotationPlan) -> list[RotationMove]:
    return list(
        plan.moves.filter(withdrawn=False).select_related(
            "cadre", "from_appointment__position", "to_position__org_unit"
        )
    )


def check_plan(plan: RotationPlan, moves: list[RotationMove] | None = None) -> dict[int, list[str]]:
    """Every problem per move (empty lists = ready): current post unchanged, vacancy, the
    eligibility gate (influence periods, grades, open cases, qualifications on a promotion
    ...), kinship (第七十四条), region (第七十五条). Approval and execution both refuse on any."""
    moves = _active_moves(plan) if moves is None else moves
    problems: dict[int, list[str]] = {m.pk: [] for m in moves}
    if not moves:
        return problems
    on = plan.effective_on
    for m in moves:
        if m.from_appointment.ended_on is not None:
            problems[m.pk].append("原任职务已发生变化，请撤回后重新选择")
    _check_vacancies(moves, problems)
    _check_eligibility(moves, on, problems)
    _check_avoidance(moves, problems)
    return problems


def _check_vacancies(moves: list[RotationMove], problems: dict[int, list[str]]) -> None:
    to_ids = {m.to_position_id for m in moves}
    occupied = dict(
        Appointment.objects.filter(position_id__in=to_ids, ended_on__isnull=True)
        .values("position_id")
        .annotate(n=Count("id"))
        .values_list("position_id", "n")
    )
    headcount = dict(Position.objects.filter(pk__in=to_ids).values_list("id", "headcount"))
    leaving = Counter(m.from_appointment.position_id for m in moves)
    arriving = Counter(m.to_position_id for m in moves)
    found = rules.vacancy_problems(headcount, occupied, leaving, arriving)
    for m in moves:
        if m.to_position_id in found:
            problems[m.pk].append(found[m.to_position_id])


def _check_eligibility(moves: list[RotationMove], on: date, problems: dict[int, list[str]]) -> None:
    """Each move asks the eligibility gate (cadre.cadres.decisions, issue 11) for what it is —
    任职, 任领导职务 for a leading post, 提拔 above the current post — on the effective day
    against its target post: one set-based call per target post. 任职回避 is left to
    `_check_avoidance`, which sees the posts as they will be after the plan."""
    by_post: dict[int, list[RotationMove]] = defaultdict(list)
    for m in moves:
        by_post[m.to_position_id].append(m)
    labels = dict(Decision.choices)
    for position_id, group in by_post.items():
        answers = decisions.answers([m.cadre_id for m in group], on, position_id)
        for m in group:
            answer = answers.get(m.cadre_id)
            if answer is None:
                continue
            old, new = m.from_appointment.position, m.to_position
            wanted = appointment_decisions(
                old.is_leadership,
                old.leadership_level,
                new.is_leadership,
                new.leadership_level,
                secondment=False,
                key_post=False,
            )
            blocks = [b for b in answer.blocks_for(wanted) if b.fact != AVOIDANCE]
            if blocks:
                what = "、".join(str(labels.get(d, d)) for d in wanted)
                problems[m.pk].append(f"不符合{what}的条件：" + "；".join(b.text() for b in blocks))


def _check_avoidance(moves: list[RotationMove], problems: dict[int, list[str]]) -> None:
    movers = {m.cadre_id: m for m in moves}
    pairs = list(
        Relative.objects.filter(ended_on__isnull=True)
        .filter(cadre_id__in=list(movers))
        .values_list("cadre_id", "relative_id", "relation")
    )
    pairs += [
        (b, a, r)
        for a, b, r in Relative.objects.filter(ended_on__isnull=True)
        .filter(relative_id__in=list(movers))
        .values_list("cadre_id", "relative_id", "relation")
    ]
    others = {b for _, b, _ in pairs if b not in movers}
    staying = {
        a.cadre_id: (a.position.org_unit_id, a.position.is_leadership, a.position.work_field)
        for a in Appointment.objects.filter(
            cadre_id__in=others, ended_on__isnull=True, is_primary=True
        ).select_related("position")
    }
    after = {
        cid: (m.to_position.org_unit_id, m.to_position.is_leadership, m.to_position.work_field)
        for cid, m in movers.items()
    }
    after.update(staying)
    units = _unit_info({u for u, _, _ in after.values()})

    def facts(cid: int) -> rules.PostFacts:
        uid, leader, field = after[cid]
        return rules.PostFacts(units[uid].organ_id, uid, units[uid].parent_id, leader, field)

    names = dict(Cadre.objects.filter(pk__in={b for _, b, _ in pairs}).values_list("id", "name"))
    for a, b, relation in pairs:
        if b not in after:
            continue
        clash = rules.kinship_conflict(facts(a), facts(b), relation)
        if clash:
            problems[movers[a].pk].append(f"{clash}（亲属：{names.get(b, '')}）")
    for m in movers.values():
        unit = units[m.to_position.org_unit_id]
        clash = rules.regional_conflict(
            m.cadre.id_masked[:6], unit.region, unit.kind, m.to_position.leadership_level
        )
        if clash:
            problems[m.pk].append(clash)


def _refuse_if_problems(problems: dict[int, list[str]], moves: list[RotationMove]) -> None:
    bad = [(m, problems[m.pk]) for m in moves if problems[m.pk]]
    if bad:
        listing = "；".join(f"{m.cadre.name}：{'、'.join(p)}" for m, p in bad[:20])
        more = f"等共{len(bad)}人" if len(bad) > 20 else ""
        raise DevelopmentError(f"方案未通过执行前检查，{listing}{more}")


# --- approval and execution ------------------------------------------------------------------


@transaction.atomic
def approve_plan(*, by: User, plan: RotationPlan, version: int) -> RotationPlan:
    locked = _lock_plan(plan, version)
    _transition(locked, PlanStatus.APPROVED)
    moves = _active_moves(locked)
    require(moves, "方案中没有交流人选")
    _refuse_if_problems(check_plan(locked, moves), moves)
    locked.status, locked.approved_by, locked.approved_at = (
        PlanStatus.APPROVED,
        by,
        timezone.now(),
    )
    _bump(locked, "status", "approved_by", "approved_at")
    record_event(actor=by, action="approve", obj=locked, detail={"moves": len(moves)})
    return locked


@transaction.atomic
def set_plan_status(*, by: User, plan: RotationPlan, status: str, version: int) -> RotationPlan:
    """Back to draft or cancelled (execution has its own service)."""
    require(status in (PlanStatus.DRAFT, PlanStatus.CANCELLED), "状态无效")
    locked = _lock_plan(plan, version)
    _transition(locked, status)
    locked.status = status
    _bump(locked, "status")
    record_event(actor=by, action=f"plan_{status}", obj=locked)
    return locked


@transaction.atomic
def execute_plan(*, by: User, plan: RotationPlan, version: int) -> RotationPlan:
    """Ends every moving cadre's current post and starts the new one on the effective date,
    in ONE transaction: any problem refuses the whole plan and nothing is written."""
    locked = _lock_plan(plan, version)
    _transition(locked, PlanStatus.EXECUTED)
    moves = _active_moves(locked)
    ids = [m.cadre_id for m in moves]
    cadres = {c.pk: c for c in Cadre.objects.select_for_update().filter(pk__in=ids)}
    olds = list(
        Appointment.objects.select_for_update().filter(
            cadre_id__in=ids, ended_on__isnull=True, is_primary=True
        )
    )
    moves = _active_moves(locked)  # re-read under the locks
    _refuse_if_problems(check_plan(locked, moves), moves)
    on, now = locked.effective_on, timezone.now()
    late = sorted({cadres[o.cadre_id].name for o in olds if o.started_on >= on})
    require(not late, f"{'、'.join(late)}的现任职务任职时间不早于交流生效日期")
    reason = f"轮岗交流：{locked.title}"
    for old in olds:
        old.ended_on, old.updated_at = on, now
    Appointment.objects.filter(pk__in=[o.pk for o in olds]).update(ended_on=on, updated_at=now)
    Appointment.history.bulk_history_create(
        olds, update=True, batch_size=BATCH, default_user=by, default_change_reason=reason
    )
    news = [
        Appointment(
            cadre_id=m.cadre_id,
            position_id=m.to_position_id,
            started_on=on,
            how=AppointmentHow.ROTATION,
            home_unit_id=m.to_position.org_unit_id,
            is_primary=True,
            note=reason[:200],
        )
        for m in moves
    ]
    bulk_create_with_history(
        news, Appointment, batch_size=BATCH, default_user=by, default_change_reason=reason
    )
    _refresh_cadres(cadres, moves, on, now, by, reason)
    current = Appointment.objects.filter(
        cadre_id=OuterRef("cadre_id"), ended_on__isnull=True, is_primary=True, started_on=on
    )
    RotationMove.objects.filter(pk__in=[m.pk for m in moves]).update(
        new_appointment_id=Subquery(current.values("pk")[:1]), updated_at=now
    )
    locked.status, locked.executed_at = PlanStatus.EXECUTED, now
    _bump(locked, "status", "executed_at")
    record_event(
        actor=by,
        action="execute",
        obj=locked,
        detail={"moves": len(moves), "cadres": ids, "effective_on": on.isoformat()},
    )
    return locked


def _refresh_cadres(
    cadres: dict[int, Cadre], moves: list[RotationMove], on: date, now: Any, by: User, reason: str
) -> None:
    """The denormalised current-post columns, as cadres.services.refresh_current_post sets
    them, recomputed for every moving cadre in ONE statement from their new appointments."""
    new = Appointment.objects.filter(
        cadre_id=OuterRef("pk"), ended_on__isnull=True, is_primary=True
    ).order_by("-started_on")
    Cadre.objects.filter(pk__in=list(cadres)).update(
        org_unit_id=Subquery(new.values("position__org_unit_id")[:1]),
        current_title=Subquery(new.values("position__title")[:1]),
        is_leader=Subquery(new.values("position__is_leadership")[:1]),
        leadership_level=Subquery(new.values("position__leadership_level")[:1]),
        current_post_since=on,
        version=F("version") + 1,
        updated_at=now,
    )
    for m in moves:  # the same values in memory, for the history rows
        c, pos = cadres[m.cadre_id], m.to_position
        c.org_unit_id, c.current_title, c.current_post_since = pos.org_unit_id, pos.title, on
        c.is_leader, c.leadership_level = pos.is_leadership, pos.leadership_level
        c.version += 1
    Cadre.history.bulk_history_create(
        list(cadres.values()),
        update=True,
        batch_size=BATCH,
        default_user=by,
        default_change_reason=reason,
    )
