"""Reads that are not scoped by org unit: the public notice page and a user's own reads."""

from typing import Any

from cadre.accountability.models import Notice, NoticeRead


def public_notices() -> Any:
    """Published public notices: anyone may read them (seed 五.2 公开通报)."""
    return Notice.objects.public().select_related("org_unit")


def public_notice(pk: int) -> Notice | None:
    return Notice.objects.public().select_related("org_unit").filter(pk=pk).first()


def read_notice_ids(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(NoticeRead.objects.filter(user=user).values_list("notice_id", flat=True))
