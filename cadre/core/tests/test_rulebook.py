"""Parsing staff-entered rule values against the default's type (pure, no database)."""

from typing import Any

import pytest

from cadre.core.rulebook import Rule, RuleValueError, parse_rule_value


def rule(default: Any) -> Rule:
    return Rule(key="t.x", label="测试", default=default, source="测试", tag="local")


@pytest.mark.parametrize(
    ("default", "text", "expected"),
    [
        (10, "15", 15),
        (10, " 0 ", 0),
        (0.5, "1", 1),
        (0.5, "0.25", 0.25),
        (True, "false", False),
        ("03-31", "04-30", "04-30"),
        ("03-31", '"04-30"', "04-30"),
        ("0.20", "0.25", "0.25"),  # a text rule takes the bare text
        (["a", "b"], '["c"]', ["c"]),
        ([], '[1, "x"]', [1, "x"]),
        ({"done": 100, "basic": 70}, '{"done": 90, "basic": 60}', {"done": 90, "basic": 60}),
    ],
)
def test_values_of_the_right_shape_are_accepted(default: Any, text: str, expected: Any) -> None:
    assert parse_rule_value(rule(default), text) == expected


@pytest.mark.parametrize(
    ("default", "text", "message"),
    [
        (10, "", "请填写取值"),
        (10, "十五", "不是合法的JSON"),
        (10, "1.5", "应为整数，而填写的是数字"),
        (10, "true", "应为整数，而填写的是是/否"),
        (10, "-3", "不能为负数"),
        (10, "null", "空值"),
        (True, "1", "应为是/否"),
        (True, '"yes"', "应为是/否"),
        (["a"], '"a"', "应为列表"),
        (["a"], '["a", 2]', "第2项应为文本"),
        ({"done": 100, "basic": 70}, '{"done": 90}', "缺少 basic"),
        ({"done": 100, "basic": 70}, '{"done": 90, "basic": 1, "x": 0}', "多出 x"),
        ({"done": 100, "basic": 70}, '{"done": "九十", "basic": 1}', "“done”应为整数"),
        ({"done": 100}, "[1]", "应为对象"),
    ],
)
def test_wrong_shapes_get_a_chinese_message(default: Any, text: str, message: str) -> None:
    with pytest.raises(RuleValueError) as info:
        parse_rule_value(rule(default), text)
    assert message in str(info.value)
