"""Chained periods stored and recomputed; exemption from its decision date (ADR 006).

处分条例 第十条第二款: a new state sanction during a running one runs on from the unserved rest of
the old period; voiding the old one (容错免责, 撤销, 变更) recomputes the new one in the same
transaction. An exemption takes effect from its decision date and never rewrites what
eligibility was before it.
"""

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cadre.accountability import services
from cadre.accountability.models import Measure
from cadre.accountability.rules import RuleError
from cadre.audit.models import AuditEvent
from cadre.cadres.decisions import answer
from cadre.supervision.tests.helpers import measure


def _at(day: date) -> Any:
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with _at(date(2026, 9, 1)):
        yield


def _chain(world: Any) -> tuple[Measure, Measure]:
    """The issue's example: 记过 2026-01-05 (to 2027-01-04), 记大过 2026-07-05 during it."""
    demerit = measure(world.discipline_a, world.cadre_town, "gov_demerit", on=date(2026, 1, 5))
    major = measure(world.discipline_a, world.cadre_town, "gov_major_demerit", on=date(2026, 7, 5))
    return demerit, major


def _revoke(m: Measure, by: Any, on: date) -> None:
    appeal = services.file_appeal(measure=m, by=by, kind="review", filed_on=on, reasons="不服")
    services.decide_appeal(appeal=appeal, by=by, result="revoked", decided_on=on, text="撤销原决定")


def _recomputed(m: Measure) -> list[dict[str, Any]]:
    return [
        e.detail
        for e in AuditEvent.objects.filter(
            action="measure_period_recomputed", object_id=str(m.pk)
        ).order_by("id")
    ]


def test_the_rest_plus_the_new_period_is_stored_in_months_article_10(world: Any) -> None:
    demerit, major = _chain(world)
    assert demerit.influence_until == date(2027, 1, 4)
    # 2027-01-05 + 18 months: 2028-07-04 (in days it ended a day late, 2028-07-05).
    assert (major.influence_until, major.chained_on, major.period_months) == (
        date(2028, 7, 4),
        demerit,
        18,
    )
    assert list(demerit.chained_measures.all()) == [major]


def test_exempting_the_earlier_measure_recomputes_the_chained_one(world: Any) -> None:
    demerit, major = _chain(world)
    services.set_exempted(
        measure=demerit, by=world.discipline_a, note="容错免责认定", decided_on=date(2026, 9, 1)
    )
    major.refresh_from_db()
    # 政务处分法 第八条 alone: 2026-07-05 + 18 months.
    assert (major.influence_until, major.chained_on, major.status, major.version) == (
        date(2028, 1, 4),
        None,
        "in_force",
        2,
    )
    assert "第十条" not in major.period_basis
    assert _recomputed(major) == [{"from": "2028-07-04", "to": "2028-01-04"}]
    demerit.refresh_from_db()
    assert (demerit.status, demerit.exempted_on) == ("exempted", date(2026, 9, 1))


def test_revoking_the_earlier_measure_recomputes_down_the_chain(world: Any) -> None:
    demerit, major = _chain(world)
    # 警告 on 2026-08-01, while both run: it runs on from the one ending last (the 记大过).
    warning = measure(world.discipline_a, world.cadre_town, "gov_warning", on=date(2026, 8, 1))
    assert (warning.influence_until, warning.chained_on) == (date(2029, 1, 4), major)
    _revoke(demerit, world.discipline_a, date(2026, 9, 1))
    major.refresh_from_db()
    warning.refresh_from_db()
    assert major.influence_until == date(2028, 1, 4)
    assert (warning.influence_until, warning.chained_on) == (date(2028, 7, 4), major)
    assert _recomputed(warning) == [{"from": "2029-01-04", "to": "2028-07-04"}]


def test_a_chained_measure_runs_on_from_another_one_still_running(world: Any) -> None:
    warning = measure(world.discipline_a, world.cadre_town, "gov_warning", on=date(2026, 6, 1))
    demerit, major = _chain(world)  # recorded after the 警告, effective before it
    assert (warning.influence_until, demerit.chained_on) == (date(2026, 11, 30), None)
    assert major.chained_on == demerit  # the one ending last
    _revoke(demerit, world.discipline_a, date(2026, 9, 1))
    major.refresh_from_db()
    # Now runs on from the 警告: 2026-12-01 + 18 months.
    assert (major.influence_until, major.chained_on) == (date(2028, 5, 31), warning)


def test_a_change_on_appeal_recomputes_the_chained_one(world: Any) -> None:
    demerit, major = _chain(world)
    appeal = services.file_appeal(
        measure=demerit,
        by=world.discipline_a,
        kind="review",
        filed_on=date(2026, 8, 1),
        reasons="过重",
    )
    services.decide_appeal(
        appeal=appeal,
        by=world.discipline_a,
        result="changed",
        decided_on=date(2026, 9, 1),
        text="改为警告",
        replacement_kind="gov_warning",
    )
    replacement = Measure.objects.get(replaces=demerit)
    assert replacement.influence_until == date(2026, 7, 4)  # over before the 记大过
    major.refresh_from_db()
    assert (major.influence_until, major.chained_on) == (date(2028, 1, 4), None)


def test_a_recomputed_period_already_over_is_lifted(world: Any) -> None:
    demerit, major = _chain(world)
    with _at(date(2028, 3, 1)):
        _revoke(demerit, world.discipline_a, date(2028, 3, 1))
    major.refresh_from_db()
    assert (major.influence_until, major.status) == (date(2028, 1, 4), "lifted")


def test_nothing_is_recomputed_when_the_exemption_is_refused(world: Any) -> None:
    demerit, major = _chain(world)
    with pytest.raises(RuleError, match="免责认定日期"):
        services.set_exempted(
            measure=demerit, by=world.discipline_a, note="x", decided_on=date(2025, 12, 31)
        )  # before the measure
    major.refresh_from_db()
    assert major.influence_until == date(2028, 7, 4)
    assert not AuditEvent.objects.filter(action="measure_period_recomputed").exists()


def test_eligibility_before_an_exemption_still_answers_blocked(world: Any) -> None:
    m = measure(world.city_admin, world.cadre_town, "admonishment", on=date(2026, 3, 10))
    services.set_exempted(
        measure=m, by=world.city_admin, note="容错免责认定", decided_on=date(2026, 9, 1)
    )
    before = answer(world.cadre_town.pk, date(2026, 8, 31)).as_json()
    assert not before["promotion"]["eligible"]
    assert not before["rank_promotion"]["eligible"]
    assert before["promotion"]["blocks"][0]["until"] == "2026-08-31"  # the day before
    on_the_day = answer(world.cadre_town.pk, date(2026, 9, 1)).as_json()
    assert all(
        on_the_day[k]["eligible"] for k in ("promotion", "excellent_grade", "rank_promotion")
    )


def test_an_exempted_measure_shows_its_status_on_the_pages(world: Any, as_user: Any) -> None:
    m = measure(world.city_admin, world.cadre_town, "admonishment", on=date(2026, 3, 10))
    services.set_exempted(
        measure=m, by=world.city_admin, note="容错免责认定（申请#1）", decided_on=date(2026, 9, 1)
    )
    client = as_user(world.city_admin)
    page = client.get(f"/accountability/measures/{m.pk}/").content.decode()
    assert ">已免责</span>" in page
    assert "影响期内</span>" not in page
    assert "2026-09-01认定" in page
    for url in (
        "/accountability/",
        f"/accountability/archive/{world.cadre_town.pk}/",
        f"/cadres/{world.cadre_town.pk}/",
    ):  # the profile section too
        rows = client.get(url).content.decode()
        assert "已免责" in rows, url
    api = client.get(f"/api/v1/accountability/measures/{m.pk}").json()
    assert (api["status"], api["exempted_on"]) == ("exempted", "2026-09-01")
