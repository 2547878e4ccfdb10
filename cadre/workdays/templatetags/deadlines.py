"""`{% provisional obj "due_on" %}`: the 推定 mark after a working-day deadline.

Renders nothing for an official deadline; for one computed through a year whose holiday
schedule is not yet confirmed, a badge with the one-line explanation (as a tooltip, or as
visible text with `long=True` on detail pages and printed notices).
"""

from typing import Any

from django import template
from django.utils.html import format_html

from cadre.workdays.rules import provisional_note

register = template.Library()


@register.simple_tag
def provisional(obj: Any, field: str, long: bool = False) -> str:
    day = getattr(obj, field, None)
    if day is None or not getattr(obj, f"{field}_provisional", False):
        return ""
    note = provisional_note([day.year])
    if long:
        return format_html(
            ' <span class="badge text-bg-warning">推定</span>'
            ' <span class="small text-muted">{}</span>',
            note,
        )
    return format_html(' <span class="badge text-bg-warning" title="{}">推定</span>', note)


@register.inclusion_tag("workdays/_calendar_warning.html", takes_context=True)
def calendar_warning(context: dict[str, Any]) -> dict[str, Any]:
    """On org and discipline staff's home page: next year's schedule not confirmed (from
    1 November), and how many open deadlines are 推定."""
    from django.utils import timezone

    from cadre.accounts.access import has_role
    from cadre.workdays import services

    request = context.get("request")
    if request is None or not has_role(request.user, "org_admin", "discipline"):
        return {"show": False}
    pending = services.unconfirmed_years_ahead(timezone.localdate())
    count = services.provisional_deadline_count()
    return {"show": bool(pending or count), "pending": pending, "count": count}
