"""Session lifetime and ending (TRUST.md AU-05, AU-06) and the password policy (AU-07)."""

import time
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import hashers
from django.test import Client

from cadre.accounts import services
from cadre.audit.models import AuditEvent
from cadre.core.errors import Refused
from conftest import login_as

PASSWORD = "correct horse battery"


def is_logged_out(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- timeouts (AU-06) ----------------------------------------------------------------------


def test_an_idle_session_ends_on_the_server(world: Any) -> None:
    with time_machine.travel(time.time(), tick=False) as clock:
        client = login_as(world.head_a)
        assert client.get("/").status_code == 200
        clock.shift(settings.SESSION_IDLE_SECONDS - 5)
        assert client.get("/").status_code == 200  # activity resets the idle clock
        clock.shift(settings.SESSION_IDLE_SECONDS + 5)
        response = client.get("/cadres/")
    assert is_logged_out(response)
    assert "expired=1" in response["Location"]
    assert is_logged_out(client.get("/"))


def test_an_active_session_still_ends_at_the_absolute_limit(world: Any) -> None:
    with time_machine.travel(time.time(), tick=False) as clock:
        client = login_as(world.head_a)
        assert client.get("/").status_code == 200
        elapsed = 0
        step = settings.SESSION_IDLE_SECONDS // 2
        while elapsed + step <= settings.SESSION_COOKIE_AGE:
            clock.shift(step)
            elapsed += step
            assert client.get("/").status_code == 200, elapsed
        clock.shift(step)
        assert is_logged_out(client.get("/"))


def test_the_session_row_is_gone_after_a_timeout(world: Any) -> None:
    from django.contrib.sessions.models import Session

    with time_machine.travel(time.time(), tick=False) as clock:
        client = login_as(world.head_a)
        client.get("/")
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        clock.shift(settings.SESSION_IDLE_SECONDS + 1)
        client.get("/")
    assert not Session.objects.filter(session_key=key).exists()


def test_htmx_requests_are_sent_to_login_not_swapped_into_the_page(world: Any) -> None:
    with time_machine.travel(time.time(), tick=False) as clock:
        client = login_as(world.head_a)
        client.get("/")
        clock.shift(settings.SESSION_IDLE_SECONDS + 1)
        response = client.get("/cadres/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/")


# --- ending sessions (AU-05) ---------------------------------------------------------------


def test_logout_kills_the_old_cookie(world: Any) -> None:
    client = login_as(world.head_a)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post("/accounts/logout/")
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert is_logged_out(replay.get("/"))
    assert client.get("/accounts/logout/").status_code == 405  # logout is POST only


def test_a_password_change_elsewhere_ends_the_other_sessions(world: Any) -> None:
    laptop = login_as(world.head_a)
    phone = login_as(world.head_a)
    response = phone.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "青山绿水-2025-新口令",
            "new_password2": "青山绿水-2025-新口令",
        },
    )
    assert response.status_code == 200
    assert "密码已修改" in response.content.decode()
    assert is_logged_out(laptop.get("/"))
    assert phone.get("/").status_code == 200  # the session that changed it goes on
    assert AuditEvent.objects.filter(action="password_changed", actor=world.head_a).exists()


def test_an_admin_can_end_all_sessions_of_a_user(world: Any) -> None:
    client = login_as(world.head_a)
    assert client.get("/").status_code == 200
    services.end_sessions(by=world.city_admin, user=world.head_a)
    assert is_logged_out(client.get("/"))
    assert AuditEvent.objects.filter(action="sessions_ended", actor=world.city_admin).exists()
    assert login_as(world.head_a).get("/").status_code == 200  # a new login works


def test_a_disabled_user_is_out_at_the_next_request(world: Any) -> None:
    client = login_as(world.head_a)
    assert client.get("/").status_code == 200
    services.disable_user(by=world.city_admin, user=world.head_a, reason="调离")
    assert is_logged_out(client.get("/"))
    response = Client().post("/accounts/login/", {"username": "head_a", "password": PASSWORD})
    assert "账号或密码错误" in response.content.decode()
    event = AuditEvent.objects.get(action="user_disabled")
    assert event.detail == {"reason": "调离"}


def test_disabling_needs_a_reason(world: Any) -> None:
    with pytest.raises(Refused, match="原因"):
        services.disable_user(by=world.city_admin, user=world.head_a, reason=" ")
    world.head_a.refresh_from_db()
    assert world.head_a.is_active


def test_revoking_a_grant_takes_effect_on_the_next_request(world: Any, clock: Any) -> None:
    from cadre.accounts.models import Grant

    client = login_as(world.head_a)
    assert client.get(f"/cadres/{world.cadre_a.pk}/").status_code == 200
    Grant.objects.filter(user=world.head_a).update(revoked_at=clock.now)
    assert client.get(f"/cadres/{world.cadre_a.pk}/").status_code == 404


# --- password policy (AU-07) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("Ab3$efgh", "太短"),  # 8 characters
        ("password1234", "常见"),
        ("东湖县组织部干部2025abc", "组织部"),
        ("1234567890123456", "只包含数字"),
        ("x" * 257, "不能超过256个字符"),
    ],
)
def test_weak_or_overlong_passwords_are_refused(world: Any, new: str, message: str) -> None:
    client = login_as(world.head_a)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": new,
            "new_password2": new,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    world.head_a.refresh_from_db()
    assert world.head_a.check_password(PASSWORD)


def test_a_64_character_passphrase_is_accepted(world: Any) -> None:
    phrase = "the quick brown fox jumps over the lazy dog near the river bank 1"[:64]
    assert len(phrase) == 64
    client = login_as(world.head_a)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": phrase,
            "new_password2": phrase,
        },
    )
    assert "密码已修改" in response.content.decode()
    world.head_a.refresh_from_db()
    assert world.head_a.check_password(phrase)


def test_a_100kb_old_password_is_refused_before_hashing(world: Any) -> None:
    client = login_as(world.head_a)
    with mock.patch.object(hashers.MD5PasswordHasher, "verify") as verify:
        response = client.post(
            "/accounts/password/",
            {
                "old_password": "x" * 100_000,
                "new_password1": "a",
                "new_password2": "a",
            },
        )
    assert not verify.called
    assert "不能超过256个字符" in response.content.decode()


def test_the_user_attribute_and_unit_names_are_context_words(world: Any) -> None:
    from cadre.accounts.validators import ContextWordValidator

    validator = ContextWordValidator()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validator.validate("我在东湖县工作很多年了!", world.head_a)
    validator.validate("一段与单位无关的长句子2025", world.head_a)
