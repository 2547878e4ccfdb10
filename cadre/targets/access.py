"""Who may act on a book, a task or an inspection (on top of the scoping module).

Reading always goes through `visible_to`/`get_object_for_user`; these predicates decide
the *actions* a user who can see the record may take. Services call them, so the page and
the API refuse the same things.
"""

from typing import Any

from django.core.exceptions import PermissionDenied

from cadre.accounts.access import covers, grants_of, is_superuser, own_cadre_id
from cadre.core.types import AnyUser
from cadre.targets import rules

DRAFTER_ROLES = frozenset({"org_admin", "unit_head"})
INSPECTOR_ROLES = frozenset({"org_admin", "discipline"})


def is_drafter(user: AnyUser, book: Any) -> bool:
    """The unit's head or the org department over it, or the cadre whose book it is."""
    if book.owner_cadre_id is not None and own_cadre_id(user) == book.owner_cadre_id:
        return True
    return covers(user, book.unit.path, DRAFTER_ROLES)


def is_approver(user: AnyUser, book: Any) -> bool:
    return rules.may_approve(
        grants_of(user),
        book.unit.path,
        superuser=is_superuser(user),
        cadre_book=book.owner_cadre_id is not None,
        own=book.owner_cadre_id is not None and own_cadre_id(user) == book.owner_cadre_id,
    )


def may_report(user: AnyUser, task: Any, owner_ids: set[int]) -> bool:
    """Owners report on their tasks; the unit head or org department may report for them."""
    cadre_id = own_cadre_id(user)
    if cadre_id is not None and (cadre_id in owner_ids or cadre_id == task.book.owner_cadre_id):
        return True
    return covers(user, task.book.unit.path, DRAFTER_ROLES)


def is_inspector(user: AnyUser, unit_path: str) -> bool:
    return covers(user, unit_path, INSPECTOR_ROLES)


def may_follow_up(user: AnyUser, unit_path: str) -> bool:
    return covers(user, unit_path, INSPECTOR_ROLES | {"unit_head"})


def may_manage_projects(user: AnyUser, unit_path: str) -> bool:
    return covers(user, unit_path, DRAFTER_ROLES)


def may_review(user: AnyUser, unit_path: str) -> bool:
    return covers(user, unit_path, DRAFTER_ROLES)


def require(allowed: bool, message: str = "您无权执行此操作") -> None:
    if not allowed:
        raise PermissionDenied(message)
