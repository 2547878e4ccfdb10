from collections.abc import Iterator

import pytest

from cadre.workdays import services


@pytest.fixture(autouse=True)
def fresh_calendar() -> Iterator[None]:
    services.invalidate()
    yield
    services.invalidate()
