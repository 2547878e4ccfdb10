"""The synthetic registry: deterministic, valid ID numbers, consistent careers and teams."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from cadre.cadres import rules
from cadre.cadres.models import (
    Appointment,
    Cadre,
    LeadershipTeam,
    RankRecord,
    TeamMembership,
)
from cadre.cadres.services import refresh_current_post
from cadre.generator import AS_OF
from cadre.generator.careers import MIN_YEARS, RANKS, Planner
from cadre.generator.management.commands import generate as generate_command
from cadre.generator.registry import generate_registry, registry_digest
from cadre.generator.scales import SCALES
from cadre.generator.tree import build_tree
from cadre.orgs.models import OrgUnit, Position
from tests import factories as f

SEED = 20251020


def quiet(_: str) -> None:
    pass


@dataclass
class County:
    queries: int


@pytest.fixture(scope="class")
def county(django_db_setup: Any, django_db_blocker: Any) -> Iterator[County]:
    """Scale S generated once for the class, inside a transaction rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with CaptureQueriesContext(connection) as queries:
                generate_registry(scale="S", seed=SEED, log=quiet)
            yield County(queries=len(queries))
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _digest_of(scale: str, seed: int) -> str:
    with transaction.atomic():
        generate_registry(scale=scale, seed=seed, log=quiet)
        digest = registry_digest()
        transaction.set_rollback(True)
    return digest


def _plan(scale: str, seed: int) -> list[tuple[Any, ...]]:
    tree = build_tree(SCALES[scale], seed)
    planner = Planner(tree, scale, seed)
    return [
        (
            p.name,
            p.id_number,
            p.birth_date,
            p.position,
            p.since,
            [(s.position, s.started, s.ended, s.how) for s in p.stints],
            list(p.ranks),
        )
        for _, people in planner.chunks(planner.seats())
        for p in people
    ]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_registry_and_another_seed_does_not() -> None:
    first = _digest_of("XS", SEED)
    assert _digest_of("XS", SEED) == first
    assert _digest_of("XS", SEED + 1) != first
    assert _plan("S", SEED) == _plan("S", SEED)
    assert _plan("S", SEED) != _plan("S", SEED + 1)


@pytest.mark.django_db
class TestGeneratedCounty:
    """Invariants of one generated county (scale S)."""

    def test_it_runs_a_bounded_number_of_queries_not_one_per_cadre(self, county: County) -> None:
        # SQLite caps a statement at 999 parameters, so bulk inserts go in batches of ~50-90
        # rows; the count grows with rows / batch, never with one query per cadre.
        assert county.queries < Cadre.objects.count() / 8

    def test_scale_s_is_a_county_of_about_200_units_and_2000_cadres(self, county: County) -> None:
        # given a generated county, when counted, then
        assert 150 <= OrgUnit.objects.count() <= 250
        assert 1900 <= Cadre.objects.count() <= 2000
        kinds = set(OrgUnit.objects.values_list("kind", flat=True))
        assert {
            "county",
            "party_organ",
            "gov_organ",
            "peoples_organ",
            "township",
            "enterprise",
            "institution",
            "internal",
        } <= kinds
        root = OrgUnit.objects.get(parent__isnull=True, kind="county")
        organs = list(OrgUnit.objects.filter(parent=root).values_list("name", flat=True))
        for organ in ("县委组织部", "县纪委县监委", "县财政局", "县信访局", "县自然资源和规划局"):
            assert root.name[:-1] + organ in organs
        assert any("生态环境局" in n and n.endswith("分局") for n in organs)

    def test_units_carry_service_paths_and_zhejiang_region_codes(self, county: County) -> None:
        units = {u.pk: u for u in OrgUnit.objects.all()}
        for unit in units.values():
            parent = units.get(unit.parent_id)
            expected = f"{parent.path if parent else '/'}{unit.pk}/"
            assert unit.path == expected
            assert unit.depth == (parent.depth + 1 if parent else 0)
            assert len(unit.region_code) == 6
            assert unit.region_code.startswith("33")

    def test_id_numbers_are_valid_and_agree_with_birth_date_gender_and_stored_hash(
        self,
        county: County,
    ) -> None:
        tree = build_tree(SCALES["S"], SEED)
        planner = Planner(tree, "S", SEED)
        hashes, masks = set(), set()
        for _, people in planner.chunks(planner.seats()):
            for p in people:
                value = rules.validate_id_number(p.id_number)  # raises on a bad checksum
                assert rules.id_birth_date(value) == p.birth_date
                assert rules.id_gender(value) == p.gender
                assert 23 <= (AS_OF - p.birth_date).days // 365.25 <= 60
                hashes.add(rules.hash_id_number(value, settings.ID_HASH_KEY))
                masks.add(rules.mask_id_number(value))
        assert hashes == set(Cadre.objects.values_list("id_hash", flat=True))
        assert masks == set(Cadre.objects.values_list("id_masked", flat=True))

    def test_every_cadre_has_one_current_appointment_matching_the_denormalised_columns(
        self,
        county: County,
    ) -> None:
        current: dict[int, Appointment] = {}
        primary = Appointment.objects.current().filter(is_primary=True)
        for appt in primary.select_related("position"):
            assert appt.cadre_id not in current
            current[appt.cadre_id] = appt
        open_ranks = Counter(RankRecord.objects.current().values_list("cadre_id", flat=True))
        assert max(open_ranks.values()) == 1
        rank_of = dict(RankRecord.objects.current().values_list("cadre_id", "rank"))
        cadres = list(Cadre.objects.all())
        assert set(current) == {c.pk for c in cadres}
        for cadre in cadres:
            post = current[cadre.pk].position
            assert cadre.org_unit_id == post.org_unit_id
            assert cadre.current_title == post.title
            assert cadre.current_post_since == current[cadre.pk].started_on
            assert (cadre.is_leader, cadre.leadership_level) == (
                post.is_leadership,
                post.leadership_level,
            )
            assert cadre.rank == rank_of.get(cadre.pk, "")
        # the registry's own recomputation agrees on a sample
        for cadre in cadres[::200]:
            before = Cadre.objects.filter(pk=cadre.pk).values().get()
            refresh_current_post(cadre)
            after = Cadre.objects.filter(pk=cadre.pk).values().get()
            assert {k: v for k, v in before.items() if k != "updated_at"} == {
                k: v for k, v in after.items() if k != "updated_at"
            }

    def test_every_team_has_exactly_one_current_head_holding_a_post(self, county: County) -> None:
        heads = dict(
            TeamMembership.objects.filter(role="head", ended_on__isnull=True)
            .values_list("team_id")
            .annotate(n=Count("id"))
        )
        assert set(heads) == set(LeadershipTeam.objects.values_list("id", flat=True))
        assert set(heads.values()) == {1}
        leading = Appointment.objects.current().filter(
            is_primary=True, position__is_leadership=True
        )
        held = set(leading.values_list("cadre_id", "position__org_unit_id"))
        for cadre_id, unit_id in TeamMembership.objects.filter(ended_on__isnull=True).values_list(
            "cadre_id", "team__org_unit_id"
        ):
            assert (cadre_id, unit_id) in held

    def test_no_two_people_held_a_single_post_at_the_same_time(self, county: County) -> None:
        single = set(
            Position.objects.filter(headcount=1, is_leadership=True).values_list("id", flat=True)
        )
        spans = defaultdict(list)
        for pos, start, end in Appointment.objects.filter(
            is_primary=True, position__in=single
        ).values_list("position_id", "started_on", "ended_on"):
            spans[pos].append((start, end))
        assert spans
        for ranges in spans.values():
            assert not rules.overlapping(ranges)

    def test_careers_have_2_to_6_posts_long_tenures_and_secondments(self, county: County) -> None:
        stints = defaultdict(list)
        for row in Appointment.objects.filter(is_primary=True).values_list(
            "cadre_id", "started_on", "ended_on", "position__work_field"
        ):
            stints[row[0]].append(row[1:])
        counts = Counter(len(s) for s in stints.values())
        assert set(counts) <= {2, 3, 4, 5, 6}
        assert all(not rules.overlapping([(a, b) for a, b, _ in s]) for s in stints.values())
        fields = Counter(min(len({f for _, _, f in s}), 3) for s in stints.values())
        assert fields[1] > 100
        assert fields[2] > 100
        assert fields[3] > 10
        since = list(Cadre.objects.values_list("current_post_since", flat=True))
        assert sum(d <= AS_OF - timedelta(days=5 * 366) for d in since) > 100
        assert sum(d <= AS_OF - timedelta(days=10 * 366) for d in since) > 20
        hows = Counter(Appointment.objects.values_list("how", flat=True))
        assert {"appoint", "rotation", "transfer_in", "secondment"} <= set(hows)
        seconded = Appointment.objects.filter(how="secondment")
        assert not seconded.filter(is_primary=True).exists()
        assert 0.01 < seconded.values("cadre").distinct().count() / len(since) < 0.1
        for appt in seconded.current().select_related("cadre"):
            assert appt.home_unit_id == appt.cadre.org_unit_id

    def test_ranks_climb_one_step_at_a_time_after_minimum_years(self, county: County) -> None:
        ladder = {r: i for i, r in enumerate(RANKS)}
        joined = dict(Cadre.objects.values_list("id", "joined_work_on"))
        by_cadre = defaultdict(list)
        for row in RankRecord.objects.order_by("cadre_id", "started_on").values_list(
            "cadre_id", "rank", "started_on", "ended_on"
        ):
            by_cadre[row[0]].append(row[1:])
        assert len(by_cadre) > 1500
        top = Counter()
        for cadre_id, records in by_cadre.items():
            assert records[0][1] >= joined[cadre_id] + timedelta(days=365)
            for (rank, start, end), (nxt, nxt_start, _) in pairwise(records):
                assert ladder[nxt] == ladder[rank] + 1
                assert (nxt_start - start).days >= int(MIN_YEARS[ladder[nxt]] * 365.25)
                assert end == nxt_start - timedelta(days=1)
            assert records[-1][2] is None
            top[records[-1][0]] += 1
        assert len(top) >= 6  # a spread of ranks, not everyone at one step


@pytest.fixture
def registry_only(monkeypatch: Any) -> None:
    """Runs the command without the other apps' generators (tested by their own apps)."""
    monkeypatch.setattr(generate_command, "app_generators", list)


@pytest.mark.django_db
@pytest.mark.usefixtures("registry_only")
def test_generate_refuses_a_database_that_already_has_cadres() -> None:
    call_command("generate", scale="XS", seed=1, stdout=_Sink())
    with pytest.raises(CommandError, match="已有干部"):
        call_command("generate", scale="XS", seed=1, stdout=_Sink())


@pytest.mark.django_db
@pytest.mark.usefixtures("registry_only")
def test_generate_needs_force_beside_existing_units_and_keeps_them() -> None:
    mine = f.make_unit("手工录入县", kind="county")
    with pytest.raises(CommandError, match="--force"):
        call_command("generate", scale="XS", stdout=_Sink())
    assert not Cadre.objects.exists()
    call_command("generate", scale="XS", force=True, stdout=_Sink())
    assert OrgUnit.objects.get(pk=mine.pk).path == mine.path
    assert Cadre.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"scale": "Q"}, "规模“Q”无效"),
        ({"seed": "abc"}, "种子“abc”无效"),
    ],
)
def test_generate_rejects_bad_arguments_in_chinese_and_writes_nothing(
    args: dict[str, str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("generate", stdout=_Sink(), **args)
    assert not OrgUnit.objects.exists()


@pytest.mark.django_db
def test_generate_calls_each_app_generator_after_the_registry(monkeypatch: Any) -> None:
    calls = []

    class Fake:
        @staticmethod
        def generate(*, scale: str, seed: int, log: Any) -> None:
            calls.append((scale, seed, Cadre.objects.exists()))
            log("假的生成器")

    monkeypatch.setattr(generate_command, "app_generators", lambda: [("a", Fake), ("b", Fake)])
    out = _Sink()
    call_command("generate", scale="XS", seed="7", stdout=out)
    assert calls == [("XS", 7, True), ("XS", 7, True)]
    assert "[a] 完成" in out.text
    assert "[b] 完成" in out.text


def test_app_generators_skip_apps_without_the_module_but_not_broken_ones(
    monkeypatch: Any,
) -> None:
    def missing_module(name: str) -> Any:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(generate_command, "import_module", missing_module)
    assert generate_command.app_generators() == []

    def broken_dependency(name: str) -> Any:
        raise ModuleNotFoundError("No module named 'numpy'", name="numpy")

    monkeypatch.setattr(generate_command, "import_module", broken_dependency)
    with pytest.raises(ModuleNotFoundError):
        generate_command.app_generators()


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass
