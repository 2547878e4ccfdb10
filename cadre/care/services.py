"""The only writers of care records, and the set-based reads (coverage, due talks,
rank eligibility lists)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from cadre.accounts.access import is_superuser, own_cadre_id, roles_over
from cadre.accounts.models import User
from cadre.audit.services import record_event
from cadre.cadres import decisions
from cadre.cadres.decisions import Decision
from cadre.cadres.models import Appointment, Cadre, Rank, RankRecord, TeamMembership
from cadre.cadres.services import refresh_current_post
from cadre.care import rules
from cadre.care.models import (
    Difficulty,
    DifficultySource,
    DifficultyStatus,
    ExchangeMeeting,
    Exemplar,
    HeartTalk,
    HonourKind,
    MeetingKind,
    Oversight,
    PeerComment,
    Presentation,
    RankPromotion,
    TalkKind,
    Visit,
    VisitOccasion,
)
from cadre.core.errors import Refused
from cadre.core.rulebook import rule_value
from cadre.development import adapters
from cadre.development.services.base import roll_up
from cadre.orgs.models import OrgUnit


class CareError(Refused):
    """A refused action; the Chinese message names the rule."""


def require(condition: Any, message: str) -> None:
    if not condition:
        raise CareError(message)


# --- talks -------------------------------------------------------------------------------------


@transaction.atomic
def record_talk(
    *,
    by: User,
    talker: Cadre,
    talkee: Cadre,
    held_on: date,
    kind: str,
    summary: str,
    issues_raised: str = "",
    follow_up: str = "",
    trigger: str = "",
    today: date,
) -> HeartTalk:
    require(talker.pk != talkee.pk, "谈话人与谈话对象不能是同一人")
    require(kind in TalkKind.values, "谈话类型无效")
    require(summary.strip(), "请填写谈话摘要")
    require(held_on <= today, "谈话日期不能晚于今天")
    talk = HeartTalk.objects.create(
        talker=talker,
        talkee=talkee,
        held_on=held_on,
        kind=kind,
        summary=summary.strip(),
        issues_raised=issues_raised.strip(),
        follow_up=follow_up.strip(),
        trigger=trigger[:100],
        recorded_by=by,
    )
    record_event(actor=by, action="create", obj=talk, detail={"talkee": talkee.pk})
    return talk


@transaction.atomic
def complete_talk_follow_up(*, by: User, talk: HeartTalk, done_on: date, note: str) -> HeartTalk:
    locked = HeartTalk.objects.select_for_update().get(pk=talk.pk)
    require(locked.follow_up_done_on is None, "该谈话的跟进事项已办结")
    require(done_on >= locked.held_on, "办结日期不能早于谈话日期")
    locked.follow_up_done_on = done_on
    if note.strip():
        locked.follow_up = f"{locked.follow_up}\n【办结】{note.strip()}".strip()
    locked.save(update_fields=["follow_up_done_on", "follow_up", "updated_at"])
    record_event(actor=by, action="follow_up_done", obj=locked)
    return locked


def can_read_summary(user: Any, talk: HeartTalk) -> bool:
    return rules.may_read_summary(
        superuser=is_superuser(user),
        is_talker=own_cadre_id(user) == talk.talker_id,
        roles_over_subject=roles_over(user, talk.talkee.org_unit.path),
        allowed_roles=rule_value(rules.TALK_SUMMARY_ROLES.key),
        chain=bool(rule_value(rules.TALK_SUMMARY_CHAIN.key)),
    )


def read_summary(*, user: Any, talk: HeartTalk, request: Any = None) -> str:
    """Returns the confidential summary and audits the reading; a reader not allowed is
    refused (403) and the refusal is audited."""
    if not can_read_summary(user, talk):
        record_event(
            actor=user,
            action="authz_denied",
            obj=talk,
            request=request,
            detail={"field": "summary"},
        )
        raise PermissionDenied(
            "无权阅读谈话摘要：谈话摘要仅限谈话人、组织部门和谈话对象的"
            "上级负责人阅读（设置 care.talk.summary_roles / summary_chain）"
        )
    record_event(actor=user, action="view_summary", obj=talk, request=request)
    return talk.summary


def talked_to(cadre_ids: Iterable[int], year: int) -> dict[int, int]:
    """Talks each cadre received in `year` (for the annual assessment's evidence)."""
    ids = list(cadre_ids)
    counts = dict.fromkeys(ids, 0)
    for start in range(0, len(ids), 5000):
        rows = (
            HeartTalk.objects.filter(talkee_id__in=ids[start : start + 5000], held_on__year=year)
            .values("talkee_id")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[row["talkee_id"]] = row["n"]
    return counts


def coverage_by_unit(cadres: Any, year: int, under: OrgUnit | None = None) -> list[dict[str, Any]]:
    """Per unit (or per unit directly below `under`, rolled up): cadres, cadres talked to at
    least the set number of times this year, and the share."""
    needed = int(rule_value(rules.TALKS_PER_YEAR.key))
    counts = (
        HeartTalk.objects.filter(talkee__in=cadres, held_on__year=year)
        .values("talkee_id")
        .annotate(n=Count("id"))
    )
    ok = {r["talkee_id"] for r in counts if r["n"] >= needed}
    group, names = roll_up(list(cadres.values_list("id", "org_unit_id", "org_unit__path")), under)
    units: dict[int, dict[str, Any]] = {}
    for cid, uid in group.items():
        row = units.setdefault(
            uid, {"unit_id": uid, "unit": names.get(uid, ""), "total": 0, "talked": 0}
        )
        row["total"] += 1
        row["talked"] += cid in ok
    for row in units.values():
        row["share"] = rules.coverage(row["total"], row["talked"])
    return sorted(units.values(), key=lambda r: r["unit"])


@dataclass(frozen=True)
class MissingPair:
    a: int
    b: int
    a_name: str
    b_name: str
    label: str


def missing_must_talks(units: Any, year: int) -> list[MissingPair]:
    """必谈 pairs in the given units' teams with no talk between them this year."""
    today = date(year, 12, 31)
    members = list(
        TeamMembership.objects.filter(team__org_unit__in=units)
        .filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=date(year, 1, 1)),
            started_on__lte=today,
        )
        .values_list("team_id", "cadre_id", "role")
    )
    heads = dict(
        TeamMembership.objects.filter(role="head", ended_on__isnull=True).values_list(
            "team__org_unit_id", "cadre_id"
        )
    )
    oversight = [
        (leader, heads[unit])
        for leader, unit in Oversight.objects.filter(
            ended_on__isnull=True, leader_id__in=[m[1] for m in members]
        ).values_list("leader_id", "unit_id")
        if unit in heads
    ]
    required = rules.must_talk_pairs(
        [rules.Member(*m) for m in members],
        oversight,
        members_each_other=bool(rule_value(rules.MEMBERS_EACH_OTHER.key)),
        members_to_heads=bool(rule_value(rules.MEMBERS_TO_HEADS.key)),
    )
    people = {c for p in required for c in p}
    done = {
        frozenset(p)
        for p in HeartTalk.objects.filter(
            held_on__year=year,
            talker_id__in=people,
            talkee_id__in=people,
        ).values_list("talker_id", "talkee_id")
    }
    missing = rules.missing_pairs(required, done)
    names = dict(Cadre.objects.filter(pk__in=people).values_list("id", "name"))
    found = []
    for pair, label in missing.items():
        a, b = sorted(pair)
        found.append(MissingPair(a, b, names.get(a, ""), names.get(b, ""), label))
    return sorted(found, key=lambda p: (p.label, p.a, p.b))


def talks_due(cadres: Any, on: date) -> list[rules.Due]:
    """Talks due after events: a new post (appointments), a measure and a low grade
    (from the accountability and assessment apps where they exist)."""
    window = int(rule_value(rules.TRIGGER_DAYS.key))
    since = on - timedelta(days=window * 3)
    events = [
        rules.Event(cid, start, f"新任职务：{unit}{title}")
        for cid, start, unit, title in Appointment.objects.filter(
            cadre__in=cadres,
            started_on__gte=since,
            started_on__lte=on,
        ).values_list("cadre_id", "started_on", "position__org_unit__name", "position__title")
    ]
    ids = list(cadres.values_list("id", flat=True))
    events += [
        rules.Event(cid, day, label) for cid, day, label in adapters.recent_measures(ids, since, on)
    ]
    grades = set(rule_value(rules.TRIGGER_GRADES.key))
    events += [
        rules.Event(cid, day, f"年度考核{rules.GRADE_LABELS.get(g, g)}")
        for cid, day, g in adapters.recent_grades(ids, since, on)
        if g in grades
    ]
    talked: dict[int, list[date]] = defaultdict(list)
    for cid, day in HeartTalk.objects.filter(
        talkee_id__in={e.cadre_id for e in events},
        held_on__gte=since,
    ).values_list("talkee_id", "held_on"):
        talked[cid].append(day)
    return rules.talks_due(events, talked, within_days=window, on=on)


@transaction.atomic
def assign_oversight(*, by: User, leader: Cadre, unit: OrgUnit, started_on: date) -> Oversight:
    require(
        not Oversight.objects.filter(leader=leader, unit=unit, ended_on__isnull=True).exists(),
        f"{leader.name}已分管{unit.name}",
    )
    row = Oversight.objects.create(leader=leader, unit=unit, started_on=started_on)
    record_event(actor=by, action="create", obj=row)
    return row


# --- visits and difficulties -----------------------------------------------------------------


@transaction.atomic
def record_visit(
    *,
    by: User,
    cadre: Cadre,
    visited_on: date,
    occasion: str,
    visitors: str,
    notes: str,
    today: date,
) -> Visit:
    require(occasion in VisitOccasion.values, "走访事由无效")
    require(visitors.strip(), "请填写走访人员")
    require(visited_on <= today, "走访日期不能晚于今天")
    visit = Visit.objects.create(
        cadre=cadre,
        visited_on=visited_on,
        occasion=occasion,
        visitors=visitors.strip(),
        notes=notes.strip(),
        recorded_by=by,
    )
    record_event(actor=by, action="create", obj=visit)
    return visit


@transaction.atomic
def report_difficulty(
    *,
    by: User,
    cadre: Cadre,
    category: str,
    description: str,
    source: str,
    on: date,
    talk: HeartTalk | None = None,
) -> Difficulty:
    require(source in DifficultySource.values, "来源无效")
    require(category.strip() and description.strip(), "请填写困难类别和具体情况")
    if source == DifficultySource.SELF:
        require(by.cadre_id == cadre.pk, "本人反映的困难只能由干部本人提交")
    if talk is not None:
        require(talk.talkee_id == cadre.pk, "来源谈话的谈话对象不是该干部")
    row = Difficulty.objects.create(
        cadre=cadre,
        reported_on=on,
        source=source,
        talk=talk,
        category=category.strip()[:30],
        description=description.strip(),
    )
    record_event(actor=by, action="create", obj=row)
    return row


@transaction.atomic
def move_difficulty(
    *,
    by: User,
    difficulty: Difficulty,
    status: str,
    version: int,
    on: date,
    assignee: str = "",
    due_on: date | None = None,
    resolution: str = "",
) -> Difficulty:
    locked = Difficulty.objects.select_for_update().get(pk=difficulty.pk)
    if locked.version != version:
        raise CareError("该事项已被他人处理，请刷新后重试")
    try:
        rules.check_difficulty_transition(locked.status, status, dict(DifficultyStatus.choices))
    except Refused as exc:  # the pure rule's refusal, named as the app's
        raise CareError(str(exc)) from exc
    if status == DifficultyStatus.ASSIGNED:
        require(assignee.strip(), "请填写承办人或承办单位")
        require(due_on is None or due_on >= on, "办理期限不能早于今天")
        locked.assignee, locked.assigned_on, locked.due_on = assignee.strip(), on, due_on
    else:
        require(resolution.strip(), "请填写办理结果或无法解决的说明")
        locked.resolved_on, locked.resolution = on, resolution.strip()
    locked.status = status
    locked.version += 1
    locked.save()
    record_event(actor=by, action=f"difficulty_{status}", obj=locked)
    return locked


# --- exemplars ---------------------------------------------------------------------------------


@transaction.atomic
def create_honour_kind(*, by: User, name: str, level: str = "") -> HonourKind:
    require(name.strip(), "请填写荣誉名称")
    require(not HonourKind.objects.filter(name=name.strip()).exists(), f"荣誉“{name}”已存在")
    kind = HonourKind.objects.create(name=name.strip(), level=level.strip())
    record_event(actor=by, action="create", obj=kind)
    return kind


@transaction.atomic
def award_exemplar(
    *,
    by: User,
    cadre: Cadre,
    kind: HonourKind,
    year: int,
    awarded_on: date,
    citation: str,
    publicity: str = "",
    notice_ref: str = "",
) -> Exemplar:
    require(kind.is_active, f"荣誉“{kind.name}”已停用")
    require(citation.strip(), "请填写先进事迹")
    require(awarded_on.year in (year, year + 1), "授予日期应在评选年度或次年")
    require(
        not Exemplar.objects.filter(cadre=cadre, kind=kind, year=year).exists(),
        f"{cadre.name}已获{year}年度“{kind.name}”",
    )
    # 评先评优、表彰 asks the eligibility gate (issue 11): a 处分, an open case ... refuses.
    decisions.enforce([cadre.pk], awarded_on, [Decision.HONOUR], by=by)
    try:
        with transaction.atomic():
            row = Exemplar.objects.create(
                cadre=cadre,
                kind=kind,
                year=year,
                awarded_on=awarded_on,
                citation=citation.strip(),
                publicity=publicity.strip(),
                notice_ref=notice_ref.strip()[:100],
            )
    except IntegrityError as exc:
        raise CareError(f"{cadre.name}已获{year}年度“{kind.name}”") from exc
    record_event(actor=by, action="create", obj=row)
    return row


# --- rank promotion eligibility ---------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    cadre_id: int
    name: str
    unit_id: int
    unit: str
    rank: str
    result: rules.RankEligibility


def _settings() -> dict[str, Any]:
    return {
        "min_years": rule_value(rules.RANK_MIN_YEARS.key),
        "equivalents": rule_value(rules.RANK_EQUIVALENT_LEVELS.key),
        "grade_adjust": rule_value(rules.RANK_GRADE_ADJUST.key),
    }


def rank_eligibility_for(cadres: Any, on: date) -> list[RankRow]:
    """Eligibility of every cadre in a scoped queryset, set-based: a fixed number of queries."""
    rows = list(
        cadres.values_list(
            "id",
            "name",
            "org_unit_id",
            "org_unit__name",
            "rank",
            "leadership_level",
            "current_post_since",
        )
    )
    ids = [r[0] for r in rows]
    current = {
        cid: (rank, start)
        for cid, rank, start in RankRecord.objects.filter(cadre__in=cadres, ended_on__isnull=True)
        .order_by("cadre_id", "started_on")
        .values_list("cadre_id", "rank", "started_on")
    }
    since = {cid: start for cid, (_, start) in current.items()}
    level_since = _level_since(cadres.exclude(leadership_level=""))
    first = min(
        [d for d in since.values() if d] + [d for d in level_since.values() if d], default=on
    )
    grades = adapters.annual_grades(ids, range(first.year, on.year))
    # The one eligibility answer's blocks for 职级晋升 (measures, 不称职, open cases ...).
    answers = decisions.answers(ids, on)
    blocks = {cid: a.blocks_for([Decision.RANK]) for cid, a in answers.items()}
    conf = _settings()
    found = []
    for cid, name, uid, uname, rank, level, _post in rows:
        rank = current[cid][0] if cid in current else rank
        facts = rules.RankFacts(
            rank, since.get(cid), level, level_since.get(cid), grades.get(cid, {})
        )
        result = rules.rank_eligibility(
            facts,
            on=on,
            blocks=[rules.BlockFact(b.reason, b.source, b.until) for b in blocks.get(cid, [])],
            **conf,
        )
        found.append(RankRow(cid, name, uid, uname, rank, result))
    return found


def _level_since(cadres: Any) -> dict[int, date]:
    """Start of continuous service at the current leadership level, from appointments."""
    runs: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for cid, start, level in (
        Appointment.objects.filter(cadre__in=cadres, is_primary=True)
        .order_by("cadre_id", "started_on")
        .values_list("cadre_id", "started_on", "position__leadership_level")
    ):
        runs[cid].append((start, level or ""))
    found = {}
    for cid, posts in runs.items():
        level = posts[-1][1]
        if not level:
            continue
        start = posts[-1][0]
        for s, lvl in reversed(posts):
            if lvl != level:
                break
            start = s
        found[cid] = start
    return found


@transaction.atomic
def promote_rank(
    *, by: User, cadre: Cadre, to_rank: str, effective_on: date, basis: str
) -> RankPromotion:
    """Promotes one step if the cadre is eligible on the date; otherwise refused with why:
    first the eligibility gate (issue 11: every block on 职级晋升, `Ineligible`), then the
    seniority rules of 职务与职级并行."""
    locked = Cadre.objects.select_for_update().get(pk=cadre.pk)
    require(basis.strip(), "请填写晋升依据（如会议研究决定文号）")
    decisions.enforce([locked.pk], effective_on, [Decision.RANK], by=by)
    [row] = rank_eligibility_for(Cadre.objects.filter(pk=locked.pk), effective_on)
    result = row.result
    if result.next_rank is None:
        raise CareError(f"无法晋升职级：{'；'.join(result.reasons)}")
    require(
        to_rank == result.next_rank,
        f"职级应逐级晋升（公务员法 第四十九条），下一职级为{dict(Rank.choices)[result.next_rank]}",
    )
    if not result.eligible:
        raise CareError(
            "尚不符合晋升职级条件（职务与职级并行规定，设置 care.rank.*）："
            + "；".join(result.reasons)
        )
    old = RankRecord.objects.select_for_update().filter(cadre=locked, ended_on__isnull=True)
    from_rank = locked.rank
    for rec in old:
        require(rec.started_on < effective_on, "晋升日期必须晚于现职级起始日期")
        rec.ended_on = effective_on
        rec.save(update_fields=["ended_on", "updated_at"])
    record = RankRecord.objects.create(
        cadre=locked, rank=to_rank, started_on=effective_on, basis=basis.strip()[:200]
    )
    refresh_current_post(locked)
    promotion = RankPromotion.objects.create(
        cadre=locked,
        from_rank=from_rank,
        to_rank=to_rank,
        effective_on=effective_on,
        basis=basis.strip()[:200],
        rank_record=record,
        decided_by=by,
        eligibility={"reasons": result.reasons, "eligible_on": str(result.eligible_on)},
    )
    record_event(
        actor=by, action="rank_promotion", obj=promotion, detail={"from": from_rank, "to": to_rank}
    )
    return promotion


# --- work exchange meetings --------------------------------------------------------------------


@transaction.atomic
def create_meeting(
    *,
    by: User,
    title: str,
    kind: str,
    held_on: date,
    place: str,
    org_unit: OrgUnit,
    theme: str = "",
) -> ExchangeMeeting:
    require(kind in MeetingKind.values, "会议形式无效")
    require(title.strip() and place.strip(), "请填写会议名称和地点")
    meeting = ExchangeMeeting.objects.create(
        title=title.strip(),
        kind=kind,
        held_on=held_on,
        place=place.strip(),
        org_unit=org_unit,
        theme=theme.strip(),
    )
    record_event(actor=by, action="create", obj=meeting)
    return meeting


@transaction.atomic
def add_presentation(
    *, by: User, meeting: ExchangeMeeting, unit: OrgUnit, materials: str, results: str = ""
) -> Presentation:
    require(materials.strip(), "请填写交流材料")
    require(
        not Presentation.objects.filter(meeting=meeting, unit=unit).exists(),
        f"{unit.name}已在本次会议上交流",
    )
    row = Presentation.objects.create(
        meeting=meeting, unit=unit, materials=materials.strip(), results=results.strip()
    )
    record_event(actor=by, action="create", obj=row)
    return row


@transaction.atomic
def add_peer_comment(
    *,
    by: User,
    presentation: Presentation,
    commenter_unit: OrgUnit,
    comment: str,
    score: Decimal,
) -> PeerComment:
    require(commenter_unit.pk != presentation.unit_id, "不能点评本单位的交流发言（互评）")
    require(Decimal(0) <= score <= Decimal(100), "评分应在0至100之间")
    require(comment.strip(), "请填写点评意见")
    require(
        not PeerComment.objects.filter(
            presentation=presentation, commenter_unit=commenter_unit
        ).exists(),
        f"{commenter_unit.name}已点评过该发言",
    )
    try:
        with transaction.atomic():
            row = PeerComment.objects.create(
                presentation=presentation,
                commenter_unit=commenter_unit,
                comment=comment.strip(),
                score=score,
                recorded_by=by,
            )
    except IntegrityError as exc:
        raise CareError(f"{commenter_unit.name}已点评过该发言") from exc
    record_event(actor=by, action="create", obj=row, detail={"score": str(score)})
    return row
