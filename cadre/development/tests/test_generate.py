"""The generators run on the tiny XS registry, set-based, and the reads work on the result."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.cadres.models import Cadre
from cadre.care import generate as care_generate
from cadre.care import services as care
from cadre.care.models import HeartTalk
from cadre.development import generate, services
from cadre.development.models import Enrolment, Placement, RotationMove
from cadre.generator.registry import generate_registry


@pytest.mark.django_db
def test_generators_fill_every_area_without_a_query_per_cadre(clock: Any) -> None:
    generate_registry(scale="XS", seed=7, log=lambda _: None)
    cadres = Cadre.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        generate.generate(scale="XS", seed=7, log=lambda _: None)
        care_generate.generate(scale="XS", seed=7, log=lambda _: None)
    assert len(ctx.captured_queries) < 150, len(ctx.captured_queries)
    assert Enrolment.objects.count() > cadres
    assert Placement.objects.exists()
    assert RotationMove.objects.exists()
    assert HeartTalk.objects.count() > cadres // 2
    today = clock.today
    with CaptureQueriesContext(connection) as ctx:
        found = services.rotation_candidates(Cadre.objects.all(), today)
        needs = services.needs_for(Cadre.objects.all(), today)
        rows = care.coverage_by_unit(Cadre.objects.all(), today.year - 1)
        ranks = care.rank_eligibility_for(Cadre.objects.all(), today)
    assert len(ctx.captured_queries) < 40  # set-based: a fixed number of queries
    assert found
    assert needs
    assert rows
    assert ranks
    assert sum(r["talked"] for r in rows) / sum(r["total"] for r in rows) > 0.5
