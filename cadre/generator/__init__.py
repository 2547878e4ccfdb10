"""Synthetic data for the demo, the tests and the benchmarks (DESIGN.md 4).

`cadre generate --scale S|M|L --seed N` builds the registry here (units, positions,
cadres, careers, ranks, teams), then calls every app's `cadre.<app>.generate.generate`.
Apps share the registry's clock and seeding helpers from this package:

    from cadre.generator import AS_OF, rng_for
    rng = rng_for(seed, "worklogs")   # a stream of its own, fixed by the seed
"""

import random
from datetime import date

from cadre.generator.scales import SCALES, ScaleSpec

# The synthetic world's "today": careers end on this date. A constant, not date.today(),
# so that the same seed gives the same data on any day.
AS_OF = date(2026, 10, 20)


def rng_for(seed: int, namespace: str) -> random.Random:
    """An independent random stream per app (string seeds hash the same on every run)."""
    return random.Random(f"{namespace}:{seed}")


__all__ = ["AS_OF", "SCALES", "ScaleSpec", "rng_for"]
