"""The signed-in user's own notifications (站内通知): the page's list and "mark read"."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from cadre.core.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    text: str
    link: str
    created_at: datetime
    read_at: datetime | None


class ReadOut(Schema):
    marked: int


def _me(request: HttpRequest) -> int:
    """Every API operation is authenticated (config/api.py), so the user has an id."""
    user_id = request.user.pk
    assert user_id is not None, "the API authenticates every operation"
    return int(user_id)


@router.get("", response=list[NotificationOut], summary="我的通知（新的在前）")
@paginate(LimitOffsetPagination)
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    rows = Notification.objects.filter(user_id=_me(request))
    return rows.filter(read_at__isnull=True) if unread else rows


@router.post("/read", response=ReadOut, summary="全部标为已读")
def mark_read(request: HttpRequest) -> dict[str, int]:
    marked = Notification.objects.filter(user_id=_me(request), read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return {"marked": marked}
