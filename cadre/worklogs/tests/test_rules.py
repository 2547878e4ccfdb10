"""Pure rules, no database: DOMAIN.md 1.6 and the worklogs.* settings (defaults)."""

from datetime import date
from decimal import Decimal

import pytest

from cadre.worklogs import rules as r
from cadre.worklogs.rules import GradeInputs, GradeSettings, LogText, Refused

D = Decimal
FRI, MON = date(2026, 11, 27), date(2026, 11, 23)


# ---------------------------------------------------------------- loggable days


@pytest.mark.parametrize(
    ("day", "is_workday", "since", "late", "message"),
    [
        (FRI, True, 0, False, None),  # the day itself: on time
        (date(2026, 11, 26), True, 1, True, None),  # within the window: late
        (date(2026, 11, 24), True, 3, True, None),  # the window's last day (default 3)
        (MON, True, 4, None, "已超过补填期限（3个工作日），该日记为缺填"),
        (date(2026, 11, 28), False, 0, None, "是未来日期"),
        (date(2026, 11, 22), False, 4, None, "不是工作日"),
    ],
)
def test_a_log_day_is_on_time_late_or_refused(
    day: date, is_workday: bool, since: int, late: bool | None, message: str | None
) -> None:
    call = {
        "day": day,
        "today": FRI,
        "is_workday": is_workday,
        "workdays_since": since,
        "late_window": 3,
    }
    if message is None:
        assert r.check_log_day(**call).late is late
    else:
        with pytest.raises(Refused, match=message):
            r.check_log_day(**call)


def test_a_future_day_is_refused_before_asking_whether_it_is_a_working_day() -> None:
    with pytest.raises(Refused, match="未来日期"):
        r.check_log_day(
            day=date(2026, 12, 1), today=FRI, is_workday=True, workdays_since=0, late_window=3
        )


@pytest.mark.parametrize(
    ("n_days", "window", "closed", "open_"),
    [(10, 3, 6, 4), (3, 3, 0, 3), (10, 0, 9, 1), (0, 3, 0, 0)],
)
def test_the_last_window_plus_one_working_days_are_still_open(
    n_days: int, window: int, closed: int, open_: int
) -> None:
    days = [date(2026, 11, d) for d in range(1, n_days + 1)]
    got_closed, got_open = r.split_open_days(days, window)
    assert (len(got_closed), len(got_open)) == (closed, open_)
    assert got_closed + got_open == days


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "不能为空"),
        ("   \n ", "不能为空"),
        (None, "不能为空"),
        ("字" * 2001, "不能超过2000字（当前2001字）"),
        ("a\x00b", "非法字符"),
    ],
)
def test_empty_or_oversized_text_is_refused(text: str | None, message: str) -> None:
    with pytest.raises(Refused, match=message):
        r.clean_text(text, 2000)


def test_text_is_trimmed_and_kept_up_to_the_limit() -> None:
    assert r.clean_text("  走访企业3家  ", 2000) == "走访企业3家"
    assert len(r.clean_text("字" * 2000, 2000)) == 2000


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (None, None),
        ("", None),
        ("7.5", D("7.5")),
        (8, D(8)),
        ("24", D(24)),
        ("0", "大于0"),
        ("-1", "大于0"),
        ("24.5", "不超过24"),
        ("7.25", "一位小数"),
        ("abc", "数字"),
        ("NaN", "大于0"),
    ],
)
def test_hours_are_optional_and_bounded(hours: object, expected: object) -> None:
    if isinstance(expected, str):
        with pytest.raises(Refused, match=expected):
            r.clean_hours(hours)
    else:
        assert r.clean_hours(hours) == expected


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (None, []),
        ([3, "5", 3], [3, 5]),
        (["x"], "不是有效的编号"),
        ([0], "不是有效的编号"),
        (list(range(1, 22)), "最多关联20项"),
    ],
)
def test_task_links_are_positive_ids(ids: object, expected: object) -> None:
    if isinstance(expected, str):
        with pytest.raises(Refused, match=expected):
            r.clean_task_ids(ids)  # type: ignore[arg-type]
    else:
        assert r.clean_task_ids(ids) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "monday", "quarter"),
    [
        (date(2026, 11, 27), date(2026, 11, 23), 4),
        (date(2026, 1, 1), date(2025, 12, 29), 1),
        (date(2026, 6, 30), date(2026, 6, 29), 2),
    ],
)
def test_weeks_start_on_monday_and_quarters_are_calendar_quarters(
    day: date, monday: date, quarter: int
) -> None:
    assert (r.week_start(day), r.quarter_of(day)) == (monday, quarter)


@pytest.mark.parametrize(
    ("q", "bounds"),
    [
        (1, (date(2026, 1, 1), date(2026, 3, 31))),
        (2, (date(2026, 4, 1), date(2026, 6, 30))),
        (3, (date(2026, 7, 1), date(2026, 9, 30))),
        (4, (date(2026, 10, 1), date(2026, 12, 31))),
    ],
)
def test_quarter_bounds(q: int, bounds: tuple[date, date]) -> None:
    assert r.quarter_bounds(2026, q) == bounds


def test_a_fifth_quarter_is_refused() -> None:
    with pytest.raises(Refused, match="季度须为1至4"):
        r.quarter_bounds(2026, 5)


# ---------------------------------------------------------------- marks


@pytest.mark.parametrize(
    ("scale", "mark", "score", "expected"),
    [
        ("grade", "good", None, ("good", None)),
        ("grade", "excellent", None, "请选择评价"),
        ("grade", None, 90, "请选择评价"),
        ("score", "", "88", ("", 88)),
        ("score", "", 101, "0至100"),
        ("score", "", "x", "0至100"),
    ],
)
def test_a_week_mark_follows_the_configured_scale(
    scale: str, mark: str | None, score: object, expected: object
) -> None:
    if isinstance(expected, str):
        with pytest.raises(Refused, match=expected):
            r.clean_mark(scale, mark, score)
    else:
        assert r.clean_mark(scale, mark, score) == expected


# ---------------------------------------------------------------- near-duplicates

BASE = "上午参加全县安全生产工作会议，下午赴青石镇调研农村饮用水工程建设进度"
OTHER = "全天在办公室审核2027年财政预算草案，与各科室沟通口径"


@pytest.mark.parametrize(
    ("a", "b", "measure", "low", "high"),
    [
        (BASE, BASE, "jaccard", 1.0, 1.0),  # copied verbatim
        (BASE, BASE.replace("青石镇", "白沙镇"), "jaccard", 0.75, 0.95),  # small edit
        (BASE, BASE + "。晚上整理会议纪要并报送办公室。", "containment", 1.0, 1.0),  # copy + more
        (BASE, BASE + "。晚上整理会议纪要并报送办公室。", "jaccard", 0.5, 0.75),
        (BASE, OTHER, "containment", 0.0, 0.1),
        (
            BASE,
            "上午参加全县安全生产工作会议，下午赴青石镇调研农村饮用水工程建设进度。",
            "jaccard",
            1.0,
            1.0,
        ),  # punctuation does not count
        ("ＡＢＣ会议纪要整理", "abc会议纪要整理", "jaccard", 1.0, 1.0),  # full-width folded
    ],
)
def test_similarity_of_character_shingles(
    a: str, b: str, measure: str, low: float, high: float
) -> None:
    assert low <= r.similarity(r.shingles(a, 3), r.shingles(b, 3), measure) <= high


def _logs(*texts: str) -> list[LogText]:
    return [LogText(i + 1, date(2026, 11, 2 + i), t) for i, t in enumerate(texts)]


@pytest.mark.parametrize(
    ("texts", "cfg", "pairs"),
    [
        # the same text day after day: each copy points at the closest earlier log
        ((BASE, BASE, BASE), r.DupSettings(), [(2, 1), (3, 2)]),
        # small edits still match; an unrelated day does not
        ((BASE, OTHER, BASE.replace("上午", "早上")), r.DupSettings(), [(3, 1)]),
        # beyond the lookback window the copy is not compared
        ((BASE, OTHER, "接待来访群众并做好登记和转办工作", BASE), r.DupSettings(lookback=2), []),
        # short logs are not compared: "参加会议" twice is not copying
        (("参加会议", "参加会议"), r.DupSettings(), []),
        # a stricter threshold lets a light edit pass
        (
            (BASE, BASE.replace("青石镇", "白沙镇")),
            r.DupSettings(measure="jaccard", threshold=0.95),
            [],
        ),
    ],
)
def test_near_duplicates_are_found_with_the_logs_behind_them(
    texts: tuple[str, ...], cfg: r.DupSettings, pairs: list[tuple[int, int]]
) -> None:
    found = r.find_near_duplicates(_logs(*texts), cfg)
    assert [(p.log_id, p.earlier_id) for p in found] == pairs


# ---------------------------------------------------------------- grade proposal

CFG = GradeSettings()


@pytest.mark.parametrize(
    ("inputs", "grade", "score"),
    [
        # full completeness, 好 weeks, tasks 90: (40*100 + 40*95 + 20*90) / 100 = 96
        (GradeInputs(60, 60, 0, (D(95),) * 12, D(90), 0), "good", D("96.0")),
        # late days count half: (54 + 6*0.5)/60 = 95%; (40*95 + 40*85 + 20*90) / 100 = 90
        (GradeInputs(60, 54, 6, (D(85),) * 12, D(90), 0), "good", D("90.0")),
        # 较好 band
        # (50 + 4*0.5)/60 = 86.7%; (40*86.7 + 40*85 + 20*80) / 100 = 84.68 → 84.7
        (GradeInputs(60, 50, 4, (D(85),) * 12, D(80), 0), "fairly_good", D("84.7")),
        # two inspection findings: −10
        (GradeInputs(60, 60, 0, (D(95),) * 12, D(90), 2), "fairly_good", D("86.0")),
        # deductions are capped at 20
        (GradeInputs(60, 60, 0, (D(95),) * 12, D(90), 10), "average", D("76.0")),
        # 一般: half the days missing: (40*50 + 40*85 + 20*70) / 100 = 68
        (GradeInputs(60, 30, 0, (D(85),) * 12, D(70), 0), "average", D("68.0")),
        # 较差: (40*33.3 + 40*70 + 20*50) / 100 = 51.32 → 51.3
        (GradeInputs(60, 20, 0, (D(70),) * 12, D(50), 0), "poor", D("51.3")),
    ],
)
def test_grade_proposal_from_weights_and_thresholds(
    inputs: GradeInputs, grade: str, score: Decimal
) -> None:
    proposal = r.propose_grade(inputs, CFG)
    assert (proposal.grade, proposal.score) == (grade, score)


def test_a_proposal_explains_each_component() -> None:
    proposal = r.propose_grade(GradeInputs(60, 54, 6, (D(85),), D(90), 0), CFG)
    text = "\n".join(proposal.reasons)
    assert "日志完整率95.0%（应填60天，按时54天，补填6天按0.5折算）" in text
    assert "任务进展90.0分" in text
    assert "专项督查未发现涉及本人的问题，不扣分" in text
    assert not proposal.incomplete


@pytest.mark.parametrize(
    ("inputs", "missing"),
    [
        # no task: the 20% is not moved to logs and reviews (issue 14)
        (GradeInputs(60, 60, 0, (D(95),) * 12, None, 0), ("tasks",)),
        (GradeInputs(60, 60, 0, (), D(90), 0), ("review",)),
        (GradeInputs(60, 60, 0, (D(95),) * 12, D(90), None), ("inspections",)),
        (GradeInputs(0, 0, 0), ("completeness", "review", "tasks", "inspections")),
    ],
)
def test_a_missing_input_makes_the_proposal_incomplete_not_reweighted(
    inputs: GradeInputs, missing: tuple[str, ...]
) -> None:
    proposal = r.propose_grade(inputs, CFG)
    assert (proposal.grade, proposal.score, proposal.missing) == (None, None, missing)
    assert proposal.incomplete
    assert "不以其余各项折算，请人工评定等次" in proposal.reasons[-1]


def test_an_input_weighted_zero_is_not_missing() -> None:
    no_tasks = GradeSettings(weights={"completeness": 50, "review": 50, "tasks": 0})
    proposal = r.propose_grade(GradeInputs(60, 60, 0, (D(90),), None, 0), no_tasks)
    assert (proposal.score, proposal.incomplete) == (D("95.0"), False)


@pytest.mark.parametrize(
    ("thresholds", "grade"),
    [
        ({"good": 95, "fairly_good": 85, "average": 70}, "fairly_good"),
        ({"good": 85, "fairly_good": 75, "average": 60}, "good"),
    ],
)
def test_thresholds_are_settings(thresholds: dict, grade: str) -> None:
    cfg = GradeSettings(thresholds=thresholds)
    assert r.propose_grade(GradeInputs(60, 54, 6, (D(85),), D(85), 0), cfg).grade == grade


def test_weights_are_settings() -> None:
    only_reviews = GradeSettings(weights={"completeness": 0, "review": 100, "tasks": 0})
    assert r.propose_grade(GradeInputs(60, 10, 0, (D(95),), None, 0), only_reviews).score == D(
        "95.0"
    )


# ---------------------------------------------------------------- the 好 cap and the year link


def _group(*grades_scores: tuple[str | None, int]) -> list[tuple[int, str | None, Decimal]]:
    return [(i + 1, g, D(s)) for i, (g, s) in enumerate(grades_scores)]


@pytest.mark.parametrize(
    ("group", "ratio", "demoted"),
    [
        # 5 participants, 40% → at most 2 好: the lowest-scoring 好 becomes 较好
        (
            _group(("good", 96), ("good", 92), ("good", 91), ("fairly_good", 85), ("average", 70)),
            0.4,
            {3},
        ),
        # within the cap: nothing changes
        (
            _group(("good", 96), ("good", 92), ("fairly_good", 85), ("average", 70), ("poor", 50)),
            0.4,
            set(),
        ),
        # ties are broken by key, deterministically
        (_group(("good", 92), ("good", 92), ("good", 92), ("good", 92), ("poor", 50)), 0.4, {3, 4}),
        # 2 participants at 40% → 0 好 allowed
        (_group(("good", 99), ("fairly_good", 85)), 0.4, {1}),
        # cadres without a proposal are not participants: 3 of 4 → limit 1
        (_group(("good", 99), ("good", 95), ("average", 70), (None, 0)), 0.4, {2}),
    ],
)
def test_the_good_cap_is_applied_to_the_whole_group(
    group: list, ratio: float, demoted: set[int]
) -> None:
    result = r.apply_good_cap(group, ratio)
    changed = {k for k, (g, reason) in result.items() if reason}
    assert changed == demoted
    assert all(result[k][0] == "fairly_good" for k in demoted)
    assert all(result[k][0] == g for k, g, _ in group if k not in demoted)


@pytest.mark.parametrize(
    ("participants", "goods_after", "allowed"),
    [(10, 4, True), (10, 5, False), (7, 2, True), (7, 3, False), (1, 1, False)],
)
def test_good_quota_on_confirmation(participants: int, goods_after: int, allowed: bool) -> None:
    assert r.good_quota_allows(participants, goods_after, 0.4) is allowed


@pytest.mark.parametrize(
    ("grades", "allowed", "why"),
    [
        (("good", "good", "good", "fairly_good"), True, ""),
        (("good", "good", "fairly_good", "fairly_good"), False, "未超过半数"),  # half is not more
        (("good", "good", "good", "average"), False, "一般"),
        (("good", "good", "good", "poor"), False, "较差"),
        (("good", "good", "fairly_good"), True, ""),  # joined mid-year: 2 of 3
        ((), False, "无平时考核结果"),
    ],
)
def test_the_yearly_link_rule_for_excellent(
    grades: tuple[str, ...], allowed: bool, why: str
) -> None:
    ok, reason = r.excellent_allowed(grades)
    assert ok is allowed
    assert why in reason


# ---------------------------------------------------------------- confirmation and 复核


@pytest.mark.parametrize(
    ("status", "proposed", "final", "reason", "expected"),
    [
        ("proposed", "good", "good", "", ""),
        ("proposed", "good", "fairly_good", "", "请填写调整建议等次的理由"),
        ("proposed", "good", "fairly_good", "有一周未按时报送材料", "有一周未按时报送材料"),
        ("proposed", None, "average", "", "请填写调整建议等次的理由"),
        ("proposed", "good", "excellent", "x", "请选择等次"),
        ("confirmed", "good", "good", "", "已确认"),
    ],
)
def test_confirming_a_changed_grade_needs_a_reason(
    status: str, proposed: str | None, final: str, reason: str, expected: str
) -> None:
    call = {"status": status, "proposed": proposed, "final": final, "reason": reason}
    if expected.startswith("请") or expected.endswith("已确认"):
        with pytest.raises(Refused, match=expected):
            r.check_confirmation(**call)
    else:
        assert r.check_confirmation(**call) == expected


@pytest.mark.parametrize(
    ("status", "already", "reason", "message"),
    [
        ("confirmed", False, "第三季度我牵头完成了两项重点任务，建议复核", None),
        ("confirmed", True, "再次申请", "只能提出一次"),
        ("review_decided", True, "再次申请", "只能提出一次"),
        ("proposed", False, "理由", "确认后才能申请复核"),
        ("confirmed", False, "  ", "请填写申请复核的理由"),
    ],
)
def test_review_may_be_requested_once_with_a_reason(
    status: str, already: bool, reason: str, message: str | None
) -> None:
    call = {"status": status, "already_requested": already, "reason": reason}
    if message is None:
        assert r.check_review_request(**call) == reason
    else:
        with pytest.raises(Refused, match=message):
            r.check_review_request(**call)


def test_a_review_decision_needs_a_pending_request_and_a_note() -> None:
    with pytest.raises(Refused, match="没有待处理的复核申请"):
        r.check_review_decision(status="confirmed", grade="good", note="维持")
    with pytest.raises(Refused, match="请填写复核意见"):
        r.check_review_decision(status="review_requested", grade="good", note="")
    assert r.check_review_decision(status="review_requested", grade="good", note="维持") == "维持"


def test_log_and_grade_workflows_only_move_forward() -> None:
    assert r.can_move("draft", "submitted")
    assert r.can_move("submitted", "submitted")  # re-submitted until reviewed
    assert not r.can_move("reviewed", "submitted")
    assert not r.can_move("review_decided", "review_requested", r.GRADE_TRANSITIONS)
