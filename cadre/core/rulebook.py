"""Settings with defaults for rules that DOMAIN.md tags [V3] or [U].

Each rule is declared once here with its default and its source; staff may override the
value in the RuleSetting table. Code reads a value with `rule_value(key)`.
"""

from dataclasses import dataclass
from typing import Any

from cadre.core.errors import Refused


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    default: Any
    source: str
    tag: str  # V1 / V2 / V3 / U / local


RULES: dict[str, Rule] = {}


def declare(rule: Rule) -> Rule:
    RULES[rule.key] = rule
    return rule


def rule_value(key: str) -> Any:
    from cadre.core.models import RuleSetting

    rule = RULES[key]
    row = RuleSetting.objects.filter(key=key).values_list("value", flat=True).first()
    return rule.default if row is None else row


def rule_values(keys: list[str]) -> dict[str, Any]:
    """Several settings in one query (set-based readers that need many of them)."""
    from cadre.core.models import RuleSetting

    stored = dict(RuleSetting.objects.filter(key__in=keys).values_list("key", "value"))
    return {key: stored.get(key, RULES[key].default) for key in keys}


def discover_rules() -> dict[str, Rule]:
    """Imports every Cadre app's rules module so that all declarations are registered.

    Found by module name on purpose: an app without settings has no rules.py, which is
    normal, so this is plug-in discovery, not a contract (cadre/core/contracts.py)."""
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("cadre."):
            try:
                import_module(f"{config.name}.rules")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.rules":
                    raise
    return RULES


class RuleValueError(Refused):
    """A staff-entered rule value that does not fit the rule; the message is Chinese."""


_TYPE_NAMES = {
    bool: "是/否（true 或 false）",
    int: "整数",
    float: "数字",
    str: "文本",
    list: "列表（JSON 数组）",
    dict: "对象（JSON 对象）",
    type(None): "空值（null）",
}


def parse_rule_value(rule: Rule, text: str) -> Any:
    """Parses `text` as JSON and checks it has the shape of the rule's default.

    A text rule also accepts the bare text without JSON quotes.
    """
    import json

    text = (text or "").strip()
    if not text:
        raise RuleValueError("请填写取值")
    try:
        value = json.loads(text)
    except ValueError as exc:
        if isinstance(rule.default, str):
            return text
        raise RuleValueError(
            f"取值不是合法的JSON，应为{_type_name(rule.default)}，例如 {_example(rule.default)}"
        ) from exc
    if isinstance(rule.default, str) and not isinstance(value, str):
        return text
    _check_shape(rule.default, value, "取值")
    return value


def _type_name(value: Any) -> str:
    return next((name for t, name in _TYPE_NAMES.items() if type(value) is t), "与默认值相同的类型")


def _example(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _check_shape(default: Any, value: Any, where: str) -> None:
    expected = type(default)
    ok = type(value) is expected or (expected is float and type(value) is int)
    if not ok:
        raise RuleValueError(f"{where}应为{_type_name(default)}，而填写的是{_type_name(value)}")
    if expected in (int, float) and default >= 0 and value < 0:
        raise RuleValueError(f"{where}不能为负数")
    if expected is dict:
        missing, extra = set(default) - set(value), set(value) - set(default)
        if missing or extra:
            raise RuleValueError(
                f"{where}的键应为 {'、'.join(sorted(default))}"
                + (f"，缺少 {'、'.join(sorted(missing))}" if missing else "")
                + (f"，多出 {'、'.join(sorted(extra))}" if extra else "")
            )
        for key in default:
            _check_shape(default[key], value[key], f"“{key}”")
    if expected is list and default:
        for i, item in enumerate(value, start=1):
            _check_shape(default[0], item, f"第{i}项")
