from typing import Any

import pytest

from cadre.supervision.tests.helpers import reset_throttles


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Any:
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
