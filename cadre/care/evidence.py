"""Heart-to-heart talks as evidence for the annual assessment: this module is the provider of
the `assessments.talks` contract (registered in apps.py; docs/architecture.md).

    count(cadre_ids, year) -> {cadre: int}   talks each cadre received in the year, 0 for none
    yearly_requirement() -> int              the yearly minimum (setting)
"""

from cadre.care import rules
from cadre.care.services import talked_to as count
from cadre.core.rulebook import rule_value

__all__ = ["count", "yearly_requirement"]


def yearly_requirement() -> int:
    return int(rule_value(rules.TALKS_PER_YEAR.key))
