from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.cadres.models import Cadre
from cadre.worklogs.models import WorkLog
from cadre.worklogs.signals_api import cadre_signals, period, scope_signals, unit_signals
from cadre.worklogs.tests.conftest import NOW, fill_logs
from tests import factories as f

COPIED = "上午参加全县安全生产工作会议，下午赴青石镇调研农村饮用水工程建设进度"
NOV = (date(2026, 11, 1), date(2026, 11, 30))


def nov(*days: int) -> list[date]:
    return [date(2026, 11, d) for d in days]


@pytest.fixture
def november(world: Any) -> Any:
    # cadre_a: Nov 5, 12 and 23 missing; 9-11 copied; 24 late; 25-27 not yet written
    fill_logs(world.cadre_a, nov(2, 3, 4, 6, 13, 16, 17, 18, 19, 20))
    for d in (9, 10, 11):  # copied, the third with a small edit
        fill_logs(world.cadre_a, nov(d), text=COPIED if d < 11 else COPIED.replace("青石", "白沙"))
    WorkLog.objects.create(
        cadre=world.cadre_a,
        org_unit=world.organ_a,
        day=date(2026, 11, 24),
        text="补填：整理档案",
        status="reviewed",
        is_late=True,
        submitted_at=NOW,
    )
    WorkLog.objects.create(
        cadre=world.cadre_a,
        org_unit=world.organ_a,
        day=date(2026, 11, 25),
        text="草稿",
        status="draft",
    )
    fill_logs(world.cadre_town, nov(2, 3))
    return world


def test_a_period_counts_only_days_past_the_late_window_as_expected(world: Any) -> None:
    p = period(*NOV)
    assert p.expected == 16  # Nov 2 … 23; 24–27 may still be written; 28–30 not yet come
    assert p.open == nov(24, 25, 26, 27)


def test_a_past_period_ending_just_before_today_keeps_its_last_days_open(world: Any) -> None:
    p = period(date(2026, 11, 16), date(2026, 11, 25))
    assert p.open == nov(24, 25)  # 24-27 are the last four working days
    assert p.closed[-1] == date(2026, 11, 23)


def test_cadre_signals_name_the_days_and_logs_behind_them(november: Any) -> None:
    s = cadre_signals(november.cadre_a.pk, *NOV)
    assert s.missing_days == nov(5, 12, 23)
    assert s.open_days == nov(25, 26, 27)  # 25 has only a draft
    assert [log.day for log in s.late_logs] == nov(24)
    assert [(d.log.day.day, d.earlier.day.day) for d in s.near_duplicates] == [(10, 9), (11, 10)]
    assert (s.handed_in, s.reviewed, s.share_reviewed) == (14, 1, Decimal("7.1"))
    text = "\n".join(s.explanations())
    assert "缺填日志3天：11月5日、11月12日、11月23日" in text
    assert "2026年11月10日的日志与2026年11月9日的日志高度雷同（相似度100%）" in text


def test_scope_signals_agree_with_the_per_cadre_signals(november: Any) -> None:
    counts = scope_signals(Cadre.objects.all(), *NOV, duplicates=True)
    a = counts[november.cadre_a.pk]
    assert (a.expected, a.missing, a.late, a.reviewed, a.duplicates) == (16, 3, 1, 1, 2)
    town = counts[november.cadre_town.pk]
    assert (town.missing, town.handed_in, town.duplicates) == (14, 2, 0)
    assert counts[november.cadre_b.pk].missing == 16  # no log at all is 16 missing days


def test_scope_signals_cost_the_same_few_queries_for_any_number_of_cadres(
    november: Any,
) -> None:
    period(*NOV)  # the calendar, cached once per process
    with CaptureQueriesContext(connection) as small:
        scope_signals(Cadre.objects.all(), *NOV, duplicates=True)
    for i in range(20):
        fill_logs(f.make_cadre(november.organ_b, f"干部{i}"), nov(2, 3, 4))
    with CaptureQueriesContext(connection) as large:
        scope_signals(Cadre.objects.all(), *NOV, duplicates=True)
    assert len(large.captured_queries) == len(small.captured_queries) <= 12


def test_unit_signals_total_the_subtree(november: Any) -> None:
    totals, per_cadre = unit_signals(november.county_a.pk, *NOV)
    assert set(per_cadre) == {november.cadre_a.pk, november.cadre_town.pk}
    assert (totals.cadres, totals.missing, totals.duplicates) == (2, 17, 2)
