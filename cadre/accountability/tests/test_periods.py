"""Period arithmetic by the law, without a database (docs/decisions/006-period-arithmetic.md).

Periods are in months, counted from the effective day (政务处分法 第八条
"自处分决定生效之日起计算"), ending the day before the corresponding day, or on the month's last
day where that month has none (民法典 第二百零二条).
"""

from datetime import date

import pytest

from cadre.accountability import rules
from cadre.accountability.rules import MeasureFact, Running

SETTINGS = {kind: rule.default for kind, rule in rules.PERIOD_SETTINGS.items()}


@pytest.mark.parametrize(
    ("effective", "months", "last_day", "article"),
    [
        (date(2026, 1, 5), 12, date(2027, 1, 4), "第八条: day one is E; 第二百零二条 对应日 - 1"),
        (date(2026, 3, 1), 1, date(2026, 3, 31), "第二百零二条: day before 2026-04-01"),
        (date(2026, 11, 15), 6, date(2027, 5, 14), "第二百零二条: across the year end"),
        (date(2026, 1, 31), 1, date(2026, 2, 28), "第二百零二条: no 31 Feb → month end"),
        (date(2026, 1, 29), 1, date(2026, 2, 28), "第二百零二条: no 29 Feb 2026 → month end"),
        (date(2026, 1, 28), 1, date(2026, 2, 27), "第二百零二条: 28 Feb exists → day before"),
        (date(2028, 1, 31), 1, date(2028, 2, 29), "第二百零二条: leap year month end"),
        (date(2028, 1, 29), 1, date(2028, 2, 28), "第二百零二条: 29 Feb 2028 exists → day before"),
        (date(2028, 2, 29), 12, date(2029, 2, 28), "第二百零二条: no 29 Feb 2029 → month end"),
        (date(2028, 2, 29), 48, date(2032, 2, 28), "第二百零二条: 29 Feb 2032 exists → day before"),
        (date(2027, 2, 28), 12, date(2028, 2, 27), "第二百零二条: 28 Feb 2028 exists → day before"),
        (date(2026, 3, 31), 1, date(2026, 4, 30), "第二百零二条: no 31 Apr → month end"),
        (date(2026, 8, 31), 6, date(2027, 2, 28), "第二百零二条: no 31 Feb → month end"),
        (date(2026, 12, 31), 2, date(2027, 2, 28), "第二百零二条: no 31 Feb → month end"),
    ],
)
def test_a_period_in_months_ends_by_civil_code_article_202(
    effective: date, months: int, last_day: date, article: str
) -> None:
    assert rules.period_end(effective, months) == last_day, article


@pytest.mark.parametrize(
    ("kind", "effective", "until"),
    [
        ("gov_warning", date(2024, 8, 31), date(2025, 2, 28)),  # 第八条 6 months, month end
        ("gov_demerit", date(2028, 2, 29), date(2029, 2, 28)),  # 第八条 12 months, leap day
        ("gov_major_demerit", date(2026, 1, 5), date(2027, 7, 4)),  # 第八条 18 months
    ],
)
def test_state_sanctions_use_the_month_convention_article_8(
    kind: str, effective: date, until: date
) -> None:
    assert rules.state_period(kind, effective).until == until


def test_party_and_org_periods_use_the_same_convention() -> None:
    # 纪律处分条例 第十条 (1 year, a setting) from 29 Feb: no 29 Feb next year → 28 Feb.
    period = rules.settings_period("party_warning", date(2028, 2, 29), SETTINGS)
    assert period.until == date(2029, 2, 28)
    # 诫勉 6 months (setting) from 31 Aug → 28 Feb.
    assert rules.settings_period("admonishment", date(2026, 8, 31), SETTINGS).until == date(
        2027, 2, 28
    )


DEMERIT_2026 = Running("gov_demerit", date(2026, 1, 5), date(2027, 1, 4), ref=1)
MAJOR_2026 = Running("gov_major_demerit", date(2026, 7, 5), date(2028, 7, 4), ref=2)


# 处分条例 第十条第二款: a new sanction during a running one — the unserved rest of the old period
# plus the new period, in months from the day after the old one's last day; 第三款 (and 政务处分法
# 第十五条): at most 48 months from the new one's effective day.
@pytest.mark.parametrize(
    ("kind", "effective", "running", "until", "chained_on", "capped"),
    [
        # The example: 记过 2026-01-05 (to 2027-01-04), 记大过 2026-07-05 (18 months):
        # 2027-01-05 + 18 months → 2028-07-04 (in days it ended a day late, 2028-07-05).
        ("gov_major_demerit", date(2026, 7, 5), [DEMERIT_2026], date(2028, 7, 4), 1, False),
        # 记过 2024-01-01..2024-12-31, 警告 2024-07-01: 2025-01-01 + 6 months → 2025-06-30.
        (
            "gov_warning",
            date(2024, 7, 1),
            [Running("gov_demerit", date(2024, 1, 1), date(2024, 12, 31), 5)],
            date(2025, 6, 30),
            5,
            False,
        ),
        # Third in a row, both earlier ones running: runs on from the one ending last (the
        # chained 记大过 to 2028-07-04): 2028-07-05 + 24 months → 2030-07-04.
        (
            "gov_grade_reduction",
            date(2026, 10, 1),
            [DEMERIT_2026, MAJOR_2026],
            date(2030, 7, 4),
            2,
            False,
        ),
        # Old one ends on 28 Feb 2027 (警告 from 2026-08-31): the new 记过 runs from 2027-03-01,
        # ending the day before 2028-03-01 — 29 Feb in the leap year.
        (
            "gov_demerit",
            date(2026, 12, 1),
            [Running("gov_warning", date(2026, 8, 31), date(2027, 2, 28), 9)],
            date(2028, 2, 29),
            9,
            False,
        ),
        # 48-month cap (第十条第三款): rest to 2029-01-09 + 18 months would end 2030-07-09;
        # capped at 2026-05-31 + 48 months → 2030-05-30 (the day before 2030-05-31).
        (
            "gov_major_demerit",
            date(2026, 5, 31),
            [Running("gov_dismissal", date(2025, 1, 10), date(2029, 1, 9), 3)],
            date(2030, 5, 30),
            3,
            True,
        ),
        # A 48-month old period, the new one the next day: 2027-01-01 + 18 months would end
        # 2028-06-30; capped at 2023-01-02 + 48 months → 2027-01-01.
        (
            "gov_major_demerit",
            date(2023, 1, 2),
            [Running("gov_dismissal", date(2023, 1, 1), date(2026, 12, 31), 4)],
            date(2027, 1, 1),
            4,
            True,
        ),
        # Nothing running on the effective day: the plain period (第八条).
        (
            "gov_warning",
            date(2024, 7, 1),
            [Running("gov_demerit", date(2022, 1, 1), date(2022, 12, 31), 6)],
            date(2024, 12, 31),
            None,
            False,
        ),
        (
            "gov_warning",
            date(2024, 7, 1),
            [Running("gov_demerit", date(2024, 7, 2), date(2025, 7, 1), 7)],
            date(2024, 12, 31),
            None,
            False,
        ),
    ],
)
def test_a_sanction_during_a_running_one_follows_its_rest_article_10(
    kind: str,
    effective: date,
    running: list[Running],
    until: date,
    chained_on: int | None,
    capped: bool,
) -> None:
    period = rules.state_period(kind, effective, running=running)
    assert period.until == until
    assert period.chained_on == chained_on
    assert period.months == rules.STATE_PERIOD_MONTHS[kind]  # its own period, in months
    assert ("处分条例 第十条" in period.basis) is (chained_on is not None)
    assert ("超过48个月按48个月计" in period.basis) is capped


def test_combined_sanctions_during_a_running_one_add_the_combined_period() -> None:
    # 政务处分法 第十五条: 2 记过 together → 24 months, after the rest of the running 记过.
    period = rules.state_period(
        "gov_demerit", date(2026, 7, 5), combined_count=2, running=[DEMERIT_2026]
    )
    assert (period.months, period.until, period.chained_on) == (24, date(2029, 1, 4), 1)


# 容错免责 takes effect from its decision date (ADR 006): the days before keep their answer.
ADMONISHED = MeasureFact(
    "admonishment", "诫勉", date(2024, 3, 10), date(2024, 9, 9), False, void_from=date(2024, 5, 1)
)


@pytest.mark.parametrize(
    ("on", "promotion", "excellent", "until"),
    [
        (date(2024, 3, 9), True, True, None),  # before the measure
        (date(2024, 3, 10), False, False, date(2024, 4, 30)),  # first day
        (date(2024, 4, 30), False, False, date(2024, 4, 30)),  # day before the exemption
        (date(2024, 5, 1), True, True, None),  # exemption day: no effect at all
        (date(2024, 8, 1), True, True, None),  # within the old period: still none
    ],
)
def test_an_exemption_works_from_its_date_and_never_rewrites_the_days_before(
    on: date, promotion: bool, excellent: bool, until: date | None
) -> None:
    # 选拔任用条例 第二十四条(六) blocks while the influence period runs; the exemption
    # (不作负面评价) lifts it from its decision date only.
    v = rules.eligibility([ADMONISHED], on, block_decision_year=True)
    assert v["promotion"].eligible is promotion
    assert v["rank_promotion"].eligible is promotion
    assert v["excellent_grade"].eligible is excellent
    if until is not None:
        assert {b["until"] for b in v["promotion"].blocks} == {until}
        assert {b["until"] for b in v["excellent_grade"].blocks} == {until}
    assert rules.in_force(ADMONISHED, on) is not promotion


def test_an_exempted_open_ended_measure_blocks_until_the_day_before() -> None:
    referral = MeasureFact(
        "referral", "移送", date(2024, 1, 1), None, True, void_from=date(2024, 6, 1)
    )
    before = rules.eligibility([referral], date(2024, 5, 31), block_decision_year=False)
    assert before["promotion"].blocks[0]["until"] == date(2024, 5, 31)
    after = rules.eligibility([referral], date(2024, 6, 1), block_decision_year=False)
    assert after["promotion"].eligible
