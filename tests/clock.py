"""The test clock: every test runs at a fixed instant (the root conftest's `clock` fixture).

The instant is 10:00 Asia/Shanghai on DEFAULT_TODAY, or on the ISO date in the environment
variable CADRE_TEST_TODAY (`CADRE_TEST_TODAY=2027-12-28 python3 dev.py test` runs the suite as
if on that day). The clock ticks from there (time-machine, tick=True).

This is the only test module that reads the clock directly; tests take `clock.today` and
`clock.now` from the fixture, helpers that are not fixtures `current_clock().today`
(tests/test_conventions.py checks that).
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

TZ = ZoneInfo("Asia/Shanghai")
ENV = "CADRE_TEST_TODAY"
DEFAULT_TODAY = date(2026, 12, 7)  # a Monday


def configured_today() -> date:
    value = os.environ.get(ENV, "").strip()
    if not value:
        return DEFAULT_TODAY
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{ENV}={value!r} 不是 ISO 日期（例如 2027-06-14）") from None


def at_ten(day: date | str) -> datetime:
    """10:00 Asia/Shanghai on `day` (a date or an ISO date string)."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return datetime.combine(day, time(10), TZ)


class Clock:
    """What the product sees as now, while the test's traveller runs.

    `today` and `now` follow every travel, including a test's own `time_machine.travel(...)`
    nested inside (the innermost one wins); `move_to` and `shift` move this clock's own
    traveller.
    """

    def __init__(self, traveller: time_machine.Traveller, start: datetime) -> None:
        self._traveller = traveller
        self.start = start

    @property
    def now(self) -> datetime:
        return datetime.now(TZ)

    @property
    def today(self) -> date:
        return self.now.date()

    def move_to(self, destination: date | datetime | str, *, tick: bool | None = None) -> None:
        """A date (or ISO date string) means 10:00 Asia/Shanghai that day."""
        if not isinstance(destination, datetime):
            destination = at_ten(destination)
        self._traveller.move_to(destination, tick=tick)

    def shift(self, delta: timedelta) -> None:
        self._traveller.shift(delta)


_running: list[Clock] = []


@contextmanager
def running_clock(day: date | None = None) -> Iterator[Clock]:
    start = at_ten(day or configured_today())
    with time_machine.travel(start, tick=True) as traveller:
        _running.append(Clock(traveller, start))
        try:
            yield _running[-1]
        finally:
            _running.pop()


def current_clock() -> Clock:
    """The running test's clock, for helpers that are not fixtures (`current_clock().today`)."""
    if not _running:
        raise RuntimeError("测试时钟未运行：只能在测试中（clock 夹具生效时）读取")
    return _running[-1]
