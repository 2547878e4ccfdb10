from typing import Any

from django import template

from cadre.worklogs import access

register = template.Library()


@register.filter
def is_log_reviewer(user: Any) -> bool:
    """Unit heads and the delegates they named (for the nav link)."""
    return bool(getattr(user, "is_authenticated", False)) and access.is_reviewer(user)
