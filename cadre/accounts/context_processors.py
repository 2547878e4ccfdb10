from typing import Any

from django.http import HttpRequest

from cadre.accounts.access import can_edit_rules, is_superuser, own_cadre_id, roles_of
from cadre.accounts.models import Role


def roles(request: HttpRequest) -> dict[str, Any]:
    roles, cadre_id = roles_of(request.user), own_cadre_id(request.user)
    labels = [Role(r).label for r in sorted(roles) if r in Role.values]
    if cadre_id is not None:
        labels.append("干部本人")
    return {
        "my_role_labels": labels,
        "my_roles": roles | ({"superuser"} if is_superuser(request.user) else set()),
        "is_cadre_user": cadre_id is not None,
        "can_edit_rules": can_edit_rules(request.user),
    }
