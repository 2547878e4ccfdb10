"""`__in_ids`: one parameter for any number of ids, same rows as `__in`, on both databases."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.cadres.models import Appointment, Cadre

pytestmark = pytest.mark.django_db


def test_in_ids_finds_what_in_finds(world: Any) -> None:
    ids = {world.cadre_a.pk, world.cadre_b.pk, 10**9}
    assert set(Cadre.objects.filter(pk__in_ids=ids).values_list("pk", flat=True)) == set(
        Cadre.objects.filter(pk__in=ids).values_list("pk", flat=True)
    )
    assert list(Appointment.objects.filter(cadre_id__in_ids=set())) == []


def test_in_ids_sends_one_parameter(world: Any) -> None:
    many = set(range(1, 5001)) | {world.cadre_a.pk}
    query = Cadre.objects.filter(pk__in_ids=many).values_list("pk", flat=True)
    _sql, params = query.query.sql_with_params()
    assert len(params) == 1  # `pk__in` would send 5,001
    with CaptureQueriesContext(connection) as queries:
        found = list(query)
    assert world.cadre_a.pk in found
    assert len(queries) == 1
