"""Personas over a small org tree (healthchecks alice/bob style, STYLE.md 2.5).

city ─┬─ county_a ─┬─ organ_a (县财政局) ── cadre "甲"
      │            └─ town_a  (乡镇)      ── cadre "乙"
      └─ county_b ─── organ_b (县财政局) ── cadre "丙"

The clock is fixed for every test (autouse fixture `clock`, tests/clock.py): 10:00 Asia/Shanghai
on 2026-12-07, ticking from there. CADRE_TEST_TODAY=2027-06-14 (an ISO date) runs the whole
suite as if on that day; .ci/run does so for June 14 and December 28 of next year. Tests read
`clock.today` / `clock.now`, never the real clock (tests/test_conventions.py).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadre.accounts.models import User
from cadre.cadres.models import Cadre
from cadre.orgs.models import OrgUnit
from tests import factories as f
from tests.clock import Clock, configured_today, running_clock


def pytest_configure(config: pytest.Config) -> None:
    try:
        configured_today()
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None


def pytest_report_header() -> str:
    return f"clock: {configured_today()} 10:00 Asia/Shanghai (CADRE_TEST_TODAY), ticking"


@pytest.fixture(autouse=True)
def clock() -> Iterator[Clock]:
    """Every test runs at a fixed instant (tests/clock.py); `clock.today`, `clock.now`,
    `clock.move_to(day)`. A test's own `time_machine.travel(...)` nests inside it."""
    with running_clock() as fixed:
        yield fixed


@dataclass
class World:
    city: OrgUnit
    county_a: OrgUnit
    county_b: OrgUnit
    organ_a: OrgUnit
    town_a: OrgUnit
    organ_b: OrgUnit
    cadre_a: Cadre
    cadre_town: Cadre
    cadre_b: Cadre
    city_admin: User
    head_a: User
    head_b: User
    discipline_a: User
    auditor: User
    cadre_user: User
    outsider: User


@pytest.fixture
def world(db: Any) -> World:
    city = f.make_unit("示范市", kind="city")
    county_a = f.make_unit("东湖县", city, kind="county")
    county_b = f.make_unit("西山县", city, kind="county")
    organ_a = f.make_unit("东湖县财政局", county_a)
    town_a = f.make_unit("东湖县青石镇", county_a, kind="township")
    organ_b = f.make_unit("西山县财政局", county_b)
    pos_a = f.make_position(organ_a, "局长", is_leadership=True, leadership_level="section_chief")
    cadre_a = f.make_cadre(organ_a, "王甲")
    f.make_appointment(cadre_a, pos_a, date(2019, 3, 1))
    cadre_town = f.make_cadre(town_a, "李乙")
    cadre_b = f.make_cadre(organ_b, "赵丙")
    return World(
        city=city,
        county_a=county_a,
        county_b=county_b,
        organ_a=organ_a,
        town_a=town_a,
        organ_b=organ_b,
        cadre_a=cadre_a,
        cadre_town=cadre_town,
        cadre_b=cadre_b,
        city_admin=f.make_user("city_admin", role="org_admin", unit=city),
        head_a=f.make_user("head_a", role="unit_head", unit=county_a),
        head_b=f.make_user("head_b", role="unit_head", unit=county_b),
        discipline_a=f.make_user("discipline_a", role="discipline", unit=county_a),
        auditor=f.make_user("auditor", role="auditor", unit=city),
        cadre_user=f.make_user("cadre_a", cadre=cadre_a),
        outsider=f.make_user("outsider"),
    )


def login_as(user: User) -> Client:
    """A client logged in with a verified TOTP device, as after both login steps."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def as_user() -> Any:
    return login_as


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Transactional PostgreSQL tests end with a TRUNCATE of every table, which the audit
    log's append-only trigger refuses (by design). Lift the triggers for that flush only and
    put them back right after, exactly as the audit migration creates them."""
    from django.db import connection

    lift = item.get_closest_marker("postgres") is not None and connection.vendor == "postgresql"
    if lift:
        _audit_triggers(item, "POSTGRES_REVERSE")
    yield
    if lift:  # drop first: a test may already have put them back itself
        _audit_triggers(item, "POSTGRES_REVERSE")
        _audit_triggers(item, "POSTGRES")


def _audit_triggers(item: pytest.Item, which: str) -> None:
    from importlib import import_module

    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    if not str(connection.settings_dict["NAME"]).startswith("test_"):
        return  # the last test: the session has already dropped the test database
    triggers = import_module("cadre.audit.migrations.0002_append_only_triggers")
    with item.config.stash[blocking_manager_key].unblock(), connection.cursor() as cursor:
        for sql in getattr(triggers, which):
            cursor.execute(sql)
