"""Settings with defaults for rules that DOMAIN.md tags [V3] or [U].

Each rule is declared once here with its default and its source; staff may override the
value in the RuleSetting table. Code reads a value with `rule_value(key)`.
"""

from dataclasses import dataclass
from typing import Any


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
