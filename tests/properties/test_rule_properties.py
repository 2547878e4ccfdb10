"""Properties of the rule modules over many generated cases (hypothesis), next to their
table-driven tests: periods in months, working days, the 优秀 quota. Pure: no database."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cadre.accountability import rules as periods
from cadre.assessments import rules as assessment
from cadre.workdays import rules as workdays

DAYS = st.dates(min_value=date(2005, 1, 1), max_value=date(2090, 12, 31))
MONTHS = st.integers(min_value=1, max_value=60)


@given(DAYS, MONTHS)
def test_a_period_in_months_ends_in_its_last_month(start: date, months: int) -> None:
    # 政务处分法 第八条 (counted from the effective day), 民法典 第二百零二条 (month's last day)
    end = periods.period_end(start, months)
    month0 = start.month - 1 + months
    expected_month = (start.year + month0 // 12, month0 % 12 + 1)
    before = (start.year + (month0 - 1) // 12, (month0 - 1) % 12 + 1)
    assert (end.year, end.month) in (expected_month, before)  # day before, or the month's end
    assert end >= start


@given(DAYS, MONTHS, MONTHS)
def test_longer_periods_never_end_earlier(start: date, a: int, b: int) -> None:
    shorter, longer = sorted((a, b))
    assert periods.period_end(start, shorter) <= periods.period_end(start, longer)


@given(DAYS, st.integers(min_value=0, max_value=40), MONTHS)
def test_a_later_start_never_ends_earlier(start: date, shift: int, months: int) -> None:
    later = start + timedelta(days=shift)
    assert periods.period_end(start, months) <= periods.period_end(later, months)


@given(
    DAYS,
    st.sampled_from(sorted(periods.STATE_PERIOD_MONTHS)),
    st.sampled_from(sorted(periods.STATE_PERIOD_MONTHS)),
    st.integers(0, 400),
)
def test_a_sanction_during_another_never_exceeds_48_months(
    first_day: date, first: str, second: str, gap: int
) -> None:
    # 处分条例 第十条第二、三款: rest of the old period plus the new one, at most 48 months
    old = periods.state_period(first, first_day)
    assert old.until is not None
    new_day = first_day + timedelta(days=gap)
    running = [periods.Running(first, first_day, old.until, ref=1)]
    new = periods.state_period(second, new_day, running=running)
    assert new.until is not None
    assert new.until <= periods.period_end(new_day, periods.MAX_PERIOD_MONTHS)
    assert new.until >= periods.period_end(new_day, periods.STATE_PERIOD_MONTHS[second])


def _calendar() -> workdays.Calendar:
    years = range(2027, 2031)
    holidays = frozenset(d for y in years for d in workdays.statutory_holidays(y))
    return workdays.Calendar(holidays, frozenset(), frozenset(), frozenset(years))


CAL = _calendar()
CAL_DAYS = st.dates(min_value=date(2027, 1, 1), max_value=date(2029, 6, 30))


@settings(max_examples=60)
@given(CAL_DAYS, st.integers(min_value=1, max_value=120))
def test_the_nth_working_day_is_a_working_day_n_working_days_on(start: date, n: int) -> None:
    due = workdays.due_after(CAL, start, n)
    assert CAL.is_workday(due.day)
    assert workdays.working_days_between(CAL, start, due.day) == n
    assert due.provisional  # every counted day is in a provisional year here


@settings(max_examples=60)
@given(CAL_DAYS, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60))
def test_working_days_add_up(start: date, a: int, b: int) -> None:
    middle = workdays.add_working_days(CAL, start, a)
    assert workdays.add_working_days(CAL, middle, b) == workdays.add_working_days(CAL, start, a + b)


@given(
    st.integers(min_value=0, max_value=5000),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.5"), places=2),
)
def test_the_excellent_quota_never_exceeds_its_ratio(participants: int, ratio: Decimal) -> None:
    # 公务员考核规定(2020): 优秀 at most the set share of those assessed
    quota = assessment.excellent_quota(participants, ratio)
    assert 0 <= quota <= participants * ratio < quota + 1
    at_limit = dict.fromkeys(range(quota), assessment.EXCELLENT)
    assert assessment.check_quota(at_limit, participants, ratio) is None
    over = {**at_limit, quota: assessment.EXCELLENT}
    assert assessment.check_quota(over, participants, ratio) is not None
