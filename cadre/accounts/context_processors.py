from typing import Any

from django.http import HttpRequest

from cadre.accounts.access import can_edit_rules, user_scope
from cadre.accounts.models import Role


def roles(request: HttpRequest) -> dict[str, Any]:
    us = user_scope(request.user)
    labels = [Role(r).label for r in sorted(us.roles()) if r in Role.values]
    if us.cadre_id is not None:
        labels.append("干部本人")
    return {
        "my_role_labels": labels,
        "my_roles": us.roles() | ({"superuser"} if us.superuser else set()),
        "is_cadre_user": us.cadre_id is not None,
        "can_edit_rules": can_edit_rules(request.user),
    }
