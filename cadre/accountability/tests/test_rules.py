"""The ladder's rules without a database: periods, overlaps, eligibility, redaction."""

from datetime import date

import pytest

from cadre.accountability import rules
from cadre.accountability.rules import MeasureFact, RuleError, Running

SETTINGS = {kind: rule.default for kind, rule in rules.PERIOD_SETTINGS.items()}


# 政务处分法 第八条: 警告6, 记过12, 记大过18, 降级24, 撤职24 months from the day it takes effect.
@pytest.mark.parametrize(
    ("kind", "months", "until"),
    [
        ("gov_warning", 6, date(2024, 7, 14)),
        ("gov_demerit", 12, date(2025, 1, 14)),
        ("gov_major_demerit", 18, date(2025, 7, 14)),
        ("gov_grade_reduction", 24, date(2026, 1, 14)),
        ("gov_dismissal", 24, date(2026, 1, 14)),
    ],
)
def test_state_sanction_periods_follow_article_8(kind: str, months: int, until: date) -> None:
    period = rules.state_period(kind, date(2024, 1, 15))
    assert (period.months, period.until) == (months, until)
    assert "政务处分法 第八条" in period.basis


def test_expulsion_has_no_period_and_never_ends() -> None:
    period = rules.state_period("gov_expulsion", date(2024, 1, 15))
    assert period.open_ended
    assert period.until is None


def test_a_period_ending_in_a_month_without_the_corresponding_day_ends_on_its_last_day() -> None:
    # 民法典 第二百零二条: 没有对应日的，月末日为期间的最后一日 (was 2025-02-27: clamped - 1 day).
    assert rules.state_period("gov_warning", date(2024, 8, 31)).until == date(2025, 2, 28)


# 政务处分法 第十五条: identical sanctions decided together — between one period and the sum,
# never above 48 months.
@pytest.mark.parametrize(
    ("kind", "count", "chosen", "months"),
    [
        ("gov_demerit", 2, None, 24),  # default: the sum
        ("gov_demerit", 2, 12, 12),  # one period is the minimum
        ("gov_demerit", 3, 30, 30),
        ("gov_major_demerit", 5, None, 48),  # 5 × 18 = 90 > 48
        ("gov_dismissal", 3, 48, 48),
    ],
)
def test_same_kind_sanctions_combine_within_article_15(
    kind: str, count: int, chosen: int | None, months: int
) -> None:
    period = rules.state_period(
        kind, date(2024, 3, 1), combined_count=count, combined_months=chosen
    )
    assert period.months == months
    assert "第十五条" in period.basis


@pytest.mark.parametrize(
    ("kind", "count", "chosen", "message"),
    [
        ("gov_demerit", 2, 11, "12个月以上、24个月以下"),
        ("gov_demerit", 2, 25, "12个月以上、24个月以下"),
        ("gov_major_demerit", 5, 49, "18个月以上、48个月以下"),
        ("gov_demerit", 1, 12, "两个以上"),
        ("gov_expulsion", 2, None, "撤职以下"),
    ],
)
def test_combined_period_outside_article_15_is_refused(
    kind: str, count: int, chosen: int | None, message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        rules.combined_period(kind, count, chosen)


# 处分条例 第十条第二款: a new sanction during a running one = unserved rest + new period;
# 第三款: at most 48 months.
def test_new_sanction_during_a_running_one_adds_the_rest_article_10() -> None:
    running = [Running("gov_demerit", date(2024, 1, 1), date(2024, 12, 31))]
    period = rules.state_period("gov_warning", date(2024, 7, 1), running=running)
    # The new 6 months run on from 2025-01-01, in months (was 2025-07-03 added in days).
    assert period.until == date(2025, 6, 30)
    assert "处分条例 第十条" in period.basis


def test_new_sanction_during_a_running_one_is_capped_at_48_months_article_10() -> None:
    running = [Running("gov_dismissal", date(2023, 1, 1), date(2026, 12, 31))]  # 48 months
    period = rules.state_period("gov_major_demerit", date(2023, 1, 2), running=running)
    assert period.until == date(2027, 1, 1)  # 2023-01-02 + 48 months - 1 day
    assert "超过48个月按48个月计" in period.basis


def test_an_expired_sanction_adds_nothing() -> None:
    running = [Running("gov_demerit", date(2022, 1, 1), date(2022, 12, 31))]
    period = rules.state_period("gov_warning", date(2024, 7, 1), running=running)
    assert period.until == date(2024, 12, 31)


# Party and organizational periods are settings (DOMAIN.md 2.4, 2.5, 3.2).
@pytest.mark.parametrize(
    ("kind", "years", "until"),
    [
        ("party_warning", 0, date(2025, 3, 31)),  # 1 year, 纪律处分条例 第十条
        ("party_serious_warning", 0, date(2025, 9, 30)),  # 1.5 years
        ("removal_from_party_post", 0, date(2026, 3, 31)),
        ("party_probation", 1, date(2027, 3, 31)),  # 1 year + 2 years after restoration
        ("party_probation", 2, date(2028, 3, 31)),
        ("admonishment", 0, date(2024, 9, 30)),  # 6 months, default
        ("job_reassignment", 0, date(2025, 3, 31)),
        ("demotion", 0, date(2026, 3, 31)),
    ],
)
def test_party_and_organizational_periods_come_from_settings(
    kind: str, years: int, until: date
) -> None:
    assert rules.settings_period(kind, date(2024, 4, 1), SETTINGS, years).until == until


def test_a_changed_setting_changes_the_period() -> None:
    table = {**SETTINGS, "admonishment": 12}
    assert rules.settings_period("admonishment", date(2024, 4, 1), table).until == date(2025, 3, 31)


def test_reminders_have_no_influence_period() -> None:
    assert rules.settings_period("talk_reminder", date(2024, 4, 1), SETTINGS).until is None


@pytest.mark.parametrize(
    ("kind", "decided", "effective", "years", "message"),
    [
        ("gov_demerit", date(2024, 5, 1), date(2024, 5, 2), None, "自作出之日起生效"),
        ("admonishment", date(2024, 5, 2), date(2024, 5, 1), None, "不能早于决定日期"),
        ("admonishment", date(2030, 1, 1), date(2030, 1, 1), None, "不能晚于今天"),
        ("party_probation", date(2024, 5, 1), date(2024, 5, 1), 3, "一年或二年"),
        ("party_warning", date(2024, 5, 1), date(2024, 5, 1), 1, "只有留党察看"),
    ],
)
def test_inconsistent_dates_are_refused(
    kind: str, decided: date, effective: date, years: int | None, message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        rules.check_dates(kind, decided, effective, date(2025, 1, 1), years)


def _admonishment() -> MeasureFact:
    return MeasureFact("admonishment", "诫勉", date(2024, 3, 10), date(2024, 9, 9), False)


@pytest.mark.parametrize(
    ("on", "promotion", "rank"),
    [
        (date(2024, 3, 9), True, True),  # before
        (date(2024, 3, 10), False, False),  # first day
        (date(2024, 9, 9), False, False),  # last day
        (date(2024, 9, 10), True, True),  # lifted
    ],
)
def test_eligibility_before_during_and_after_an_influence_period(
    on: date, promotion: bool, rank: bool
) -> None:
    v = rules.eligibility([_admonishment()], on, block_decision_year=True)
    assert v["promotion"].eligible is promotion
    assert v["rank_promotion"].eligible is rank
    if not promotion:
        block = v["promotion"].blocks[0]
        assert block["until"] == date(2024, 9, 9)
        assert "第二十四条" in str(block["source"])


def test_excellent_grade_is_blocked_for_the_whole_year_of_the_measure() -> None:
    after = rules.eligibility([_admonishment()], date(2024, 11, 1), block_decision_year=True)
    assert after["promotion"].eligible
    assert not after["excellent_grade"].eligible
    assert after["excellent_grade"].blocks[0]["until"] == date(2024, 12, 31)
    next_year = rules.eligibility([_admonishment()], date(2025, 1, 2), block_decision_year=True)
    assert next_year["excellent_grade"].eligible


def test_a_state_sanction_blocks_rank_promotion_under_article_19() -> None:
    m = MeasureFact("gov_demerit", "记过", date(2024, 1, 1), date(2024, 12, 31), False)
    v = rules.eligibility([m], date(2024, 6, 1), block_decision_year=False)
    assert v["rank_promotion"].blocks[0]["source"] == "公职人员政务处分法 第十九条"


def test_an_open_referral_blocks_until_it_ends() -> None:
    open_ = MeasureFact("referral", "移送", date(2024, 1, 1), None, True)
    ended = MeasureFact("referral", "移送", date(2024, 1, 1), None, True, date(2024, 5, 1))
    on = date(2024, 6, 1)
    assert not rules.eligibility([open_], on, block_decision_year=False)["promotion"].eligible
    assert rules.eligibility([ended], on, block_decision_year=False)["promotion"].eligible


def test_reminders_block_nothing() -> None:
    m = MeasureFact("talk_reminder", "谈话提醒", date(2024, 1, 1), None, False)
    v = rules.eligibility([m], date(2024, 1, 2), block_decision_year=True)
    assert all(x.eligible for x in v.values())


def test_the_json_shape_is_exactly_the_issues() -> None:
    v = rules.eligibility([_admonishment()], date(2024, 5, 1), block_decision_year=True)
    out = rules.as_json(7, date(2024, 5, 1), v)
    assert set(out) == {"cadre", "on", "promotion", "excellent_grade", "rank_promotion"}
    assert out["promotion"] == {
        "eligible": False,
        "blocks": [
            {
                "reason": "诫勉（2024-03-10起）影响期内",
                "source": "党政领导干部选拔任用工作条例(2019) 第二十四条(六)",
                "until": "2024-09-09",
            }
        ],
    }


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("王小明同志推诿扯皮", ["王小明"], "王某某同志推诿扯皮"),
        ("王明、王小明", ["王明", "王小明"], "王某、王某某"),
        ("东湖县财政局", [], "东湖县财政局"),
    ],
)
def test_redaction_masks_chosen_names(text: str, names: list[str], expected: str) -> None:
    assert rules.redact(text, names) == expected


def test_redaction_of_other_terms() -> None:
    assert rules.redact("青石镇城建办", [], ["青石镇"]) == "＊＊城建办"


@pytest.mark.parametrize(
    ("original", "replacement", "lighter", "ok"),
    [
        ("gov_demerit", "gov_warning", True, True),
        ("gov_demerit", "gov_major_demerit", False, False),  # appeal may not make it heavier
        ("gov_demerit", "gov_demerit", True, False),  # lightening must be lighter
        ("gov_demerit", "talk_reminder", True, True),  # 从轻 to a first-form measure
        ("gov_demerit", "party_warning", True, False),
    ],
)
def test_replacements_are_never_heavier(
    original: str, replacement: str, lighter: bool, ok: bool
) -> None:
    if ok:
        rules.check_replacement(original, replacement, must_be_lighter=lighter)
    else:
        with pytest.raises(RuleError):
            rules.check_replacement(original, replacement, must_be_lighter=lighter)


def test_every_kind_has_a_category_a_severity_and_a_form() -> None:
    from cadre.accountability.models import MeasureKind

    for kind in MeasureKind.values:
        assert kind in rules.KIND_CATEGORY
        assert kind in rules.SEVERITY
        assert kind in rules.FOUR_FORMS
