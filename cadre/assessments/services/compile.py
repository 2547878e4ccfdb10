"""The evidence compilation job: every participant of a cycle, set-based.

A handful of queries per source for the whole cycle (sources.gather), the cycle's own
tallies in a few aggregate queries, then one JSON snapshot per participant written with
bulk_update in batches. The same gathering gives the facts the proposal and decision rules
check, so a check always sees what the panel shows.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from cadre.assessments import evidence, rules, sources
from cadre.assessments.models import Cycle, EvidenceSnapshot, Participant
from cadre.assessments.services import evaluation, survey, units
from cadre.audit.services import record_event
from cadre.core.rulebook import rule_value

BATCH = 1000
FIELDS = (
    "id",
    "cadre_id",
    "org_unit_id",
    "org_unit__name",
    "is_leader",
    "stage",
    "cadre__joined_work_on",
    "under_investigation",
    "leave_days",
)


@dataclass(frozen=True)
class Checked:
    """What the rules know about one participant now. `blocks` are every reason against 优秀:
    the eligibility answer's (on the decision day) first, then the assessment rules' own that
    the answer does not already state (`rule_blocks`)."""

    facts: rules.CadreFacts
    ungraded: str | None
    blocks: list[rules.Violation]
    view: rules.DistributionView | None
    answer: Mapping[str, Any] | None = None  # the eligibility answer (JSON) on the decision day
    rule_blocks: list[rules.Violation] = field(default_factory=list)


def _subject(row: dict[str, Any], year: int) -> evidence.Subject:
    joined = row["cadre__joined_work_on"]
    # Probation is the first year after entering the civil service; joined_work_on stands
    # in for the entry date (公务员法 第三十四条).
    return evidence.Subject(
        row["id"],
        row["cadre_id"],
        row["org_unit_id"],
        row["org_unit__name"],
        row["is_leader"],
        joined if joined and joined.year >= year - 1 else None,
        row["under_investigation"],
        row["leave_days"],
    )


def _previous(cadre_ids: list[int], year: int) -> dict[int, list[tuple[int, str | None]]]:
    from cadre.assessments.results import grade_history

    history = grade_history(cadre_ids)
    return {cid: [(y, g) for y, g in rows if y < year] for cid, rows in history.items()}


def check_many(
    cycle: Cycle,
    rows: list[dict[str, Any]],
    gathered: sources.Gathered | None = None,
    previous: dict[int, list[tuple[int, str | None]]] | None = None,
) -> dict[int, Checked]:
    """The rules' view of each participant (set-based; used by proposals and decisions)."""
    subjects = [_subject(r, cycle.year) for r in rows]
    ids = [s.cadre_id for s in subjects]
    g = gathered or sources.gather(ids, cycle.year, decision_day(cycle))
    previous = previous if previous is not None else _previous(ids, cycle.year)
    views = evaluation.views_for([s.participant_id for s in subjects])
    blocking = rule_value(rules.MEASURES_BLOCK_EXCELLENT.key)
    link = bool(rule_value(rules.ROUTINE_LINK_RULE.key))
    probation = bool(rule_value(rules.PROBATION_UNGRADED.key))
    leave = int(rule_value(rules.LONG_LEAVE_UNGRADED_DAYS.key))
    out = {}
    for s in subjects:
        facts = evidence.facts_for(s, g, cycle.year, previous.get(s.cadre_id, []))
        answered = evidence.answered_categories(g, s.cadre_id)
        own = rules.excellent_blocks(
            replace(
                facts,
                measures_in_force=tuple(c for c in facts.measures_in_force if c not in answered),
            ),
            blocking_categories=blocking,
            routine_link=link,
        )
        blocks = evidence.accountability_blocks(g, s.cadre_id)
        own = [b for b in own if (b.rule, b.source) not in {(x.rule, x.source) for x in blocks}]
        out[s.participant_id] = Checked(
            facts,
            rules.ungraded_reason(facts, probation_ungraded=probation, leave_limit_days=leave),
            blocks + own,
            views.get(s.participant_id),
            g.eligibility.data.get(s.cadre_id),
            own,
        )
    return out


def check_one(participant: Participant) -> Checked:
    row = Participant.objects.filter(pk=participant.pk).values(*FIELDS).get()
    return check_many(participant.cycle, [row])[participant.pk]


def decision_day(cycle: Cycle) -> date:
    """The day the 优秀 question of the cycle is asked (cadre.cadres.decisions): the year's
    last day, as the decision path enforces it — also while the year still runs, so that the
    proposal page says what the decision will check."""
    return date(cycle.year, 12, 31)


@dataclass(frozen=True)
class Live:
    """A participant's panel as the proposal pages show it: the compiled snapshot with the
    accountability items (measures, exemptions) read again, the ungraded reason and the
    reasons against 优秀 as they stand now — the same live answer as on the cadre page."""

    day: date
    answer: Mapping[str, Any] | None
    items: list[dict[str, Any]]
    ungraded: str | None
    rule_blocks: list[rules.Violation]
    blocks: list[rules.Violation]  # every reason against 优秀 (the answer's, then rule_blocks)


LIVE_ITEMS = ("measures", "exemptions")


def live_many(cycle: Cycle, participants: Iterable[Participant]) -> dict[int, Live]:
    """Set-based, for the participants of one page (one gathering for all of them)."""
    found = {p.pk: p for p in participants}
    if not found:
        return {}
    rows = list(Participant.objects.filter(pk__in=list(found)).values(*FIELDS))
    day = decision_day(cycle)
    g = sources.gather([r["cadre_id"] for r in rows], cycle.year, day)
    checked = check_many(cycle, rows, g)
    out = {}
    for r in rows:
        p, c, cid = found[r["id"]], checked[r["id"]], r["cadre_id"]
        fresh = {
            "measures": evidence.measures_item(g.measures, cid),
            "exemptions": evidence.exemptions_item(g.measures, cid),
        }
        items = [fresh.get(i.get("key"), i) for i in p.evidence.get("items", [])]
        out[p.pk] = Live(day, c.answer, items, c.ungraded, c.rule_blocks, c.blocks)
    return out


@transaction.atomic
def compile_evidence(*, cycle: Cycle, by: Any) -> int:
    """Compiles and stores the evidence snapshot of every participant of the cycle."""
    from cadre.assessments.services.cycles import require_phase

    require_phase(cycle, rules.EVIDENCE, rules.PROPOSAL, doing="汇集实绩证据")
    rows = list(cycle.participants.values(*FIELDS))
    ids = [r["cadre_id"] for r in rows]
    g = sources.gather(ids, cycle.year, decision_day(cycle))
    previous = _previous(ids, cycle.year)
    checked = check_many(cycle, rows, g, previous)
    pids = [r["id"] for r in rows]
    turnout = evaluation.turnout_by_participant(cycle, pids)
    sessions = evaluation.sessions_by_unit(cycle)
    unit_results = survey.unit_results_for_year(
        cycle.year, {r["org_unit_id"] for r in rows if r["is_leader"]}
    )
    units.compute_unit_results(cycle=cycle, by=by)  # the 一把手's unit (team) results, fresh
    headed = units.results_for_heads(cycle, ids)
    now = timezone.now()
    batch: list[tuple[int, dict[str, Any], str]] = []
    for r in rows:
        s = _subject(r, cycle.year)
        c = checked[s.participant_id]
        items = evidence.panel(
            s,
            g,
            view=c.view,
            turnout=turnout.get(s.participant_id),
            sessions=sessions.get(s.unit_id, []),
            survey=unit_results.get(s.unit_id),
            previous=previous.get(s.cadre_id, []),
            headed=headed.get(s.cadre_id, []),
            cycle_id=cycle.pk,
        )
        snapshot = {
            "compiled_at": now.isoformat(),
            "year": cycle.year,
            "items": items,
            "ungraded": c.ungraded,
            "excellent_blocks": [{"rule": b.rule, "source": b.source} for b in c.blocks],
        }
        batch.append(
            (s.participant_id, snapshot, rules.later_stage(r["stage"], "evidence_compiled"))
        )
    _write(batch, now)
    Cycle.objects.filter(pk=cycle.pk).update(evidence_compiled_at=now)
    cycle.evidence_compiled_at = now
    sources_read = [k for k in g.__dataclass_fields__ if getattr(g, k) is not None]
    record_event(
        actor=by,
        action="assessment_evidence_compiled",
        obj=cycle,
        detail={"participants": len(batch), "sources": sources_read},
    )
    return len(batch)


def _write(rows: list[tuple[int, dict[str, Any], str]], now: Any) -> None:
    """Writes the snapshots and the participants' stage in batches of parameterised SQL.
    Django's bulk_update builds a CASE expression per row and field, far too slow for 20,000
    JSON snapshots. An upsert into the snapshot table, then one UPDATE ... FROM (VALUES ...)
    per batch for the participants (executemany on SQLite). Values are always parameters
    (the JSON through json.dumps), never formatted into the SQL."""
    snap_table = connection.ops.quote_name(EvidenceSnapshot._meta.db_table)
    table = connection.ops.quote_name(Participant._meta.db_table)
    stamp = Participant._meta.get_field("evidence_compiled_at").get_db_prep_save(now, connection)
    pg = connection.vendor == "postgresql"
    cast = "::jsonb" if pg else ""
    size = BATCH if pg else 300  # SQLite: stay far below its bound-parameter limit
    with connection.cursor() as cur:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            values = ", ".join([f"(%s, %s, %s{cast})"] * len(chunk))
            params: list[Any] = []
            for pid, snapshot, _ in chunk:
                params += [pid, stamp, json.dumps(snapshot, ensure_ascii=False)]
            cur.execute(
                f"INSERT INTO {snap_table} (participant_id, compiled_at, data) "  # noqa: S608
                f"VALUES {values} ON CONFLICT (participant_id) DO UPDATE SET "
                "compiled_at = excluded.compiled_at, data = excluded.data",
                params,
            )
            if pg:
                pairs = ", ".join(["(%s, %s)"] * len(chunk))
                flat: list[Any] = [stamp, stamp]
                for pid, _, stage in chunk:
                    flat += [pid, stage]
                cur.execute(
                    f"UPDATE {table} AS p SET evidence_compiled_at = %s, "  # noqa: S608
                    f"stage = v.stage, updated_at = %s FROM (VALUES {pairs}) AS v(id, stage) "
                    "WHERE p.id = v.id",
                    flat,
                )
            else:
                cur.executemany(
                    f"UPDATE {table} SET evidence_compiled_at = %s, stage = %s, "  # noqa: S608
                    "updated_at = %s WHERE id = %s",
                    [(stamp, stage, stamp, pid) for pid, _, stage in chunk],
                )


def by_unit(rows: Iterable[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        grouped[r["org_unit_id"]].append(r)
    return grouped


def ratio(key: str) -> Decimal:
    return Decimal(str(rule_value(key)))
