"""Each user reads and clears only their own notifications, on the page and over the API."""

from typing import Any

from cadre.core.models import Notification


def _note(user: Any, text: str) -> Notification:
    return Notification.objects.create(user=user, text=text, link="/workdays/")


def test_the_api_lists_only_my_notifications_and_marks_them_read(world: Any, as_user: Any) -> None:
    _note(world.city_admin, "函询回复期限由2027-01-19调整为2027-01-18")
    _note(world.head_a, "别人的通知")
    client = as_user(world.city_admin)
    listed = client.get("/api/v1/notifications/?unread=true").json()
    assert listed["count"] == 1
    assert listed["items"][0]["text"].startswith("函询回复期限")
    assert client.post("/api/v1/notifications/read").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 0
    assert Notification.objects.get(user=world.head_a).read_at is None


def test_the_page_shows_my_notifications_and_the_header_counts_them(
    world: Any, as_user: Any
) -> None:
    _note(world.city_admin, "2027年节假日安排已确认")
    _note(world.head_a, "别人的通知")
    client = as_user(world.city_admin)
    page = client.get("/notifications/").content.decode()
    assert "2027年节假日安排已确认" in page
    assert "别人的通知" not in page
    assert 'badge text-bg-danger">1</span>' in page
    client.post("/notifications/read/")
    assert "未读" not in client.get("/notifications/").content.decode()
