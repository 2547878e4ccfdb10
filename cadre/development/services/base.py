from datetime import date
from decimal import Decimal
from typing import Any

from cadre.core.rulebook import rule_value


class DevelopmentError(ValueError):
    """A refused action; the Chinese message names the rule."""


def setting_decimal(key: str) -> Decimal:
    return Decimal(str(rule_value(key)))


def setting_int(key: str) -> int:
    return int(rule_value(key))


def require(condition: Any, message: str) -> None:
    if not condition:
        raise DevelopmentError(message)


def check_dates(start: date, end: date, label: str) -> None:
    require(end >= start, f"{label}的结束日期不能早于开始日期")
