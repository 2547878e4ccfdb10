"""Who may review logs and confirm grades: unit heads over their subtree (through the
scoping module's grants) and, for log review only, the delegates they name."""

from typing import Any

from cadre.accounts.access import grant_paths, is_superuser
from cadre.accounts.models import Role
from cadre.worklogs.models import _delegated_units


def head_paths(user: Any) -> list[str] | None:
    """Unit paths where `user` is unit head; None means everywhere (superuser)."""
    return None if is_superuser(user) else grant_paths(user, Role.UNIT_HEAD)


def reviewer_paths(user: Any) -> list[str] | None:
    heads = head_paths(user)
    return None if heads is None else heads + _delegated_units(user)


def within(paths: list[str] | None, unit_path: str) -> bool:
    """`unit_path` lies under one of `paths` (None: everywhere)."""
    return paths is None or any(unit_path.startswith(p) for p in paths)


def is_reviewer(user: Any) -> bool:
    paths = reviewer_paths(user)
    return paths is None or bool(paths)


def is_unit_head(user: Any) -> bool:
    paths = head_paths(user)
    return paths is None or bool(paths)
