"""The facts of the eligibility rules, gathered set-based for any number of cadres.

A fixed number of queries per chunk of cadres, whatever the count: the registry here, the
other apps' facts through the contracts in providers.py. The caller has scoped the cadres.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from cadre.cadres.models import Appointment, Cadre, CadreStatus
from cadre.core import contracts
from cadre.core.rulebook import rule_values
from cadre.eligibility import providers, rules
from cadre.eligibility.models import Unsuitability, UnsuitabilityStatus
from cadre.orgs.models import Position

CHUNK = 20000  # one parameter per chunk (core.lookups.InIds)
GRASSROOTS_KINDS = frozenset({"township"})  # 乡镇(街道) and their internal bodies
_STATUS = dict(CadreStatus.choices)


def settings() -> rules.Settings:
    """Every setting the rules read, in one query."""
    from cadre.accountability.rules import EXCELLENT_BLOCK_DECISION_YEAR as BLOCK_YEAR

    r = rules
    v = rule_values(
        [
            BLOCK_YEAR.key,
            r.KEY_SECONDMENT_CHECKS.key,
            r.OPEN_CASE_BLOCKS.key,
            r.OPEN_INQUIRY_BLOCKS.key,
            r.MIN_WORK_YEARS.key,
            r.MIN_GRASSROOTS_YEARS.key,
            r.YEARS_DEPUTY_TO_CHIEF.key,
            r.YEARS_CHIEF_TO_UPPER_DEPUTY.key,
            r.MIN_EDUCATION.key,
            r.TRAINING_HOURS.key,
            r.PARTY_YEARS.key,
            r.UNSUITABLE_MONTHS.key,
        ]
    )
    return rules.Settings(
        block_decision_year=bool(v[BLOCK_YEAR.key]),
        key_secondment_checks=bool(v[r.KEY_SECONDMENT_CHECKS.key]),
        open_case_blocks=bool(v[r.OPEN_CASE_BLOCKS.key]),
        open_inquiry_blocks=bool(v[r.OPEN_INQUIRY_BLOCKS.key]),
        min_work_years=int(v[r.MIN_WORK_YEARS.key]),
        min_grassroots_years=int(v[r.MIN_GRASSROOTS_YEARS.key]),
        years_deputy_to_chief=int(v[r.YEARS_DEPUTY_TO_CHIEF.key]),
        years_chief_to_upper_deputy=int(v[r.YEARS_CHIEF_TO_UPPER_DEPUTY.key]),
        min_education=dict(v[r.MIN_EDUCATION.key]),
        training_hours=int(v[r.TRAINING_HOURS.key]),
        party_years=int(v[r.PARTY_YEARS.key]),
        unsuitable_months=dict(v[r.UNSUITABLE_MONTHS.key]),
    )


def target_of(position_id: int) -> rules.Target:
    p = Position.objects.get(pk=position_id)
    return rules.Target(p.is_leadership, p.leadership_level, p.party_post, p.title)


def _people(ids: list[int], on: date) -> dict[int, rules.Person]:
    rows = Cadre.objects.filter(pk__in_ids=set(ids)).values_list(
        "id",
        "status",
        "birth_date",
        "joined_work_on",
        "education",
        "political_status",
        "joined_party_on",
        "leadership_level",
    )
    stints: dict[int, list[tuple[date, date | None, str, str, str]]] = defaultdict(list)
    for cid, start, end, level, kind, parent_kind in (
        Appointment.objects.filter(cadre_id__in_ids=set(ids), is_primary=True, started_on__lte=on)
        .order_by("cadre_id", "started_on")
        .values_list(
            "cadre_id",
            "started_on",
            "ended_on",
            "position__leadership_level",
            "position__org_unit__kind",
            "position__org_unit__parent__kind",
        )
    ):
        stints[cid].append((start, end, level or "", kind, parent_kind or ""))
    people = {}
    for cid, status, birth, joined, edu, political, party, level in rows:
        posts = stints.get(cid, [])
        people[cid] = rules.Person(
            status=status,
            status_label=str(_STATUS.get(status, status)),
            birth_date=birth,
            joined_work_on=joined,
            education=edu,
            political_status=political,
            joined_party_on=party,
            leadership_level=level or "",
            level_since=_level_since(posts, level or ""),
            grassroots_days=sum(
                ((min(end or on, on) - start).days + 1)
                for start, end, _, kind, parent in posts
                if kind in GRASSROOTS_KINDS or parent in GRASSROOTS_KINDS
            ),
        )
    return people


def _level_since(
    posts: Sequence[tuple[date, date | None, str, str, str]], level: str
) -> date | None:
    """Start of the continuous run of posts at the current leadership level."""
    since = None
    for start, _end, lvl, _k, _p in reversed(posts):
        if lvl != level:
            break
        since = start
    return since if level else None


def _unsuitability(ids: list[int]) -> dict[int, list[rules.Unsuitability]]:
    found: dict[int, list[rules.Unsuitability]] = defaultdict(list)
    for cid, determined, decision, effective in (
        Unsuitability.objects.filter(cadre_id__in_ids=set(ids))
        .exclude(status=UnsuitabilityStatus.WITHDRAWN)
        .values_list("cadre_id", "determined_on", "decision", "effective_on")
    ):
        found[cid].append(rules.Unsuitability(determined, decision, effective))
    return found


def _probation(ids: list[int], on: date) -> dict[int, date]:
    return dict(
        Appointment.objects.filter(
            cadre_id__in_ids=set(ids), probation_until__gte=on, started_on__lte=on
        ).values_list("cadre_id", "probation_until")
    )


def _training(ids: list[int], on: date) -> dict[int, Decimal]:
    """Hours of the five calendar years up to the day's year (第七条(五))."""
    training = contracts.get(providers.TRAINING)
    total: dict[int, Decimal] = defaultdict(Decimal)
    for year in range(on.year - 4, on.year + 1):
        for cid, hours in training.hours(ids, year).items():
            total[cid] += Decimal(hours or 0)
    return total


def facts(
    cadre_ids: Sequence[int], on: date, position_id: int | None = None
) -> dict[int, rules.Facts]:
    ids_all = sorted(set(cadre_ids))
    out: dict[int, rules.Facts] = {}
    for start in range(0, len(ids_all), CHUNK):
        ids = ids_all[start : start + CHUNK]
        people = _people(ids, on)
        measures = contracts.get(providers.MEASURES)(ids, on)
        grades = contracts.get(providers.ANNUAL_GRADES)(ids, [on.year - 2, on.year - 1])
        cases = contracts.get(providers.OPEN_CASES)(ids, on)
        inquiries = contracts.get(providers.OPEN_INQUIRIES)(ids, on)
        unsuitable = _unsuitability(ids)
        probation = _probation(ids, on)
        training: dict[int, Decimal] = {}
        avoidance: dict[int, list[str]] = {}
        if position_id is not None:
            training = _training(ids, on)
            avoidance = dict(contracts.get(providers.AVOIDANCE)(ids, position_id))
        for cid in ids:
            if cid not in people:
                continue
            out[cid] = rules.Facts(
                person=people[cid],
                measures=tuple(measures.get(cid, ())),
                grades=dict(grades.get(cid, {})),
                open_case_since=cases.get(cid),
                open_inquiry_since=inquiries.get(cid),
                probation_until=probation.get(cid),
                unsuitability=tuple(unsuitable.get(cid, ())),
                training_hours=training.get(cid, Decimal(0)),
                avoidance=tuple(avoidance.get(cid, ())),
            )
    return out
