from typing import Any

from django.core.exceptions import PermissionDenied

from cadre.accounts.access import user_scope
from cadre.accounts.models import Role


def can_maintain(user: Any) -> bool:
    """The calendar applies everywhere: a superuser or an org_admin of a root unit."""
    us = user_scope(user)
    return us.superuser or any(
        role == Role.ORG_ADMIN and path.count("/") == 2 for role, path in us.grants
    )


def require_maintainer(user: Any) -> None:
    if not can_maintain(user):
        raise PermissionDenied("只有上级组织部门（根单位）的管理员可以维护工作日历")
