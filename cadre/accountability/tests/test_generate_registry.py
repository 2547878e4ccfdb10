"""The generator's measures that change the registry (issue 11) leave it as `record_measure`
would: 开除 → status 开除 from the effective day and every record ended that day; 免职/责令辞职
end the leading post; 降职/撤职 move to a non-leading post and lower the rank one step;
调整职务/改任 move to a non-leading post — written set-based, and deterministic for a seed."""

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cadre.accountability import rules
from cadre.accountability.generate import generate as generate_accountability
from cadre.accountability.models import Measure
from cadre.cadres import rules as registry_rules
from cadre.cadres.models import Appointment, Cadre, Rank, RankRecord, TeamMembership
from cadre.generator.registry import generate_registry
from cadre.supervision.generate import generate as generate_supervision

SEED = 7


def _quiet(_: str) -> None:
    pass


def _generate(seed: int = SEED) -> list[str]:
    """The registry, supervision and accountability at scale XS; the accountability run's
    queries."""
    generate_registry(scale="XS", seed=seed, log=_quiet)
    generate_supervision(scale="XS", seed=seed, log=_quiet)
    with CaptureQueriesContext(connection) as queries:
        generate_accountability(scale="XS", seed=seed, log=_quiet)
    return [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def generated(db: Any) -> dict[str, list[Measure]]:
    _generate()
    by_kind: dict[str, list[Measure]] = {}
    for m in Measure.objects.filter(kind__in=list(rules.REGISTRY_EFFECTS)).select_related("cadre"):
        by_kind.setdefault(m.kind, []).append(m)
    assert set(by_kind) == set(rules.REGISTRY_EFFECTS)  # every such kind was generated
    return by_kind


def _open(model: Any, cadre: Cadre, **kw: Any) -> list[Any]:
    return list(model.objects.filter(cadre=cadre, ended_on__isnull=True, **kw))


def test_an_expelled_cadre_is_no_longer_employed_from_the_effective_day(
    generated: dict[str, list[Measure]],
) -> None:
    for m in generated["gov_expulsion"]:
        cadre = m.cadre
        assert (cadre.status, cadre.status_since) == ("expelled", m.effective_on)
        assert not _open(Appointment, cadre)
        assert not _open(RankRecord, cadre)
        assert not _open(TeamMembership, cadre)
        assert Appointment.objects.filter(cadre=cadre, ended_on=m.effective_on).exists()
        assert (cadre.current_title, cadre.current_post_since, cadre.is_leader, cadre.rank) == (
            "",
            None,
            False,
            "",
        )
        assert "干部状态改为“开除”" in m.registry_effect
        # nothing generated for the cadre after the expulsion outside a case or an inquiry
        later = Measure.objects.filter(cadre=cadre, decided_on__gt=m.effective_on)
        assert not later.filter(case__isnull=True, inquiry__isnull=True).exists()


@pytest.mark.parametrize("kind", ["removal", "ordered_resignation"])
def test_removal_ends_the_leading_post_on_the_effective_day(
    generated: dict[str, list[Measure]], kind: str
) -> None:
    for m in generated[kind]:
        cadre = m.cadre
        assert cadre.status == "active"
        ended = Appointment.objects.get(
            cadre=cadre, ended_on=m.effective_on, position__is_leadership=True
        )
        assert not _open(Appointment, cadre, is_primary=True, position__is_leadership=True)
        assert f"免去{ended.position}职务" in m.registry_effect
        assert not cadre.is_leader


@pytest.mark.parametrize("kind", ["demotion", "gov_dismissal"])
def test_demotion_moves_to_a_non_leading_post_and_lowers_the_rank_one_step(
    generated: dict[str, list[Measure]], kind: str
) -> None:
    for m in generated[kind]:
        cadre, on = m.cadre, m.effective_on
        old = RankRecord.objects.get(cadre=cadre, ended_on=on)
        new = RankRecord.objects.get(cadre=cadre, ended_on__isnull=True)
        assert new.started_on == on
        assert new.rank == registry_rules.rank_one_step_lower(old.rank, Rank.values)
        assert cadre.rank == new.rank
        post = Appointment.objects.get(cadre=cadre, ended_on__isnull=True, is_primary=True)
        assert (post.started_on, post.position.is_leadership) == (on, False)
        assert Appointment.objects.filter(
            cadre=cadre, ended_on=on, position__is_leadership=True
        ).exists()
        assert (cadre.current_title, cadre.current_post_since, cadre.is_leader) == (
            post.position.title,
            on,
            False,
        )
        assert f"职级由{Rank(old.rank).label}调整为{Rank(new.rank).label}" in m.registry_effect


@pytest.mark.parametrize("kind", ["job_reassignment", "reassign_other_post"])
def test_reassignment_moves_to_a_non_leading_post_of_the_same_unit(
    generated: dict[str, list[Measure]], kind: str
) -> None:
    for m in generated[kind]:
        cadre, on = m.cadre, m.effective_on
        old = Appointment.objects.get(cadre=cadre, ended_on=on, position__is_leadership=True)
        post = Appointment.objects.get(cadre=cadre, ended_on__isnull=True, is_primary=True)
        assert post.started_on == on
        assert post.position.org_unit_id == old.position.org_unit_id
        assert not post.position.is_leadership
        assert (cadre.current_title, cadre.org_unit_id) == (
            post.position.title,
            post.position.org_unit_id,
        )
        assert f"任{post.position}" in m.registry_effect
        assert RankRecord.objects.filter(cadre=cadre, ended_on=on).count() == 0  # rank kept


def test_the_current_post_columns_agree_with_the_records(
    generated: dict[str, list[Measure]],
) -> None:
    for cadre in Cadre.objects.all():
        posts = sorted(
            _open(Appointment, cadre, is_primary=True), key=lambda a: (a.started_on, a.pk)
        )
        ranks = sorted(_open(RankRecord, cadre), key=lambda r: (r.started_on, r.pk))
        assert cadre.current_title == (posts[-1].position.title if posts else ""), cadre
        assert cadre.rank == (ranks[-1].rank if ranks else ""), cadre
        assert (cadre.status == "active") == bool(posts or ranks)


def test_the_registry_effects_are_written_in_bulk_not_per_cadre(db: Any) -> None:
    queries = _generate()
    changed = Measure.objects.filter(kind__in=list(rules.REGISTRY_EFFECTS)).count()
    assert changed >= len(rules.REGISTRY_EFFECTS)
    for table in ("cadres_cadre", "cadres_appointment", "cadres_rankrecord"):
        updates = [sql for sql in queries if sql.startswith(f'UPDATE "{table}"')]
        assert len(updates) == 1, table  # one bulk update, whatever the number of cadres


def test_the_same_seed_gives_the_same_registry_after_the_measures(db: Any) -> None:
    def snapshot() -> list[tuple[Any, ...]]:
        return [
            *Cadre.objects.order_by("id_hash").values_list(
                "id_hash", "status", "status_since", "current_title", "rank"
            ),
            *Measure.objects.order_by("pk").values_list("kind", "effective_on", "registry_effect"),
        ]

    runs = []
    for _ in range(2):
        with transaction.atomic():
            _generate()
            runs.append(snapshot())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
