from typing import Any

import pytest

from cadre.supervision.tests.helpers import reset_throttles


@pytest.fixture(autouse=True)
def _fresh_throttles(settings: Any) -> Any:
    # cheap Argon2 parameters for speed; production uses argon2-cffi's defaults
    settings.CADRE_RECEIPT_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
    reset_throttles()
    yield
    reset_throttles()


@pytest.fixture
def second_discipline(world: Any) -> Any:
    """A second discipline officer of county A: four eyes on disposals."""
    from tests import factories as f

    return f.make_user("discipline_a2", role="discipline", unit=world.county_a)


@pytest.fixture
def city_discipline(world: Any) -> Any:
    from tests import factories as f

    return f.make_user("discipline_city", role="discipline", unit=world.city)
