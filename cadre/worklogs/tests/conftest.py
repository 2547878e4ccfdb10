from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cadre.workdays import services as workdays

# Friday 27 November 2026, 10:00 in Shanghai: the late window (3 working days) reaches back
# to Tuesday 24 November; Monday 23 is past it.
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def fresh_calendar() -> Iterator[None]:
    workdays.invalidate()
    yield
    workdays.invalidate()


def set_rule(key: str, value: Any) -> None:
    from cadre.core.models import RuleSetting

    RuleSetting.objects.update_or_create(key=key, defaults={"value": value})


def fill_logs(
    cadre: Any, days: list[date], *, late_every: int = 0, status: str = "submitted", text: str = ""
) -> None:
    """Logs written straight into the table (test setup, not the path under test)."""
    from cadre.worklogs.models import WorkLog

    WorkLog.objects.bulk_create(
        [
            WorkLog(
                cadre=cadre,
                org_unit_id=cadre.org_unit_id,
                day=d,
                text=text or f"{d:%m月%d日}：处理来文{i % 7 + 1}件，参加第{i}次专题会议并形成纪要",
                status=status,
                is_late=bool(late_every) and i % late_every == 0,
                submitted_at=NOW,
            )
            for i, d in enumerate(days)
        ]
    )
