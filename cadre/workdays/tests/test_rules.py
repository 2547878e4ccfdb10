from datetime import date

import pytest

from cadre.workdays import services
from cadre.workdays.rules import UnknownYearError


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 1), False),  # 元旦
        (date(2025, 1, 26), True),  # 春节调休 (Sunday worked)
        (date(2025, 1, 28), False),  # 春节
        (date(2025, 2, 8), True),  # 春节调休 (Saturday worked)
        (date(2025, 4, 4), False),  # 清明
        (date(2025, 4, 27), True),  # 劳动节调休 (Sunday worked)
        (date(2025, 5, 5), False),  # 劳动节 (a Monday off)
        (date(2025, 6, 2), False),  # 端午 (a Monday off)
        (date(2025, 10, 1), False),  # 国庆
        (date(2025, 9, 28), True),  # 国庆调休 (Sunday worked)
        (date(2025, 10, 11), True),  # 国庆调休 (Saturday worked)
        (date(2026, 1, 4), True),  # 元旦调休 (Sunday worked)
        (date(2026, 1, 2), False),  # 元旦 (a Friday off)
        (date(2026, 2, 14), True),  # 春节调休 (Saturday worked)
        (date(2026, 2, 16), False),  # 春节
        (date(2026, 2, 23), False),  # 春节 (the Monday after)
        (date(2026, 2, 28), True),  # 春节调休 (Saturday worked)
        (date(2026, 4, 6), False),  # 清明 (a Monday off)
        (date(2026, 5, 9), True),  # 劳动节调休 (Saturday worked)
        (date(2026, 6, 19), False),  # 端午
        (date(2026, 9, 20), True),  # 中秋调休 (Sunday worked)
        (date(2026, 9, 25), False),  # 中秋
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),  # 国庆调休 (Saturday worked)
        (date(2026, 11, 27), True),  # an ordinary Friday
        (date(2026, 11, 28), False),  # an ordinary Saturday
    ],
)
@pytest.mark.django_db
def test_it_knows_2025_and_2026_holidays_and_exchanged_days(day: date, expected: bool) -> None:
    assert services.build_calendar().is_workday(day) is expected


@pytest.mark.django_db
def test_fifteen_working_days_across_national_day() -> None:
    # sent Tue 2026-09-29: 9/30, 10/8, 10/9, 10/10 (Sat, worked), 10/12-16, 10/19-23, 10/26
    assert services.add_working_days(date(2026, 9, 29), 15) == date(2026, 10, 26)


@pytest.mark.django_db
def test_it_refuses_a_year_beyond_the_provisional_horizon() -> None:
    services.invalidate()
    with pytest.raises(UnknownYearError, match="2045年的节假日安排尚未录入"):
        services.add_working_days(date(2045, 3, 1), 5)


@pytest.mark.parametrize(("year", "days"), [(2025, 248), (2026, 248)])
@pytest.mark.django_db
def test_a_year_has_its_official_number_of_working_days(year: int, days: int) -> None:
    # 261 weekdays, minus weekday holidays, plus weekend days worked (调休)
    assert len(services.workdays_in(date(year, 1, 1), date(year, 12, 31))) == days


@pytest.mark.django_db
def test_working_days_between_counts_after_the_start_up_to_the_end() -> None:
    # Thu 30 Sep 2026 → Fri 9 Oct 2026: 10/1-7 off, 10/8 and 10/9 worked
    assert services.working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2
    assert services.working_days_between(date(2026, 10, 9), date(2026, 10, 9)) == 0
