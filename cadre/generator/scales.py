"""Sizes of the synthetic data sets (DESIGN.md 4) and the tiny one the tests use."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ScaleSpec:
    code: str
    label: str
    cadres: int
    root: str  # county, city or province
    cities: int = 0  # cities of a province
    counties: tuple[int, int] = (1, 1)  # counties per city
    townships: tuple[int, int] = (14, 16)  # towns and streets per county
    internals: tuple[int, int] = (1, 3)  # internal units per county organ
    upper_internals: tuple[int, int] = (2, 4)  # per city or provincial organ
    town_offices: tuple[int, int] = (1, 2)  # internal offices per township
    mini: bool = False  # only a handful of organs


SCALES: dict[str, ScaleSpec] = {
    # XS is for the test suite only: about 20 units and 150 cadres, generated in a second.
    "XS": ScaleSpec(
        "XS",
        "测试用微型县",
        150,
        "county",
        townships=(3, 3),
        internals=(1, 1),
        town_offices=(0, 0),
        mini=True,
    ),
    "S": ScaleSpec(
        "S", "一个县", 2_000, "county", townships=(14, 16), internals=(1, 3), town_offices=(1, 2)
    ),
    "M": ScaleSpec(
        "M",
        "一个市",
        20_000,
        "city",
        counties=(8, 8),
        townships=(10, 16),
        internals=(1, 2),
        upper_internals=(2, 4),
        town_offices=(1, 1),
    ),
    "L": ScaleSpec(
        "L",
        "一个省",
        200_000,
        "province",
        cities=11,
        counties=(7, 9),
        townships=(8, 14),
        internals=(0, 1),
        upper_internals=(1, 3),
        town_offices=(0, 1),
    ),
}
