# The discipline personas and throttle reset are shared with the supervision tests.
from cadre.supervision.tests.conftest import (  # noqa: F401
    _fresh_throttles,
    city_discipline,
    second_discipline,
)
