"""Training as evidence for the annual assessment: this module is the provider of the
`assessments.training` contract (registered in apps.py; docs/architecture.md).

    hours(cadre_ids, year) -> {cadre: Decimal}   hours earned in the year, 0 for none
    yearly_requirement() -> Decimal              the yearly minimum (setting)
"""

from decimal import Decimal

from cadre.core.rulebook import rule_value
from cadre.development import rules
from cadre.development.services.training import training_hours as hours

__all__ = ["hours", "yearly_requirement"]


def yearly_requirement() -> Decimal:
    return Decimal(str(rule_value(rules.YEARLY_HOURS.key)))
