"""`cadre accounts ...`: unlock, end sessions, disable; each audited."""

from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from cadre.audit.models import AuditEvent
from conftest import login_as


def run(*args: str) -> str:
    out = StringIO()
    call_command("accounts", *args, stdout=out)
    return out.getvalue()


def test_unlock_clears_a_lockout(world: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/accounts/login/", {"username": "head_a", "password": "wrong!"})
    assert "已解除" in run("unlock", "head_a")
    response = Client().post(
        "/accounts/login/", {"username": "head_a", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="lockout_reset").exists()


def test_end_sessions_and_disable(world: Any) -> None:
    client = login_as(world.head_a)
    assert client.get("/").status_code == 200
    run("end-sessions", "head_a")
    assert client.get("/").status_code == 302
    with pytest.raises(CommandError, match="原因"):
        run("disable", "head_a")
    assert "已停用" in run("disable", "head_a", "--reason", "离职")
    world.head_a.refresh_from_db()
    assert not world.head_a.is_active
    with pytest.raises(CommandError, match="没有账号"):
        run("disable", "nobody", "--reason", "x")
