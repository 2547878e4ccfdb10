"""Synthetic assessment data: past years' cycles run to the end, this year's in progress.

For each of the last two years and each root unit: a 公务员年度考核 cycle (non-leading
cadres) and a 领导干部年度考核 cycle (leaders), archived, with democratic evaluation (online
token ballots one year, paper tallies the year before), proposals within the 优秀 quota of
each unit, a disclosure with a few answered comments, decisions, written notifications,
acknowledgements and a handful of reviews; a satisfaction survey per year over the organs
with answers from nine rater tiers, comments routed, answered and closed, and a published
report. This year: the leaders' cycle in its democratic evaluation (sessions open, part of
the ballots cast) and the civil servants' cycle collecting personal summaries.

Everything is written with bulk_create in batches from lists read once; no query per cadre
or unit. Deterministic for a seed (random.Random; tokens are hashes of seeded strings).
"""

import random
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.accounts.models import User
from cadre.assessments import rules, tokens
from cadre.assessments.models import (
    Ballot,
    Cycle,
    Decision,
    Disclosure,
    DisclosureComment,
    EvaluationSession,
    PaperTally,
    PaperTurnout,
    Participant,
    PhaseStep,
    RaterToken,
    ReviewRequest,
    Survey,
    SurveyComment,
    SurveyResponse,
    SurveyTier,
    SurveyToken,
    SurveyUnit,
    TeamBallot,
)
from cadre.assessments.services.cycles import enrol
from cadre.cadres.models import Cadre, CadreStatus, LeadershipTeam
from cadre.orgs.models import OrgUnit

BATCH = 2000
SEED_OFFSET = 5  # this app's own random stream
OFFICER = "gen_assessments"
PROBATION_TEXT = "新录用人员在试用期内，只写评语不定等次（公务员法第三十四条）"
EVALUATIONS = [
    "政治坚定，履职尽责，较好完成年度目标任务",
    "工作扎实，作风务实，群众评价较好",
    "敢于担当，在重点工作中发挥了骨干作用",
    "业务熟练，服务意识强，完成任务较好",
    "推进改革攻坚有力，实绩突出",
    "工作主动性有待加强，但能完成本职工作",
]
COMMENTS = [
    "窗口办事排队时间较长，希望增加服务人员",
    "政策解读不够及时，建议加强宣传",
    "办事流程还可以再简化",
    "工作人员服务态度很好",
    "部分事项仍需多次跑腿",
    "希望公开办理进度，方便查询",
    "基层反映的问题回应较慢",
]
ANSWERS = [
    "已研究改进，增设服务窗口并实行弹性工作时间",
    "已在门户网站开设政策解读专栏",
    "已梳理办事事项，精简材料和环节",
    "感谢评价，将继续保持",
]


def _officer() -> User:
    user, _ = User.objects.get_or_create(
        username=OFFICER, defaults={"display_name": "（生成数据）考核办", "is_active": False}
    )
    return user


def _aware(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime(hour)))


def _token_hash(seed: int, *parts: Any) -> str:
    return tokens.token_hash("-".join(str(p) for p in ("GEN", seed, *parts)))


def generate(*, scale: str, seed: int, log: Callable[[str], None]) -> None:
    rng = random.Random(seed + SEED_OFFSET)
    today = timezone.localdate()
    roots = list(OrgUnit.objects.filter(parent__isnull=True).order_by("id"))
    if not roots or not Cadre.objects.exists():
        return
    officer = _officer()
    started = time.monotonic()
    with transaction.atomic():
        for root in roots:
            for year in (today.year - 2, today.year - 1):
                _past_year(rng, seed, root, year, officer, log)
            _current_year(rng, seed, root, today, officer, log)
    log(f"  年度考核数据用时 {time.monotonic() - started:.1f} 秒")


# ---- a past year ------------------------------------------------------------------------


def _phase_days(year: int) -> dict[str, date]:
    nxt = year + 1
    return {
        rules.PREPARATION: date(year, 12, 1),
        rules.SUMMARIES: date(year, 12, 5),
        rules.DEMOCRATIC: date(year, 12, 12),
        rules.EVIDENCE: date(year, 12, 22),
        rules.PROPOSAL: date(nxt, 1, 5),
        rules.DISCLOSURE: date(nxt, 1, 8),
        rules.DECISION: date(nxt, 1, 19),
        rules.REVIEW: date(nxt, 1, 22),
        rules.ARCHIVE: date(nxt, 3, 2),
    }


def _cycle(
    root: OrgUnit, year: int, kind: str, phase: str, officer: User, days: dict[str, date]
) -> Cycle:
    cycle = Cycle.objects.create(
        year=year,
        kind=kind,
        phase=phase,
        scope_unit=root,
        created_by=officer,
        title=f"{root.name}{year}年度{rules.CYCLE_KINDS[kind]}",
        disclose_summaries=kind == "leaders",
    )
    reached = rules.PHASES.index(phase)
    PhaseStep.objects.bulk_create(
        [
            PhaseStep(
                cycle=cycle,
                phase=p,
                actor=rules.PHASE_ACTORS[p],
                planned_start=days[p],
                planned_end=days[p] + timedelta(days=6),
                entered_at=_aware(days[p]) if i <= reached else None,
                entered_by=officer if i <= reached else None,
            )
            for i, p in enumerate(rules.PHASES)
        ]
    )
    return cycle


def _past_year(
    rng: random.Random,
    seed: int,
    root: OrgUnit,
    year: int,
    officer: User,
    log: Callable[[str], None],
) -> None:
    days = _phase_days(year)
    cadres = Cadre.objects.filter(status=CadreStatus.ACTIVE, org_unit__path__startswith=root.path)
    for kind, leaders in (("civil_servants", False), ("leaders", True)):
        cycle = _cycle(root, year, kind, rules.ARCHIVE, officer, days)
        found = list(
            cadres.filter(is_leader=leaders)
            .order_by("id")
            .values_list("id", "org_unit_id", "current_title", "name", "org_unit__name")
        )
        grades = _grades(
            rng, [(cid, cid, unit, unit, "", "", "", leaders) for cid, unit, *_r in found]
        )
        rows = _enrol_decided(rng, cycle, found, grades, officer, days)
        by_pid = {r[0]: grades[r[1]] for r in rows}
        sessions = _evaluation(rng, seed, cycle, rows, by_pid, days, online=year % 2 == 1)
        _disclosure(rng, cycle, rows, by_pid, officer, days)
        n = _decisions(rng, cycle, rows, by_pid, officer, days)
        log(f"  {cycle.title}：考核对象 {len(rows):,} 人，民主测评 {sessions} 场，结果 {n:,} 条")
    _survey(rng, seed, root, year, officer, SurveyStatusPast(), log)


def _enrol_decided(
    rng: random.Random,
    cycle: Cycle,
    found: list[tuple],
    grades: dict[int, str],
    officer: User,
    days: dict[str, date],
) -> list[tuple]:
    """Participants written once with their summary and proposal (no second pass)."""
    at = _aware(days[rules.PROPOSAL], 15)
    summary_at = _aware(days[rules.SUMMARIES], 10)
    leaders = cycle.kind != "civil_servants"
    Participant.objects.bulk_create(
        [
            Participant(
                cycle=cycle,
                cadre_id=cid,
                org_unit_id=unit,
                quota_unit_id=unit,
                title=title or "",
                is_leader=leaders,
                stage="acknowledged",
                summary="本年度认真履行岗位职责，完成了各项目标任务。",
                summary_submitted_at=summary_at,
                proposed_grade=grades[cid],
                ungraded_reason="" if grades[cid] else PROBATION_TEXT,
                evaluation_text=rng.choice(EVALUATIONS),
                proposed_by=officer,
                proposed_at=at,
            )
            for cid, unit, title, _name, _unit_name in found
        ],
        batch_size=BATCH,
    )
    return list(
        cycle.participants.order_by("id").values_list(
            "id",
            "cadre_id",
            "org_unit_id",
            "quota_unit_id",
            "cadre__name",
            "org_unit__name",
            "title",
            "is_leader",
        )
    )


def _grades(rng: random.Random, rows: list[tuple]) -> dict[int, str]:
    """优秀 within each quota unit's 20%, a few 基本称职 and 不称职, a few ungraded."""
    by_unit: dict[int, list[int]] = defaultdict(list)
    for pid, *_rest in rows:
        by_unit[_rest[2]].append(pid)
    grades: dict[int, str] = {}
    for members in by_unit.values():
        limit = rules.excellent_quota(len(members), Decimal("0.20"))
        shuffled = members[:]
        rng.shuffle(shuffled)
        k = min(limit, round(len(members) * rng.uniform(0.10, 0.20)))
        for i, pid in enumerate(shuffled):
            r = rng.random()
            if i < k:
                grades[pid] = rules.EXCELLENT
            elif r < 0.004:
                grades[pid] = ""  # 不定等次
            elif r < 0.008:
                grades[pid] = rules.INCOMPETENT
            elif r < 0.04:
                grades[pid] = rules.BASIC
            else:
                grades[pid] = rules.COMPETENT
    return grades


VOTE_MIX = {
    rules.EXCELLENT: (0.55, 0.42, 0.03, 0.0),
    rules.COMPETENT: (0.25, 0.68, 0.06, 0.01),
    rules.BASIC: (0.05, 0.55, 0.35, 0.05),
    rules.INCOMPETENT: (0.0, 0.35, 0.40, 0.25),
    "": (0.1, 0.7, 0.15, 0.05),
}
RATERS = {"superior": (2, 4), "peer": (5, 9), "subordinate": (8, 16), "service": (0, 7)}


def _evaluation(
    rng: random.Random,
    seed: int,
    cycle: Cycle,
    rows: list[tuple],
    grades: dict[int, str],
    days: dict[str, date],
    *,
    online: bool,
    cast_share: float = 1.0,
    open_now: bool = False,
) -> int:
    """Sessions for the units with leaders: ballots by token (online) or paper tallies."""
    if not any(r[7] for r in rows):
        return 0
    units: dict[int, list[int]] = defaultdict(list)
    for pid, _cid, unit_id, *_rest in rows:
        units[unit_id].append(pid)
    teams = set(
        LeadershipTeam.objects.filter(org_unit_id__in=list(units)).values_list(
            "org_unit_id", flat=True
        )
    )
    names = dict(OrgUnit.objects.filter(pk__in=list(units)).values_list("id", "name"))
    opens = _aware(days[rules.DEMOCRATIC])
    closes = opens + timedelta(days=14 if open_now else 3)
    sessions = EvaluationSession.objects.bulk_create(
        [
            EvaluationSession(
                cycle=cycle,
                org_unit_id=uid,
                title=f"{names[uid]}民主测评",
                opens_at=opens,
                closes_at=closes,
                rates_team=uid in teams,
                closed_at=None if open_now else closes,
                created_by=cycle.created_by,
            )
            for uid in sorted(units)
        ],
        batch_size=BATCH,
    )
    tokens_, ballots, team, turnout, tallies = [], [], [], [], []
    choices = list(rules.BALLOT_CHOICES)
    team_choices = list(rules.TEAM_CHOICES)
    for s in sessions:
        subjects = units[s.org_unit_id]
        for cat, (lo, hi) in RATERS.items():
            n = rng.randint(lo, hi)
            if not n:
                continue
            if not online:
                turnout.append(
                    PaperTurnout(
                        session=s,
                        category=cat,
                        issued=n,
                        returned=n - (rng.random() < 0.2),
                        entered_by=cycle.created_by,
                    )
                )
                returned = turnout[-1].returned
                for pid in subjects:
                    picks = rng.choices(choices, VOTE_MIX[grades[pid]], k=returned)
                    tallies.append(
                        PaperTally(
                            session=s,
                            category=cat,
                            participant_id=pid,
                            counts={c: picks.count(c) for c in choices},
                            entered_by=cycle.created_by,
                        )
                    )
                if s.rates_team:
                    picks = rng.choices(team_choices, (0.5, 0.4, 0.08, 0.02), k=returned)
                    tallies.append(
                        PaperTally(
                            session=s,
                            category=cat,
                            participant=None,
                            counts={c: picks.count(c) for c in team_choices},
                            entered_by=cycle.created_by,
                        )
                    )
                continue
            for i in range(n):
                used = rng.random() < cast_share * 0.92
                tokens_.append(
                    RaterToken(
                        session=s,
                        category=cat,
                        used=used,
                        token_hash=_token_hash(seed, s.pk, cat, i),
                    )
                )
                if not used:
                    continue
                day = (s.opens_at + timedelta(days=rng.randint(0, 2))).date()
                ballots += [
                    Ballot(
                        session=s,
                        participant_id=pid,
                        category=cat,
                        cast_on=day,
                        choice=rng.choices(choices, VOTE_MIX[grades[pid]])[0],
                    )
                    for pid in subjects
                ]
                if s.rates_team:
                    team.append(
                        TeamBallot(
                            session=s,
                            category=cat,
                            cast_on=day,
                            choice=rng.choices(team_choices, (0.5, 0.4, 0.08, 0.02))[0],
                        )
                    )
    RaterToken.objects.bulk_create(tokens_, batch_size=BATCH)
    Ballot.objects.bulk_create(ballots, batch_size=BATCH)
    TeamBallot.objects.bulk_create(team, batch_size=BATCH)
    PaperTurnout.objects.bulk_create(turnout, batch_size=BATCH)
    PaperTally.objects.bulk_create(tallies, batch_size=BATCH)
    return len(sessions)


def _disclosure(
    rng: random.Random,
    cycle: Cycle,
    rows: list[tuple],
    grades: dict[int, str],
    officer: User,
    days: dict[str, date],
) -> None:
    opens = days[rules.DISCLOSURE]
    entries = [
        {
            "participant": pid,
            "name": name,
            "unit": unit,
            "title": title,
            "grade": rules.grade_label(grades[pid]),
            "summary": "",
        }
        for pid, _c, _u, _q, name, unit, title, _l in rows
        if grades[pid]
    ]
    d = Disclosure.objects.create(
        cycle=cycle,
        opens_on=opens,
        closes_on=opens + timedelta(days=7),
        entries=entries,
        published_by=officer,
    )
    picks = rng.sample(entries, min(len(entries), max(1, len(entries) // 400)))
    DisclosureComment.objects.bulk_create(
        [
            DisclosureComment(
                disclosure=d,
                participant_id=e["participant"],
                text="希望进一步公开其工作实绩",
                submitted_on=opens + timedelta(days=2),
                response_text="已核实，该同志年度实绩情况属实，感谢监督",
                responded_by=officer,
                responded_on=opens + timedelta(days=5),
            )
            for e in picks
        ]
    )


def _decisions(
    rng: random.Random,
    cycle: Cycle,
    rows: list[tuple],
    grades: dict[int, str],
    officer: User,
    days: dict[str, date],
) -> int:
    decided = days[rules.DECISION]
    batch = []
    for pid, cadre_id, *_rest in rows:
        g = grades[pid]
        batch.append(
            Decision(
                participant_id=pid,
                cadre_id=cadre_id,
                year=cycle.year,
                annual=True,
                grade=g,
                final_grade=g,
                ungraded_reason="" if g else "试用期内不定等次",
                decided_on=decided,
                decided_by=officer,
                notified_on=decided + timedelta(days=2),
                notified_by=officer,
                acknowledged_at=_aware(decided + timedelta(days=rng.randint(2, 6)))
                if rng.random() < 0.96
                else None,
                review_waived=rng.random() < 0.5,
                consequences=[
                    {"kind": c.kind, "text": c.text, "source": c.source}
                    for c in rules.consequences(g or None, rules.CadreFacts(cycle.year))
                ],
            )
        )
    made = Decision.objects.bulk_create(batch, batch_size=BATCH)
    unhappy = [d for d in made if d.grade in (rules.BASIC, rules.INCOMPETENT)]
    reviews = []
    for d in rng.sample(unhappy, min(len(unhappy), max(1, len(unhappy) // 10))):
        requested = decided + timedelta(days=10)
        reviews.append(
            ReviewRequest(
                decision=d,
                reason="本人对考核等次有不同意见，申请复核",
                requested_on=requested,
                decide_by=requested + timedelta(days=rules.REVIEW_DECISION_DAYS),
                status="upheld",
                decision_text="经复核，维持原考核等次",
                decided_on=requested + timedelta(days=12),
                decided_by=officer,
            )
        )
    ReviewRequest.objects.bulk_create(reviews, batch_size=BATCH)
    Participant.objects.filter(
        pk__in=[d.participant_id for d in made if not d.acknowledged_at]
    ).update(stage="notified")
    Participant.objects.filter(pk__in=[r.decision.participant_id for r in reviews]).update(
        stage="reviewed"
    )
    return len(made)


# ---- satisfaction survey --------------------------------------------------------------


class SurveyStatusPast:
    status = "published"


ORGAN_KINDS = ("party_organ", "gov_organ", "peoples_organ")


def _survey(
    rng: random.Random,
    seed: int,
    root: OrgUnit,
    year: int,
    officer: User,
    mode: Any,
    log: Callable[[str], None],
) -> None:
    units = list(
        OrgUnit.objects.filter(
            path__startswith=root.path,
            kind__in=ORGAN_KINDS,
            depth__lte=root.depth + 2,
            dissolved_on__isnull=True,
        ).order_by("path")[:150]
    )
    if not units:
        return
    published = mode.status == "published"
    opens = date(year, 11, 1) if published else timezone.localdate() - timedelta(days=3)
    survey = Survey.objects.create(
        year=year,
        title=f"{root.name}{year}年度满意不满意单位评议",
        scope_unit=root,
        opens_on=opens,
        closes_on=opens + timedelta(days=20),
        status=mode.status,
        created_by=officer,
        published_at=_aware(opens + timedelta(days=45)) if published else None,
        report_text="本年度评议总体满意率较上年有所提高，群众反映较集中的问题已转交有关单位整改。"
        if published
        else "",
    )
    sunits = SurveyUnit.objects.bulk_create([SurveyUnit(survey=survey, org_unit=u) for u in units])
    if published and len(sunits) > 3:
        sunits[-1].veto_item = rules.SURVEY_VETO_ITEMS.default[1]
        sunits[-1].veto_note = "年内发生较大安全生产责任事故"
        sunits[-1].save(update_fields=["veto_item", "veto_note"])
    tiers = SurveyTier.objects.bulk_create(
        [
            SurveyTier(survey=survey, name=name, quota=40, weight=Decimal(1))
            for name in rules.SURVEY_TIERS.default
        ]
    )
    tokens_, responses, comments = [], [], []
    quality = {su.pk: rng.uniform(3.3, 4.8) for su in sunits}
    share = 1.0 if published else 0.35
    for tier in tiers:
        for i in range(rng.randint(25, 40)):
            used = rng.random() < 0.9 * share
            tokens_.append(
                SurveyToken(
                    survey=survey,
                    tier=tier,
                    used=used,
                    token_hash=_token_hash(seed, "s", survey.pk, tier.pk, i),
                )
            )
            if not used:
                continue
            day = opens + timedelta(days=rng.randint(0, 15 if published else 2))
            for su in rng.sample(sunits, min(len(sunits), rng.randint(8, 25))):
                mean = quality[su.pk]
                values = [max(1, min(5, round(rng.gauss(mean, 0.8)))) for _ in range(3)]
                responses.append(
                    SurveyResponse(
                        survey=survey,
                        tier=tier,
                        survey_unit=su,
                        submitted_on=day,
                        attitude_efficiency=values[0],
                        fairness_integrity=values[1],
                        effectiveness_impact=values[2],
                    )
                )
                if rng.random() < 0.07:
                    comments.append(_comment(rng, survey, su, tier, day, officer, published))
    SurveyToken.objects.bulk_create(tokens_, batch_size=BATCH)
    SurveyResponse.objects.bulk_create(responses, batch_size=BATCH)
    SurveyComment.objects.bulk_create(comments, batch_size=BATCH)
    if published:
        from cadre.assessments.services.survey import summary

        survey.report = summary(survey)
        survey.save(update_fields=["report"])
    log(
        f"  {survey.title}：被评议单位 {len(sunits)} 个，答卷 {len(responses):,} 份，"
        f"意见 {len(comments):,} 条"
    )


def _comment(
    rng: random.Random,
    survey: Survey,
    su: SurveyUnit,
    tier: SurveyTier,
    day: date,
    officer: User,
    published: bool,
) -> SurveyComment:
    c = SurveyComment(
        survey=survey,
        survey_unit=su,
        tier_name=tier.name,
        text=rng.choice(COMMENTS),
        submitted_on=day,
    )
    if published or rng.random() < 0.3:
        c.status, c.response_text = "responded", rng.choice(ANSWERS)
        c.responded_by, c.responded_on = officer, day + timedelta(days=10)
    if published:
        c.status, c.closed_by, c.closed_on = "closed", officer, day + timedelta(days=40)
        if rng.random() < 0.6:
            c.rectification_text = "已完成整改并向评议代表反馈"
            c.rectified_on = day + timedelta(days=30)
    return c


# ---- this year ---------------------------------------------------------------------------


class SurveyStatusOpen:
    status = "open"


def _current_year(
    rng: random.Random,
    seed: int,
    root: OrgUnit,
    today: date,
    officer: User,
    log: Callable[[str], None],
) -> None:
    cadres = Cadre.objects.filter(status=CadreStatus.ACTIVE, org_unit__path__startswith=root.path)
    days = {p: today - timedelta(days=10 - i) for i, p in enumerate(rules.PHASES)}
    leaders = _cycle(root, today.year, "leaders", rules.DEMOCRATIC, officer, days)
    enrol(leaders, cadres.filter(is_leader=True))
    rows = list(
        leaders.participants.order_by("id").values_list(
            "id",
            "cadre_id",
            "org_unit_id",
            "quota_unit_id",
            "cadre__name",
            "org_unit__name",
            "title",
            "is_leader",
        )
    )
    grades = _grades(rng, rows)
    days[rules.DEMOCRATIC] = today - timedelta(days=2)
    n = _evaluation(
        rng, seed, leaders, rows, grades, days, online=True, cast_share=0.6, open_now=True
    )
    ordinary = _cycle(root, today.year, "civil_servants", rules.SUMMARIES, officer, days)
    found = list(
        cadres.filter(is_leader=False)
        .order_by("id")
        .values_list("id", "org_unit_id", "current_title")
    )
    now = timezone.now()
    made = []
    for cid, unit, title in found:
        done = rng.random() < 0.6
        made.append(
            Participant(
                cycle=ordinary,
                cadre_id=cid,
                org_unit_id=unit,
                quota_unit_id=unit,
                title=title or "",
                stage="summary_submitted" if done else "enrolled",
                summary="本年度认真履行岗位职责，完成了各项目标任务。" if done else "",
                summary_submitted_at=now if done else None,
            )
        )
    Participant.objects.bulk_create(made, batch_size=BATCH)
    ids = made
    log(
        f"  {today.year}年度：领导干部考核（民主测评中，{n} 场）{len(rows):,} 人，"
        f"公务员考核（个人总结中）{len(ids):,} 人"
    )
    _survey(rng, seed, root, today.year, officer, SurveyStatusOpen(), log)
