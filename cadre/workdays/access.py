from django.core.exceptions import PermissionDenied

from cadre.accounts.access import holds_root_grant
from cadre.accounts.models import Role
from cadre.core.types import AnyUser


def can_maintain(user: AnyUser) -> bool:
    """The calendar applies everywhere: a superuser or an org_admin of a root unit."""
    return holds_root_grant(user, Role.ORG_ADMIN)


def require_maintainer(user: AnyUser) -> None:
    if not can_maintain(user):
        raise PermissionDenied("只有上级组织部门（根单位）的管理员可以维护工作日历")
