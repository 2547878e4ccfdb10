"""`cadre demo`: one generation, one account per role, each seeing exactly its scope."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadre.accounts.access import scope
from cadre.accounts.models import ApiToken, Grant, User
from cadre.accounts.tokens import authenticate_token
from cadre.cadres.models import Cadre
from cadre.generator.demo import DEMO_ROLES
from cadre.generator.management.commands import demo as demo_command
from cadre.generator.management.commands import generate as generate_command
from cadre.orgs.models import OrgUnit

USERNAMES = {r.username for r in DEMO_ROLES}


class Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path, monkeypatch: Any) -> Path:
    settings.DATA_DIR = tmp_path
    # the other apps' generators are tested by their apps; this is about the demo itself
    monkeypatch.setattr(generate_command, "app_generators", list)
    return tmp_path


def run_demo(**options: Any) -> str:
    out = Sink()
    call_command("demo", no_serve=True, scale="XS", stdout=out, **options)
    return out.text


def accounts(data_dir: Path) -> dict[str, dict[str, Any]]:
    payload = json.loads((data_dir / "demo-accounts.json").read_text(encoding="utf-8"))
    return {a["username"]: a for a in payload["accounts"]}


@pytest.mark.django_db
def test_a_second_start_reuses_the_data_and_the_accounts(data_dir: Path) -> None:
    # given a first start
    first_out = run_demo()
    cadres = Cadre.objects.count()
    first = accounts(data_dir)
    # when started again
    second_out = run_demo()
    second = accounts(data_dir)
    # then nothing is regenerated or duplicated, and tokens are fresh
    assert "生成规模" in first_out
    assert "生成规模" not in second_out
    assert "已有演示数据" in second_out
    assert Cadre.objects.count() == cadres
    assert set(first) == set(second) == USERNAMES
    assert User.objects.filter(username__in=USERNAMES).count() == len(USERNAMES)
    assert Grant.objects.filter(user__username__in=USERNAMES).count() == len(USERNAMES) - 1
    assert TOTPDevice.objects.filter(user__username__in=USERNAMES).count() == len(USERNAMES) - 1
    for name, account in second.items():
        assert account["totp_secret"] == first[name]["totp_secret"]
        assert authenticate_token(first[name]["api_token"]) is None  # revoked
        assert authenticate_token(account["api_token"]).username == name
    assert ApiToken.objects.active().filter(user__username__in=USERNAMES).count() == len(USERNAMES)


@pytest.mark.django_db
def test_the_table_and_file_show_role_password_scope_and_totp(data_dir: Path) -> None:
    out = run_demo()
    for role in DEMO_ROLES:
        assert f"{role.label} | {role.username} | {role.password}" in out
    assert "otpauth://totp/" in out
    assert "切勿用于生产" in out
    assert oct((data_dir / "demo-accounts.json").stat().st_mode & 0o777) == "0o600"
    staff = [a for a in accounts(data_dir).values() if a["role"] != "cadre"]
    assert all(
        len(a["totp_secret"]) == 32 and a["otpauth_uri"].startswith("otpauth://") for a in staff
    )


@pytest.mark.django_db
def test_each_demo_account_sees_exactly_its_scope(data_dir: Path) -> None:
    run_demo()
    for username, account in accounts(data_dir).items():
        user = User.objects.get(username=username)
        seen = set(scope(Cadre.objects.all(), user).values_list("id", flat=True))
        if account["role"] == "cadre":
            assert seen == {user.cadre_id}
            assert Cadre.objects.get(pk=user.cadre_id).org_unit.path.startswith(
                OrgUnit.objects.get(pk=account["scope_unit_id"]).path
            )
            continue
        unit = OrgUnit.objects.get(pk=account["scope_unit_id"])
        assert seen == set(
            Cadre.objects.filter(org_unit__path__startswith=unit.path).values_list("id", flat=True)
        )
        assert seen
    root = OrgUnit.objects.get(parent__isnull=True)
    by_name = {a["username"]: a for a in accounts(data_dir).values()}
    assert by_name["demo_org"]["scope_unit_id"] == root.pk
    assert by_name["demo_unit_head"]["scope"].endswith("财政局")
    assert OrgUnit.objects.get(pk=by_name["demo_town_head"]["scope_unit_id"]).kind == "township"


@pytest.mark.django_db
def test_demo_passwords_pass_every_configured_validator(data_dir: Path) -> None:
    run_demo()
    for role in DEMO_ROLES:
        validate_password(role.password, User.objects.get(username=role.username))


@pytest.mark.django_db
def test_with_the_bypass_a_staff_login_skips_totp_and_without_it_does_not(
    data_dir: Path, settings: Any
) -> None:
    run_demo()
    role = DEMO_ROLES[0]
    for bypass, status, location in ((True, 200, None), (False, 302, "/accounts/otp/")):
        settings.OTP_DEMO_BYPASS = bypass
        client = Client()
        login = {"username": role.username, "password": role.password}
        client.post("/accounts/login/", login, follow=True)
        response = client.get("/cadres/")
        assert response.status_code == status
        assert response.get("Location") == location


@pytest.mark.django_db
def test_serving_runs_runserver_in_a_child_with_the_bypass_in_its_environment(
    data_dir: Path, monkeypatch: Any
) -> None:
    seen: dict[str, Any] = {}

    class FakeChild:
        def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
            seen.update(cmd=cmd, env=env)

        def wait(self) -> int:
            return 0

    monkeypatch.setattr(demo_command.subprocess, "Popen", FakeChild)
    out = Sink()
    call_command("demo", addr="127.0.0.1:8999", scale="XS", stdout=out)
    assert seen["env"]["CADRE_OTP_DEMO_BYPASS"] == "true"
    assert seen["cmd"][-4:] == ["runserver", "--noreload", "--insecure", "127.0.0.1:8999"]
    assert "演示模式：动态验证码步骤已跳过；生产环境不可用" in out.text


@pytest.mark.django_db
def test_demo_refuses_production_and_a_reset_of_a_non_demo_database(
    data_dir: Path, settings: Any
) -> None:
    with pytest.raises(CommandError, match="只适用于"):
        run_demo(reset=True)  # the test database is not DATA_DIR/cadre.sqlite3
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        run_demo()
    assert not Cadre.objects.exists()
