"""Democratic evaluation (民主测评): sessions, one-time tokens, ballots, paper tallies, results.

A ballot is cast with a token and nothing else: the token row is found by its keyed hash,
marked used by a conditional UPDATE in the same transaction that writes the ballot rows, and
the ballot rows carry no reference to the token, to a user, an IP address or a user agent.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from cadre.assessments import rules, tokens
from cadre.assessments.models import (
    Ballot,
    Cycle,
    EvaluationSession,
    PaperTally,
    PaperTurnout,
    Participant,
    RaterCategory,
    RaterToken,
    TeamBallot,
)
from cadre.assessments.services.common import AssessmentError, clean_text, refuse_if
from cadre.audit.services import record_event
from cadre.cadres.models import LeadershipTeam
from cadre.core.rulebook import rule_value
from cadre.orgs.models import OrgUnit

MAX_TOKENS = 500
TOKEN_RULE = "一次性匿名测评凭证：每张凭证只能使用一次，凭证与投票人不建立任何关联"  # noqa: S105 (a message)
BAD_TOKEN = "测评凭证无效（请核对凭证上的字符）"  # noqa: S105 (a message)
USED_TOKEN = "该测评凭证已经使用过，不能重复投票"  # noqa: S105 (a message)


def k_min() -> int:
    return int(rule_value(rules.K_ANONYMITY.key))


@transaction.atomic
def create_session(
    *,
    cycle: Cycle,
    by: Any,
    org_unit: OrgUnit,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    rates_team: bool = False,
) -> EvaluationSession:
    from cadre.assessments.services.cycles import require_phase

    require_phase(cycle, rules.PREPARATION, rules.SUMMARIES, rules.DEMOCRATIC, doing="安排民主测评")
    if not org_unit.path.startswith(cycle.scope_unit.path):
        raise AssessmentError("测评单位不在本考核周期的范围内")
    if closes_at <= opens_at:
        raise AssessmentError("测评结束时间须晚于开始时间")
    if not cycle.participants.filter(org_unit=org_unit).exists():
        raise AssessmentError(f"{org_unit.name}在本周期没有考核对象，无需测评")
    if rates_team and not LeadershipTeam.objects.filter(org_unit=org_unit).exists():
        raise AssessmentError(f"{org_unit.name}没有登记领导班子，不能测评班子")
    session = EvaluationSession.objects.create(
        cycle=cycle,
        org_unit=org_unit,
        created_by=by,
        opens_at=opens_at,
        closes_at=closes_at,
        title=clean_text(title, "名称", max_len=100, required=False) or f"{org_unit.name}民主测评",
        rates_team=rates_team,
    )
    record_event(actor=by, action="assessment_session_create", obj=session)
    return session


@transaction.atomic
def issue_tokens(*, session: EvaluationSession, by: Any, category: str, count: int) -> list[str]:
    """New one-time tokens for a rater category, returned once (only hashes are stored)."""
    if category not in RaterCategory.values:
        raise AssessmentError("测评人类别须为上级、同级、下级或服务对象")
    if not 1 <= count <= MAX_TOKENS:
        raise AssessmentError(f"每次发放凭证数量须在1至{MAX_TOKENS}之间")
    if session.closed_at or timezone.now() > session.closes_at:
        raise AssessmentError("测评已结束，不能再发放凭证")
    issued = [tokens.new_token() for _ in range(count)]
    RaterToken.objects.bulk_create(
        [
            RaterToken(session=session, category=category, token_hash=tokens.token_hash(t))
            for t in issued
        ]
    )
    record_event(
        actor=by,
        action="assessment_tokens_issue",
        obj=session,
        detail={"category": category, "count": count},
    )
    return issued


def subjects(session: EvaluationSession) -> Any:
    return Participant.objects.filter(cycle_id=session.cycle_id, org_unit_id=session.org_unit_id)


def token_session(token: str) -> tuple[RaterToken, EvaluationSession]:
    """The session a token belongs to (for showing the ballot); refuses bad or used tokens."""
    row = (
        RaterToken.objects.select_related("session__cycle", "session__org_unit")
        .filter(token_hash=tokens.token_hash(token))
        .first()
        if tokens.well_formed(token)
        else None
    )
    if row is None:
        raise AssessmentError(BAD_TOKEN, TOKEN_RULE)
    if row.used:
        raise AssessmentError(USED_TOKEN, TOKEN_RULE)
    return row, row.session


@transaction.atomic
def cast_ballot(*, token: str, choices: Mapping[int, str], team_choice: str | None = None) -> int:
    """Casts one anonymous ballot. Writes nothing unless every check passes."""
    if not tokens.well_formed(token):
        raise AssessmentError(BAD_TOKEN, TOKEN_RULE)
    row = (
        RaterToken.objects.select_for_update()
        .select_related("session__cycle")
        .filter(token_hash=tokens.token_hash(token))
        .first()
    )
    if row is None:
        raise AssessmentError(BAD_TOKEN, TOKEN_RULE)
    if row.used:
        raise AssessmentError(USED_TOKEN, TOKEN_RULE)
    session = row.session
    now = timezone.localtime()
    closes = (
        session.closed_at
        if session.closed_at and session.closed_at < session.closes_at
        else session.closes_at
    )
    refuse_if(
        rules.ballot_window(
            now,
            timezone.localtime(session.opens_at),
            timezone.localtime(closes),
            session.cycle.phase,
        )
    )
    ids = list(subjects(session).values_list("id", flat=True))
    refuse_if(rules.check_ballot(choices, ids, team_choice, session.rates_team))
    if RaterToken.objects.filter(pk=row.pk, used=False).update(used=True) != 1:
        raise AssessmentError(USED_TOKEN, TOKEN_RULE)  # a concurrent use got there first
    day = now.date()
    Ballot.objects.bulk_create(
        [
            Ballot(
                session=session,
                participant_id=pid,
                category=row.category,
                choice=choice,
                cast_on=day,
            )
            for pid, choice in sorted(choices.items())
        ]
    )
    if session.rates_team:
        assert team_choice is not None  # check_ballot refused a missing team choice
        TeamBallot.objects.create(
            session=session, category=row.category, choice=team_choice, cast_on=day
        )
    # No actor, no request: nothing about the rater reaches the audit log either.
    record_event(
        actor=None, action="assessment_ballot_cast", obj=session, detail={"ballots": len(choices)}
    )
    return len(choices)


@transaction.atomic
def close_session(*, session: EvaluationSession, by: Any) -> EvaluationSession:
    locked = EvaluationSession.objects.select_for_update().get(pk=session.pk)
    if locked.closed_at:
        raise AssessmentError("该测评已经结束")
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at", "updated_at"])
    record_event(actor=by, action="assessment_session_close", obj=locked)
    return locked


# ---- paper ballots ---------------------------------------------------------------------


@transaction.atomic
def record_turnout(
    *, session: EvaluationSession, by: Any, category: str, issued: int, returned: int
) -> PaperTurnout:
    if category not in RaterCategory.values:
        raise AssessmentError("测评人类别须为上级、同级、下级或服务对象")
    refuse_if(rules.check_paper_turnout(issued, returned))
    row, created = PaperTurnout.objects.select_for_update().get_or_create(
        session=session,
        category=category,
        defaults={"issued": issued, "returned": returned, "entered_by": by},
    )
    old = None if created else {"issued": row.issued, "returned": row.returned}
    if not created:
        row.issued, row.returned, row.entered_by = issued, returned, by
        row.save(update_fields=["issued", "returned", "entered_by", "updated_at"])
    record_event(
        actor=by,
        action="assessment_paper_turnout",
        obj=session,
        detail={"category": category, "issued": issued, "returned": returned, "old": old},
    )
    return row


@transaction.atomic
def record_tally(
    *,
    session: EvaluationSession,
    by: Any,
    category: str,
    participant: Participant | None,
    counts: Mapping[str, int],
) -> PaperTally:
    """Paper counts for one cadre (or the team when `participant` is None) and category."""
    choices = rules.TEAM_CHOICES if participant is None else rules.BALLOT_CHOICES
    if participant is None and not session.rates_team:
        raise AssessmentError("本次测评不包括领导班子")
    if participant is not None and not subjects(session).filter(pk=participant.pk).exists():
        raise AssessmentError("该干部不在本次测评名单中")
    clean = {c: int(counts.get(c, 0) or 0) for c in choices}
    turnout = PaperTurnout.objects.filter(session=session, category=category).first()
    refuse_if(rules.check_paper_tally(clean, turnout.returned if turnout else None))
    row = (
        PaperTally.objects.select_for_update()
        .filter(session=session, category=category, participant=participant)
        .first()
    )
    old = row.counts if row else None
    if row is None:
        row = PaperTally.objects.create(
            session=session, category=category, participant=participant, counts=clean, entered_by=by
        )
    else:
        row.counts, row.entered_by = clean, by
        row.save(update_fields=["counts", "entered_by", "updated_at"])
    record_event(
        actor=by,
        action="assessment_paper_tally",
        obj=session,
        detail={
            "participant": participant.pk if participant else None,
            "category": category,
            "counts": clean,
            "old": old,
        },
    )
    return row


# ---- results ---------------------------------------------------------------------------


def tallies(participant_ids: Iterable[int]) -> dict[int, dict[str, dict[str, int]]]:
    """{participant: {category: {choice: n}}} from online ballots and paper tallies."""
    ids = list(participant_ids)
    out: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        rows = (
            Ballot.objects.filter(participant_id__in=chunk)
            .values_list("participant_id", "category", "choice")
            .annotate(n=Count("id"))
            .order_by()
        )
        for pid, cat, choice, n in rows:
            out[pid][cat][choice] = out[pid][cat].get(choice, 0) + n
        for pid, cat, counts in PaperTally.objects.filter(participant_id__in=chunk).values_list(
            "participant_id", "category", "counts"
        ):
            for choice, n in (counts or {}).items():
                out[pid][cat][choice] = out[pid][cat].get(choice, 0) + int(n)
    return out


def views_for(participant_ids: Iterable[int]) -> dict[int, rules.DistributionView]:
    k = k_min()
    return {
        pid: rules.distribution_view(c, k, rules.BALLOT_CHOICES)
        for pid, c in tallies(participant_ids).items()
    }


@dataclass(frozen=True)
class Turnout:
    issued: dict[str, int]
    cast: dict[str, int]


def turnout_by_session(session_ids: Iterable[int]) -> dict[int, Turnout]:
    ids = list(session_ids)
    issued: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    cast: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        RaterToken.objects.filter(session_id__in=ids)
        .values_list("session_id", "category")
        .annotate(n=Count("id"), used=Count("id", filter=Q(used=True)))
        .order_by()
    )
    for sid, cat, n, used in rows:
        issued[sid][cat] += n
        cast[sid][cat] += used
    for sid, cat, i, r in PaperTurnout.objects.filter(session_id__in=ids).values_list(
        "session_id", "category", "issued", "returned"
    ):
        issued[sid][cat] += i
        cast[sid][cat] += r
    return {sid: Turnout(dict(issued[sid]), dict(cast[sid])) for sid in ids}


def sessions_by_unit(cycle: Cycle) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for sid, uid in EvaluationSession.objects.filter(cycle=cycle).values_list("id", "org_unit_id"):
        found[uid].append(sid)
    return found


def turnout_by_participant(cycle: Cycle, participant_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Participation of the sessions covering each participant's unit."""
    by_unit = sessions_by_unit(cycle)
    per_session = turnout_by_session([s for ids in by_unit.values() for s in ids])
    unit_of = (
        dict(Participant.objects.filter(cycle=cycle).values_list("id", "org_unit_id"))
        if participant_ids
        else {}
    )
    out = {}
    for pid in participant_ids:
        issued: dict[str, int] = defaultdict(int)
        cast: dict[str, int] = defaultdict(int)
        for sid in by_unit.get(unit_of.get(pid, 0), []):
            for cat, n in per_session[sid].issued.items():
                issued[cat] += n
            for cat, n in per_session[sid].cast.items():
                cast[cat] += n
        if issued:
            out[pid] = rules.participation(issued, cast)
    return out


def team_view(session: EvaluationSession) -> rules.DistributionView:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for cat, choice, n in (
        TeamBallot.objects.filter(session=session)
        .values_list("category", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[cat][choice] += n
    for cat, c in PaperTally.objects.filter(session=session, participant__isnull=True).values_list(
        "category", "counts"
    ):
        for choice, n in (c or {}).items():
            counts[cat][choice] += int(n)
    return rules.distribution_view(counts, k_min(), rules.TEAM_CHOICES)
