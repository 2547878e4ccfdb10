"""Table-driven tests of the pure rules: no database."""

from datetime import date
from decimal import Decimal as D

import pytest

from cadre.targets import rules
from cadre.targets.rules import RuleError

T = rules.Thresholds(D(10), D(25))
POINTS = rules.OUTCOME_POINTS.default


@pytest.mark.parametrize(
    ("weights", "error"),
    [
        ([D(40), D(60)], None),
        ([D("33.33"), D("33.33"), D("33.34")], None),
        ([D(100)], None),
        ([D(40), D(50)], "合计为90"),
        ([D(60), D(60)], "合计为120"),
        ([D("33.33"), D("33.33"), D("33.33")], "合计为99.99"),
        ([D(110), D(-10)], "必须大于0"),
        ([D(0), D(100)], "必须大于0"),
        ([], "至少需要一项任务"),
    ],
)
def test_it_requires_weights_summing_to_100(weights: list, error: str | None) -> None:
    if error is None:
        rules.check_weights(weights)
    else:
        with pytest.raises(RuleError, match=error):
            rules.check_weights(weights)


@pytest.mark.parametrize(
    ("due", "ok"),
    [
        (date(2026, 1, 1), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),
        (date(2025, 12, 31), False),
    ],
)
def test_due_date_must_fall_in_the_books_year(due: date, ok: bool) -> None:
    if ok:
        rules.check_due_date(2026, due)
    else:
        with pytest.raises(RuleError, match="不在任务书年度"):
            rules.check_due_date(2026, due)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 12, 1), D(0)),
        (date(2026, 1, 1), D(0)),
        (date(2026, 1, 11), D("10.0")),  # 10 of 100 days
        (date(2026, 2, 20), D("50.0")),
        (date(2026, 4, 11), D(100)),  # the due date
        (date(2026, 9, 1), D(100)),
    ],
)
def test_expected_progress_is_linear_to_the_due_date(on: date, expected: D) -> None:
    assert rules.expected_linear(date(2026, 1, 1), date(2026, 4, 11), on) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 2, 27), D(0)),
        (date(2026, 2, 28), D("25.0")),
        (date(2026, 6, 30), D("50.0")),
        (date(2026, 9, 29), D("50.0")),
        (date(2026, 9, 30), D("75.0")),
        (date(2026, 12, 31), D(100)),
    ],
)
def test_expected_progress_by_milestones(on: date, expected: D) -> None:
    dues = [date(2026, 2, 28), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)]
    assert rules.expected_by_milestones(dues, on) == expected


@pytest.mark.parametrize(
    ("value", "target", "pct"),
    [
        (D(50), D(200), D("25.0")),
        (D(250), D(200), D(100)),
        (None, D(10), D(0)),
        (D(1), D(3), D("33.3")),
    ],
)
def test_actual_numeric_progress_is_capped_at_100(value: D, target: D, pct: D) -> None:
    assert rules.actual_numeric(value, target) == pct


@pytest.mark.parametrize(
    ("expected", "actual", "status"),
    [
        (D(50), D(50), "on_track"),
        (D(50), D(40), "on_track"),  # exactly 10 points behind: still on track
        (D(50), D("39.9"), "lagging"),
        (D(50), D(25), "lagging"),  # exactly 25 behind: lagging, not yet at risk
        (D(50), D("24.9"), "at_risk"),
        (D(100), D(0), "at_risk"),
        (D(100), D(100), "on_track"),
        (D(10), D(90), "on_track"),
    ],
)
def test_lagging_rule_uses_thresholds(expected: D, actual: D, status: str) -> None:
    assert rules.progress_status(expected, actual, T) == status


def test_lagging_thresholds_are_settings() -> None:
    strict = rules.Thresholds(D(5), D(15))
    assert rules.progress_status(D(50), D(44), strict) == "lagging"
    assert rules.progress_status(D(50), D(44), T) == "on_track"


@pytest.mark.parametrize(
    ("items", "score"),
    [
        ([(D(100), "completed")], D("100.00")),
        ([(D(60), "completed"), (D(40), "incomplete")], D("60.00")),
        ([(D(50), "exceeded"), (D(30), "basic"), (D(20), "completed")], D("96.00")),
        ([(D("33.33"), "basic"), (D("66.67"), "completed")], D("90.00")),
        ([(D(100), "exceeded")], D("110.00")),
    ],
)
def test_book_score_from_weights_and_outcomes(items: list, score: D) -> None:
    assert rules.book_score(items, POINTS) == score


def test_book_score_follows_the_points_setting() -> None:
    points = {**POINTS, "basic": 60}
    assert rules.book_score([(D(50), "basic"), (D(50), "completed")], points) == D("80.00")


@pytest.mark.parametrize(
    ("outcome", "kind", "target", "actual", "reason", "error"),
    [
        ("completed", "numeric", D(10), D(10), "", None),
        ("exceeded", "numeric", D(10), D(12), "", None),
        ("exceeded", "numeric", D(10), D(10), "", "超额完成"),
        ("exceeded", "milestones", None, None, "", "超额完成"),
        ("basic", "numeric", D(10), D(8), "", "未完成原因"),
        ("incomplete", "milestones", None, None, "资金未到位", None),
        ("nonsense", "numeric", D(10), D(8), "", "无效"),
    ],
)
def test_outcome_checks(
    outcome: str, kind: str, target: D | None, actual: D | None, reason: str, error: str | None
) -> None:
    def call() -> None:
        rules.check_outcome(
            outcome, kind=kind, target=target, actual=actual, shortfall_reason=reason
        )

    if error is None:
        call()
    else:
        with pytest.raises(RuleError, match=error):
            call()


@pytest.mark.parametrize(
    ("required", "text", "files", "ok"),
    [
        (True, "", 0, False),
        (True, "  ", 0, False),
        (True, "验收报告", 0, True),
        (True, "", 1, True),
        (False, "", 0, True),
    ],
)
def test_evidence_required_by_setting(required: bool, text: str, files: int, ok: bool) -> None:
    if ok:
        rules.check_evidence(required=required, text=text, files=files)
    else:
        with pytest.raises(RuleError, match="佐证材料"):
            rules.check_evidence(required=required, text=text, files=files)


def test_changing_an_outcome_needs_a_reason() -> None:
    rules.check_confirmation("completed", "completed", "")
    rules.check_confirmation("completed", "basic", "节点滞后")
    with pytest.raises(RuleError, match="理由"):
        rules.check_confirmation("completed", "basic", " ")


@pytest.mark.parametrize(
    ("current", "target", "ok"),
    [
        ("draft", "submitted", True),
        ("submitted", "approved", True),
        ("submitted", "returned", True),
        ("returned", "submitted", True),
        ("approved", "signed", True),
        ("signed", "reconciled", True),
        ("draft", "approved", False),
        ("submitted", "signed", False),
        ("approved", "draft", False),
        ("reconciled", "signed", False),
        ("cancelled", "submitted", False),
        ("approved", "reconciled", False),
    ],
)
def test_workflow_transitions(current: str, target: str, ok: bool) -> None:
    if ok:
        rules.check_transition(current, target)
    else:
        with pytest.raises(RuleError, match="不能变为"):
            rules.check_transition(current, target)


CITY, COUNTY, ORGAN = "/1/", "/1/2/", "/1/2/3/"


@pytest.mark.parametrize(
    ("grants", "unit", "cadre_book", "own", "ok"),
    [
        ([("org_admin", CITY)], ORGAN, False, False, True),
        ([("org_admin", ORGAN)], ORGAN, False, False, True),
        ([("unit_head", COUNTY)], ORGAN, False, False, True),  # the superior unit
        ([("unit_head", ORGAN)], ORGAN, False, False, False),  # not its own unit's book
        ([("unit_head", ORGAN)], ORGAN, True, False, True),  # a leader of its own unit
        ([("unit_head", ORGAN)], ORGAN, True, True, False),  # never one's own book
        ([("discipline", CITY)], ORGAN, False, False, False),
        ([("auditor", CITY)], ORGAN, False, False, False),
        ([("org_admin", "/9/")], ORGAN, False, False, False),
        ([], ORGAN, False, False, False),
    ],
)
def test_who_may_approve(grants: list, unit: str, cadre_book: bool, own: bool, ok: bool) -> None:
    assert rules.may_approve(grants, unit, superuser=False, cadre_book=cadre_book, own=own) is ok


@pytest.mark.parametrize(
    ("status", "today", "listed"),
    [
        ("draft", date(2026, 3, 31), False),  # the deadline day itself is still in time
        ("draft", date(2026, 4, 1), True),
        ("submitted", date(2026, 4, 1), True),
        ("returned", date(2026, 6, 1), True),
        ("approved", date(2026, 4, 1), False),
        ("signed", date(2026, 4, 1), False),
        ("cancelled", date(2026, 4, 1), False),
    ],
)
def test_books_not_approved_by_the_deadline(status: str, today: date, listed: bool) -> None:
    assert rules.not_approved_by_deadline(status, 2026, "03-31", today) is listed


@pytest.mark.parametrize(
    ("positive", "req", "deadline", "error"),
    [
        (True, "", None, None),
        (False, "限期整改", date(2026, 8, 1), None),
        (False, "", date(2026, 8, 1), "整改要求"),
        (False, "限期整改", None, "整改期限"),
        (False, "限期整改", date(2026, 6, 1), "早于"),
    ],
)
def test_negative_findings_need_rectification(
    positive: bool, req: str, deadline: date | None, error: str | None
) -> None:
    def call() -> None:
        rules.check_finding(
            positive=positive, requirement=req, deadline=deadline, found_on=date(2026, 7, 1)
        )

    if error is None:
        call()
    else:
        with pytest.raises(RuleError, match=error):
            call()


def test_rectification_overdue() -> None:
    assert rules.rectification_overdue(date(2026, 8, 1), False, date(2026, 8, 2))
    assert not rules.rectification_overdue(date(2026, 8, 1), True, date(2026, 8, 2))
    assert not rules.rectification_overdue(date(2026, 8, 1), False, date(2026, 8, 1))


# --- task progress for the quarterly routine grade (seed 四.4; issue 14) -------------------


@pytest.mark.parametrize(
    ("expected", "actual", "score"),
    [
        (D("74.7"), D("60.0"), D("80.3")),  # behind: the share of what was due that is done
        (D("50.0"), D("50.0"), D("100.0")),  # on schedule
        (D("50.0"), D("80.0"), D("100.0")),  # ahead counts as on schedule, not more
        (D("0"), D("0"), D("100.0")),  # nothing due yet (no milestone reached its date)
        (D("100.0"), D("0"), D("0.0")),  # due and not started
    ],
)
def test_a_tasks_pace_score(expected: D, actual: D, score: D) -> None:
    assert rules.pace_score(expected, actual) == score


def test_a_cadres_tasks_are_weighted_by_the_task_weights() -> None:
    # (60 × 80 + 40 × 100) / 100 = 88
    assert rules.weighted_pace([(D(60), D(80)), (D(40), D(100))]) == D("88.0")
    with pytest.raises(RuleError, match="没有任务"):
        rules.weighted_pace([])
