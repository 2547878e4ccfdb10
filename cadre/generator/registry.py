"""Writes the synthetic registry: units, positions, teams, cadres and their records.

Everything is set-based: units are inserted level by level with `bulk_create` and their
materialized paths ("/1/7/42/", as in orgs.services) filled by one UPDATE per level;
cadres, appointments, rank records and team memberships go in with `bulk_create` in
batches, area by area. No query runs per cadre, and no per-cadre service is called: the
denormalised columns on Cadre are computed from the plan and written with the row.

No simple-history rows are written for generated data. History records changes made by
people; generated rows are base data, not changes, and writing a historical twin of each
of a province's million rows would double the generation time for nothing. The first
real edit of a record starts its history as usual.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat

from cadre.cadres import rules
from cadre.cadres.models import (
    Appointment,
    Cadre,
    LeadershipTeam,
    RankRecord,
    TeamMembership,
)
from cadre.generator.careers import Person, Planner
from cadre.generator.scales import SCALES
from cadre.generator.tree import TreePlan, build_tree
from cadre.orgs.models import OrgUnit, Position

BATCH = 2000
PROGRESS_EVERY = 5000  # cadres between two progress lines


@dataclass
class Counts:
    units: int = 0
    positions: int = 0
    teams: int = 0
    cadres: int = 0
    appointments: int = 0
    ranks: int = 0
    memberships: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class _Ids:
    units: dict[int, int] = field(default_factory=dict)
    positions: dict[int, int] = field(default_factory=dict)
    teams: dict[int, int] = field(default_factory=dict)


@transaction.atomic
def generate_registry(*, scale: str, seed: int, log: Callable[[str], None]) -> Counts:
    spec = SCALES[scale]
    counts, ids = Counts(), _Ids()
    started = time.monotonic()
    tree = build_tree(spec, seed)
    _write_units(tree, ids, counts)
    _write_positions(tree, ids, counts)
    _write_teams(tree, ids, counts)
    counts.seconds["单位与职位"] = time.monotonic() - started
    log(f"  单位 {counts.units:,} 个，职位 {counts.positions:,} 个，领导班子 {counts.teams:,} 个")
    started = time.monotonic()
    planner = Planner(tree, scale, seed)
    people = planner.seats()
    log(f"  在岗干部 {len(people):,} 人（空缺职数 {spec.cadres - len(people):,}）")
    shown = 0
    for area, members in planner.chunks(people):
        _write_people(tree, ids, members, counts)
        if counts.cadres - shown >= PROGRESS_EVERY or counts.cadres == len(people):
            shown = counts.cadres
            log(
                f"  … {tree.units[area].name} 完成，累计干部 {counts.cadres:,}/{len(people):,}，"
                f"任职 {counts.appointments:,}，职级 {counts.ranks:,}"
            )
    counts.seconds["干部与履历"] = time.monotonic() - started
    return counts


def _write_units(tree: TreePlan, ids: _Ids, counts: Counts) -> None:
    by_depth: dict[int, list[Any]] = {}
    for unit in tree.units:
        by_depth.setdefault(unit.depth, []).append(unit)
    for depth in sorted(by_depth):
        plans = by_depth[depth]
        rows = [
            OrgUnit(
                name=u.name,
                kind=u.kind,
                region_code=u.region_code,
                path="",
                depth=depth,
                parent_id=ids.units[u.parent] if u.parent is not None else None,
                sort_order=u.sort_order,
            )
            for u in plans
        ]
        OrgUnit.objects.bulk_create(rows, batch_size=BATCH)
        for plan, row in zip(plans, rows, strict=True):
            ids.units[plan.idx] = row.pk
        own = Cast("id", output_field=CharField())
        if depth == 0:
            path: Any = Concat(Value("/"), own, Value("/"))
        else:
            parent_path = OrgUnit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
            path = Concat(Subquery(parent_path), own, Value("/"))
        OrgUnit.objects.filter(depth=depth, path="").update(path=path)
        counts.units += len(rows)


def _write_positions(tree: TreePlan, ids: _Ids, counts: Counts) -> None:
    rows = [
        Position(
            org_unit_id=ids.units[p.unit],
            title=p.title,
            is_leadership=p.is_leadership,
            leadership_level=p.leadership_level,
            work_field=p.field,
            is_key_post=p.is_key_post,
            headcount=p.headcount,
        )
        for p in tree.positions
    ]
    Position.objects.bulk_create(rows, batch_size=BATCH)
    for plan, row in zip(tree.positions, rows, strict=True):
        ids.positions[plan.idx] = row.pk
    counts.positions = len(rows)


def _write_teams(tree: TreePlan, ids: _Ids, counts: Counts) -> None:
    plans = [u for u in tree.units if u.has_team]
    rows = [LeadershipTeam(org_unit_id=ids.units[u.idx], name=f"{u.name}领导班子") for u in plans]
    LeadershipTeam.objects.bulk_create(rows, batch_size=BATCH)
    for plan, row in zip(plans, rows, strict=True):
        ids.teams[plan.idx] = row.pk
    counts.teams = len(rows)


def _write_people(tree: TreePlan, ids: _Ids, people: list[Person], counts: Counts) -> None:
    key = settings.ID_HASH_KEY
    cadres = []
    for p in people:
        pos = tree.positions[p.position]
        cadres.append(
            Cadre(
                name=p.name,
                gender=p.gender,
                birth_date=p.birth_date,
                ethnicity=p.ethnicity,
                education=p.education,
                specialty=p.specialty,
                political_status=p.political,
                joined_party_on=p.joined_party_on,
                joined_work_on=p.joined_work_on,
                id_hash=rules.hash_id_number(p.id_number, key),
                id_masked=rules.mask_id_number(p.id_number),
                org_unit_id=ids.units[pos.unit],
                current_title=pos.title,
                current_post_since=p.since,
                is_leader=pos.is_leadership,
                leadership_level=pos.leadership_level,
                rank=p.ranks[-1][0] if p.ranks else "",
            )
        )
    Cadre.objects.bulk_create(cadres, batch_size=BATCH)
    appointments, ranks, members = [], [], []
    for p, cadre in zip(people, cadres, strict=True):
        for s in p.stints:
            appointments.append(
                Appointment(
                    cadre_id=cadre.pk,
                    position_id=ids.positions[s.position],
                    started_on=s.started,
                    ended_on=s.ended,
                    how=s.how,
                    home_unit_id=ids.units[s.home_unit],
                    is_primary=s.primary,
                    note="" if s.primary else "挂职锻炼",
                )
            )
            pos = tree.positions[s.position]
            if s.primary and pos.team_role and pos.unit in ids.teams:
                members.append(
                    TeamMembership(
                        team_id=ids.teams[pos.unit],
                        cadre_id=cadre.pk,
                        role=pos.team_role,
                        started_on=s.started,
                        ended_on=s.ended,
                    )
                )
        ranks += [
            RankRecord(cadre_id=cadre.pk, rank=r, started_on=a, ended_on=b, basis=basis)
            for r, a, b, basis in p.ranks
        ]
    Appointment.objects.bulk_create(appointments, batch_size=BATCH)
    RankRecord.objects.bulk_create(ranks, batch_size=BATCH)
    TeamMembership.objects.bulk_create(members, batch_size=BATCH)
    counts.cadres += len(cadres)
    counts.appointments += len(appointments)
    counts.ranks += len(ranks)
    counts.memberships += len(members)


def registry_digest() -> str:
    """A fingerprint of the registry that ignores database ids: equal for equal data."""
    paths = dict(OrgUnit.objects.values_list("id", "path"))
    unit_names = dict(OrgUnit.objects.values_list("id", "name"))

    def where(unit_id: int) -> str:
        return "/".join(unit_names[int(i)] for i in paths[unit_id].strip("/").split("/"))

    h = hashlib.sha256()

    def feed(label: str, rows: Any) -> None:
        for row in sorted(tuple(str(v) for v in r) for r in rows):
            h.update(("|".join((label, *row)) + "\n").encode())

    feed(
        "unit",
        (
            (where(i), k, c, s)
            for i, k, c, s in OrgUnit.objects.values_list("id", "kind", "region_code", "sort_order")
        ),
    )
    feed(
        "post",
        (
            (where(u), *rest)
            for u, *rest in Position.objects.values_list(
                "org_unit_id",
                "title",
                "is_leadership",
                "leadership_level",
                "work_field",
                "is_key_post",
                "headcount",
            )
        ),
    )
    fields = [
        "name",
        "gender",
        "birth_date",
        "ethnicity",
        "education",
        "specialty",
        "political_status",
        "joined_party_on",
        "joined_work_on",
        "id_masked",
        "current_title",
        "current_post_since",
        "is_leader",
        "leadership_level",
        "rank",
        "status",
        "status_since",
    ]
    feed(
        "cadre",
        (
            (h_, where(u), *rest)
            for h_, u, *rest in Cadre.objects.values_list("id_hash", "org_unit_id", *fields)
        ),
    )
    feed(
        "appt",
        (
            (c, where(u), t, a, b, how, where(home), prim)
            for c, u, t, a, b, how, home, prim in Appointment.objects.values_list(
                "cadre__id_hash",
                "position__org_unit_id",
                "position__title",
                "started_on",
                "ended_on",
                "how",
                "home_unit_id",
                "is_primary",
            )
        ),
    )
    feed(
        "rank",
        RankRecord.objects.values_list("cadre__id_hash", "rank", "started_on", "ended_on", "basis"),
    )
    feed(
        "member",
        (
            (where(u), *rest)
            for u, *rest in TeamMembership.objects.values_list(
                "team__org_unit_id", "cadre__id_hash", "role", "started_on", "ended_on"
            )
        ),
    )
    return h.hexdigest()
