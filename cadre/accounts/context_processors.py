from typing import Any

from django.http import HttpRequest

from cadre.accounts.access import can_edit_rules, user_scope


def roles(request: HttpRequest) -> dict[str, Any]:
    us = user_scope(request.user)
    return {
        "my_roles": us.roles() | ({"superuser"} if us.superuser else set()),
        "is_cadre_user": us.cadre_id is not None,
        "can_edit_rules": can_edit_rules(request.user),
    }
