"""Synthetic cadres with careers, rank steps and ID numbers, planned in memory.

Phase one decides every seat's holder (age, education, start of the current post) for the
whole tree, so that phase two can draw earlier posts without putting two people in one
leadership post at the same time. Phase two runs area by area (one county, city or
province at a time) so that a province's 200,000 careers never sit in memory at once.
"""

import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from cadre.cadres.rules import id_check_char
from cadre.generator import AS_OF, names
from cadre.generator.tree import PositionPlan, TreePlan

# The 职级 ladder, lowest first (公务员法 第十九条), and the minimum years in the rank below
# before each step (公务员职务与职级并行规定 2019 as quoted in DOMAIN.md 5, tag V3).
RANKS = (
    "level2_clerk",
    "level1_clerk",
    "level4_principal_clerk",
    "level3_principal_clerk",
    "level2_principal_clerk",
    "level1_principal_clerk",
    "level4_researcher",
    "level3_researcher",
    "level2_researcher",
    "level1_researcher",
    "level2_inspector",
    "level1_inspector",
)
MIN_YEARS = (0, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4, 4)
# First rank after the probation year, by education (common practice, not a cited rule).
FIRST_RANK = {"secondary": 0, "college": 0, "bachelor": 1, "master": 2, "doctor": 4}
# Ranks usually held alongside each leadership grade (领导职务与职级的对应).
LEADER_RANKS = {1: (3, 5), 2: (2, 4), 3: (4, 5), 4: (6, 7), 5: (8, 9), 6: (10, 10), 7: (11, 11)}
STAFF_RANK_CEILING = {"county": 6, "city": 7, "province": 8}

AGE_RANGE = {
    0: (23, 59),
    1: (28, 58),
    2: (29, 56),
    3: (33, 57),
    4: (37, 57),
    5: (42, 58),
    6: (45, 58),
    7: (48, 59),
    8: (52, 60),
    9: (56, 60),
}
JOIN_AGE = {"secondary": 18, "college": 20, "bachelor": 22, "master": 25, "doctor": 28}
EDUCATION = {  # shares by tier, per mille
    "county": (
        ("doctor", 5),
        ("master", 120),
        ("bachelor", 750),
        ("college", 110),
        ("secondary", 15),
    ),
    "city": (("doctor", 20), ("master", 250), ("bachelor", 680), ("college", 50)),
    "province": (("doctor", 60), ("master", 400), ("bachelor", 520), ("college", 20)),
}
YEAR = 365
# Earlier posts before the current one (so 2 to 6 appointments in all); seniors get more.
N_PRIOR = (("1", 25), ("2", 32), ("3", 25), ("4", 12), ("5", 6))


def _weighted(rng: random.Random, items: tuple[tuple[str, float], ...]) -> str:
    cum = list(accumulate(w for _, w in items))
    return items[bisect(cum, rng.random() * cum[-1])][0]


@dataclass(slots=True)
class Stint:
    position: int
    started: date
    ended: date | None
    how: str
    home_unit: int
    primary: bool = True


@dataclass(slots=True)
class Person:
    position: int  # the primary post held now
    gender: str
    education: str
    birth_date: date
    joined_work_on: date
    since: date
    n_prior: int
    name: str = ""
    ethnicity: str = ""
    specialty: str = ""
    political: str = ""
    joined_party_on: date | None = None
    id_number: str = ""
    stints: list[Stint] = field(default_factory=list)
    ranks: list[tuple[str, date, date | None, str]] = field(default_factory=list)


class Planner:
    def __init__(self, tree: TreePlan, scale: str, seed: int) -> None:
        self.tree = tree
        self.rng = random.Random(f"people:{scale}:{seed}")
        self.busy: dict[int, list[tuple[int, int]]] = {}
        self.ids: set[str] = set()
        self.pools: dict[tuple[object, ...], list[int]] = {}
        self._index()

    # --- pools of posts to draw earlier careers from --------------------------------
    def _index(self) -> None:
        units = self.tree.units
        self.area_parent: dict[int, int | None] = {}
        self.area_children: dict[int, list[int]] = {}
        for u in units:
            if u.area == u.idx:
                up = units[u.parent].area if u.parent is not None else None
                self.area_parent[u.idx] = up
                if up is not None:
                    self.area_children.setdefault(up, []).append(u.idx)
        for p in self.tree.positions:
            u = units[p.unit]
            for key in (
                ("o", u.organ, p.grade),
                ("f", u.area, u.civil_service, p.grade, p.field),
                ("a", u.area, u.civil_service, p.grade),
            ):
                self.pools.setdefault(key, []).append(p.idx)
        self.codes_by_prefix: dict[str, list[str]] = {}
        for code in self.tree.county_codes:
            for prefix in (code[:2], code[:4]):
                self.codes_by_prefix.setdefault(prefix, []).append(code)

    def _free(self, pos: PositionPlan, start: int, end: int) -> bool:
        if pos.staff:
            return True
        taken = sum(1 for a, b in self.busy.get(pos.idx, ()) if a < end and start < b)
        return taken < pos.headcount

    def _take(self, pos: PositionPlan, start: int, end: int) -> None:
        if not pos.staff:
            self.busy.setdefault(pos.idx, []).append((start, end))

    # --- phase one: who holds each seat now ----------------------------------------
    def seats(self) -> list[Person]:
        rng, people = self.rng, []
        for pos in self.tree.positions:
            for _ in range(pos.seats):
                vacant = pos.is_leadership and pos.team_role != "head" and rng.random() < 0.04
                if vacant:
                    continue
                person = self._holder(pos)
                self._take(pos, person.since.toordinal(), 10**7)
                people.append(person)
        return people

    def _holder(self, pos: PositionPlan) -> Person:
        rng = self.rng
        unit = self.tree.units[pos.unit]
        g = pos.grade
        female = {0: 0.46, 1: 0.38, 2: 0.27, 3: 0.2}.get(g, 0.14)
        gender = "F" if rng.random() < female else "M"
        education = _weighted(rng, EDUCATION[unit.tier])
        lo, hi = AGE_RANGE[g]
        lo = max(lo, JOIN_AGE[education] + 3)
        age = int(rng.triangular(lo, hi + 0.999, lo + (hi - lo) * (0.35 if g == 0 else 0.6)))
        birth = AS_OF - timedelta(days=int(age * 365.25) + rng.randrange(365))
        join_year = birth.year + JOIN_AGE[education] + (rng.random() < 0.3)
        joined = date(join_year, rng.choice((7, 8, 9)), rng.randint(1, 28))
        career = (AS_OF - joined).days
        n_prior = int(_weighted(rng, N_PRIOR)) + g // 3
        n_prior = max(1, min(5, n_prior, (career - 60) // YEAR))
        r = rng.random()
        tenure = (
            rng.uniform(10, 16)
            if r < 0.04
            else rng.uniform(5, 10)
            if r < 0.16
            else rng.uniform(0.15, 5)
        ) * YEAR
        tenure = int(min(tenure, career - n_prior * YEAR - 1))
        since = AS_OF - timedelta(days=max(tenure, 30))
        return Person(
            position=pos.idx,
            gender=gender,
            education=education,
            birth_date=birth,
            joined_work_on=joined,
            since=since,
            n_prior=n_prior,
        )

    # --- phase two: careers, area by area ------------------------------------------
    def chunks(self, people: list[Person]) -> Iterator[tuple[int, list[Person]]]:
        by_area: dict[int, list[Person]] = {}
        for person in people:
            area = self.tree.units[self.tree.positions[person.position].unit].area
            by_area.setdefault(area, []).append(person)
        for area, members in by_area.items():
            for person in members:
                self._career(person)
            yield area, members
            for person in members:  # free memory: the writer has stored them
                person.stints, person.ranks = [], []

    def _career(self, p: Person) -> None:
        rng = self.rng
        tree = self.tree
        pos = tree.positions[p.position]
        unit = tree.units[pos.unit]
        p.name = names.person_name(rng, p.gender)
        p.ethnicity = names.ethnicity(rng)
        p.political, p.joined_party_on = self._politics(p, pos)
        p.id_number = self._id_number(p, unit.region_code, unit.tier)
        single_track = rng.random() < 0.3
        prior = self._prior_stints(p, pos, single_track)
        first_field = tree.positions[prior[0].position].field if prior else pos.field
        p.specialty = names.specialty(rng, first_field)
        last = prior[-1] if prior else None
        p.stints = [*prior, Stint(pos.idx, p.since, None, self._how(last, pos), pos.unit)]
        self._secondments(p, pos)
        if unit.civil_service and pos.grade <= 7:
            p.ranks = self._ranks(p, pos.grade, unit.tier)

    def _politics(self, p: Person, pos: PositionPlan) -> tuple[str, date | None]:
        rng = self.rng
        if pos.team_role == "head":
            kind = "cpc"
        elif pos.is_leadership:
            kind = _weighted(rng, (("cpc", 950), ("democratic", 40), ("none", 10)))
        else:
            kind = _weighted(
                rng, (("cpc", 780), ("cpc_probation", 15), ("democratic", 35), ("none", 170))
            )
        if kind == "cpc":
            lo = max(
                p.birth_date.replace(year=p.birth_date.year + 18, day=1),
                p.joined_work_on - timedelta(days=4 * YEAR),
            )
            hi = min(AS_OF - timedelta(days=YEAR), p.joined_work_on + timedelta(days=10 * YEAR))
            return kind, lo + timedelta(days=rng.randrange(max((hi - lo).days, 1)))
        if kind == "cpc_probation":
            return kind, AS_OF - timedelta(days=rng.randrange(30, 360))
        return kind, None

    def _id_number(self, p: Person, region: str, tier: str) -> str:
        rng = self.rng
        if tier != "county" or rng.random() < 0.2:
            pool = self.codes_by_prefix.get(region[:4] if tier == "city" else "33", [])
            if rng.random() < 0.2 or not pool:
                county = rng.choice((2, 3, 4, 21, 22, 23, 81, 82))
                region = f"33{rng.randint(1, 11):02d}{county:02d}"
            else:
                region = rng.choice(pool)
        while True:
            odd = rng.randrange(5) * 2 + (1 if p.gender == "M" else 0)
            first17 = f"{region}{p.birth_date:%Y%m%d}{rng.randrange(100):02d}{odd}"
            value = first17 + id_check_char(first17)
            if value not in self.ids:
                self.ids.add(value)
                return value

    def _prior_stints(self, p: Person, pos: PositionPlan, single_track: bool) -> list[Stint]:
        rng = self.rng
        n = p.n_prior
        span = (p.since - p.joined_work_on).days - n * YEAR
        weights = [rng.random() + 0.2 for _ in range(n)]
        total = sum(weights)
        starts, day = [], p.joined_work_on
        for w in weights:
            starts.append(day)
            day = day + timedelta(days=YEAR + int(span * w / total))
        bounds = [*starts, p.since]
        stints: list[Stint] = []
        nxt = pos
        for i in range(n - 1, -1, -1):
            grade = round(pos.grade * i / n) if pos.grade else 0
            start, end = bounds[i], bounds[i + 1]
            chosen = self._pick(pos, nxt, grade, single_track, start.toordinal(), end.toordinal())
            self._take(chosen, start.toordinal(), end.toordinal())
            stints.append(Stint(chosen.idx, start, end - timedelta(days=1), "", chosen.unit))
            nxt = chosen
        stints.reverse()
        previous = None
        for s in stints:
            s.how = self._how(previous, self.tree.positions[s.position])
            previous = s
        return stints

    def _pick(
        self,
        current: PositionPlan,
        nxt: PositionPlan,
        grade: int,
        single_track: bool,
        start: int,
        end: int,
    ) -> PositionPlan:
        rng, units = self.rng, self.tree.units
        unit = units[current.unit]
        area, civil, fld = unit.area, unit.civil_service, current.field
        r = rng.random()
        first: tuple[object, ...]
        if r < 0.45:
            first = ("o", unit.organ, grade)
        elif r < 0.7 or single_track:
            first = ("f", area, civil, grade, fld)
        elif r < 0.85:
            first = ("a", area, civil, grade)
        elif r < 0.95:
            first = ("a", self._other_area(area), civil, grade)
        else:
            first = ("a", area, not civil, grade)
        keys = [first]
        for g in range(grade, -1, -1):
            keys += [("f", area, civil, g, fld), ("a", area, civil, g)]
        for key in keys:
            pool = self.pools.get(key)
            if not pool:
                continue
            for _ in range(4):
                cand = self.tree.positions[rng.choice(pool)]
                if cand.idx not in (nxt.idx, current.idx) and self._free(cand, start, end):
                    return cand
        staff = [i for i in self.pools[("a", area, civil, 0)] if self.tree.positions[i].staff]
        return self.tree.positions[rng.choice(staff)]

    def _other_area(self, area: int) -> int:
        near = list(self.area_children.get(area, []))
        parent = self.area_parent.get(area)
        if parent is not None:
            near.append(parent)
            near += [a for a in self.area_children.get(parent, []) if a != area]
        return self.rng.choice(near) if near else area

    def _how(self, previous: Stint | None, pos: PositionPlan) -> str:
        if previous is None:
            return "appoint"
        units = self.tree.units
        before, after = units[previous.home_unit], units[pos.unit]
        if before.organ == after.organ:
            return "appoint"
        if not before.civil_service and after.civil_service:
            return "transfer_in"
        if before.area != after.area:
            return "exchange"
        return "rotation"

    def _secondments(self, p: Person, pos: PositionPlan) -> None:
        """A few per cent are seconded now (挂职), a few more were (公务员法 第七十二条)."""
        rng = self.rng
        unit = self.tree.units[pos.unit]
        if not unit.civil_service or pos.grade > 3 or pos.team_role == "head":
            return
        r = rng.random()
        if r >= 0.05:
            return
        target = self._secondment_post(unit.area, unit.organ)
        if target is None:
            return
        if r < 0.03:
            start = max(p.since, AS_OF - timedelta(days=rng.randrange(60, 700)))
            p.stints.append(Stint(target.idx, start, None, "secondment", pos.unit, primary=False))
            return
        host = rng.choice(p.stints[:-1] or p.stints)
        length = min(YEAR, ((host.ended or AS_OF) - host.started).days - 1)
        if length > 90:
            end = host.started + timedelta(days=length)
            p.stints.append(
                Stint(
                    target.idx,
                    host.started,
                    end,
                    "secondment",
                    self.tree.positions[host.position].unit,
                    primary=False,
                )
            )

    def _secondment_post(self, area: int, organ: int) -> PositionPlan | None:
        """From an organ down to a town as a deputy; from a town up to an organ's staff."""
        tree = self.tree
        if tree.units[organ].kind == "township":
            up = self.area_parent.get(area) or area
            pool = [
                i
                for i in self.pools.get(("a", up, True, 0), [])
                if tree.units[tree.units[tree.positions[i].unit].organ].kind != "township"
            ]
        else:
            pool = [
                i
                for i in self.pools.get(("a", area, True, 2), [])
                if tree.units[tree.positions[i].unit].kind == "township"
            ]
        return tree.positions[self.rng.choice(pool)] if pool else None

    def _ranks(self, p: Person, grade: int, tier: str) -> list[tuple[str, date, date | None, str]]:
        rng = self.rng
        start = FIRST_RANK[p.education]
        first = p.joined_work_on + timedelta(days=YEAR)
        available = (AS_OF - first).days
        if grade in LEADER_RANKS:
            lo, hi = LEADER_RANKS[grade]
            target = rng.randint(lo, hi) - (rng.random() < 0.25)
        else:
            service = available / 365.25
            target = start + int(service / rng.uniform(3.2, 5.5))
            ceiling = STAFF_RANK_CEILING[tier] - (rng.random() > 0.1)
            target = min(target, ceiling)
        target = max(target, start)
        while target > start and sum(MIN_YEARS[start + 1 : target + 1]) * 365.25 > available:
            target -= 1
        steps = list(range(start + 1, target + 1))
        need = [int(MIN_YEARS[i] * 365.25) for i in steps]
        slack = available - sum(need)
        weights = [rng.random() for _ in steps] + [rng.random() + 0.5]
        total = sum(weights)
        dates, day = [first], first
        for days, w in zip(need, weights, strict=False):
            day = day + timedelta(days=days + int(slack * w / total))
            dates.append(day)
        out: list[tuple[str, date, date | None, str]] = []
        for k, rank_idx in enumerate(range(start, target + 1)):
            ended = dates[k + 1] - timedelta(days=1) if k + 1 < len(dates) else None
            basis = "试用期满定级" if k == 0 else "职级晋升"
            out.append((RANKS[rank_idx], dates[k], ended, basis))
        return out
