"""API tokens: stored hashed, shown once, revocable, audited, acting in the user's scope."""

import hashlib
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from cadre.accounts.models import ApiToken
from cadre.accounts.tokens import MAX_ACTIVE_TOKENS, TokenError, issue_token, revoke_token
from cadre.audit.models import AuditEvent
from cadre.cadres.api import SELF_FIELDS

API = "/api/v1"


def with_token(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def stored_values(token: ApiToken) -> list[str]:
    return [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]


def test_token_is_stored_only_as_its_sha256(world: Any) -> None:
    token, raw = issue_token(user=world.head_a, name="报表脚本", by=world.head_a)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in stored_values(token)
    assert raw.startswith(token.prefix)
    assert len(raw) > 40
    event = AuditEvent.objects.get(action="token_issue")
    assert event.object_id == str(token.pk)
    assert raw not in json.dumps(event.detail)


def test_a_token_acts_in_its_users_scope(world: Any) -> None:
    _, raw = issue_token(user=world.head_a, name="脚本", by=None)
    client = with_token(raw)
    rows = json.loads(client.get(f"{API}/cadres").content)["items"]
    assert {r["id"] for r in rows} == {world.cadre_a.pk, world.cadre_town.pk}
    assert client.get(f"{API}/cadres/{world.cadre_b.pk}").status_code == 404


def test_a_cadre_token_sees_only_the_allowlisted_own_record(world: Any) -> None:
    _, raw = issue_token(user=world.cadre_user, name="本人", by=None)
    client = with_token(raw)
    own = json.loads(client.get(f"{API}/cadres/{world.cadre_a.pk}").content)
    assert set(own) == SELF_FIELDS
    assert client.get(f"{API}/cadres/{world.cadre_town.pk}").status_code == 404


def test_revoked_token_gets_401(world: Any) -> None:
    token, raw = issue_token(user=world.city_admin, name="脚本", by=None)
    client = with_token(raw)
    assert client.get(f"{API}/units").status_code == 200
    revoke_token(token=token, by=world.city_admin)
    response = client.get(f"{API}/units")
    assert response.status_code == 401
    assert json.loads(response.content) == {
        "detail": "接口令牌无效或已撤销",
        "code": "unauthenticated",
    }
    assert AuditEvent.objects.filter(action="token_revoke", object_id=str(token.pk)).exists()
    with pytest.raises(TokenError):
        revoke_token(token=token, by=world.city_admin)


@pytest.mark.parametrize(
    "header",
    ["Bearer cdr_wrong", "Bearer ", "Bearer " + "x" * 5000, "Bearer cdr_\x00", "bearer cdr_"],
)
def test_bad_tokens_get_401_json(world: Any, header: str) -> None:
    response = Client(HTTP_AUTHORIZATION=header).get(f"{API}/cadres")
    assert response.status_code == 401
    assert json.loads(response.content)["code"] == "unauthenticated"


def test_token_of_a_disabled_user_gets_401(world: Any) -> None:
    _, raw = issue_token(user=world.head_a, name="脚本", by=None)
    type(world.head_a).objects.filter(pk=world.head_a.pk).update(is_active=False)
    assert with_token(raw).get(f"{API}/cadres").status_code == 401


def test_token_writes_need_no_csrf_but_the_right_role(world: Any) -> None:
    _, raw = issue_token(user=world.city_admin, name="脚本", by=None)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.patch(
        f"{API}/cadres/{world.cadre_a.pk}",
        {"version": 1, "name": "新名"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.name == "新名"
    assert AuditEvent.objects.filter(action="change").get().actor == world.city_admin


def test_last_used_is_written_at_most_once_a_minute(world: Any, clock: Any) -> None:
    token, raw = issue_token(user=world.head_a, name="脚本", by=None)
    client = with_token(raw)
    client.get(f"{API}/units")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(f"{API}/units")
    token.refresh_from_db()
    assert token.last_used_at == first
    earlier = clock.now - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get(f"{API}/units")
    token.refresh_from_db()
    assert token.last_used_at > earlier


def test_active_tokens_per_user_are_capped(world: Any) -> None:
    for n in range(MAX_ACTIVE_TOKENS):
        issue_token(user=world.head_a, name=f"脚本{n}", by=None)
    with pytest.raises(TokenError, match="上限"):
        issue_token(user=world.head_a, name="再来一个", by=None)


# ---------------------------------------------------------------- the web page


def test_staff_issues_a_token_and_sees_it_exactly_once(world: Any, as_user: Any) -> None:
    client = as_user(world.head_a)
    assert client.get("/accounts/tokens/").status_code == 200
    response = client.post("/accounts/tokens/", {"name": "统计脚本"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world.head_a)
    raw = response.context["raw_token"]
    assert raw.startswith(token.prefix)
    assert raw in response.content.decode()
    assert raw not in client.get("/accounts/tokens/").content.decode()
    assert token.key_hash == ApiToken.hash_key(raw)
    assert AuditEvent.objects.filter(action="token_issue", actor=world.head_a).exists()
    assert with_token(raw).get(f"{API}/units").status_code == 200


@pytest.mark.parametrize("name", ["", "   ", "长" * 61, "a\x00b", "tab\there"])
def test_bad_token_names_are_refused(world: Any, as_user: Any, name: str) -> None:
    response = as_user(world.head_a).post("/accounts/tokens/", {"name": name})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_staff_revokes_own_token_but_not_anothers(world: Any, as_user: Any) -> None:
    mine, _ = issue_token(user=world.head_a, name="我的", by=None)
    theirs, _ = issue_token(user=world.head_b, name="别人的", by=None)
    client = as_user(world.head_a)
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    response = client.post(f"/accounts/tokens/{mine.pk}/revoke/")
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert AuditEvent.objects.filter(action="token_revoke", object_id=str(mine.pk)).exists()
    listing = client.get("/accounts/tokens/").content.decode()
    assert "别人的" not in listing
    assert "已撤销" in listing
    assert client.get(f"/accounts/tokens/{mine.pk}/revoke/").status_code == 405


def test_token_page_needs_staff_and_otp(world: Any, as_user: Any) -> None:
    assert as_user(world.cadre_user).get("/accounts/tokens/").status_code == 403
    assert as_user(world.outsider).post("/accounts/tokens/", {"name": "x"}).status_code == 403
    unverified = Client()
    unverified.force_login(world.head_a)  # password step only: /accounts/ skips the OTP check
    response = unverified.post("/accounts/tokens/", {"name": "绕过"})
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/otp/")
    assert not ApiToken.objects.exists()


# ---------------------------------------------------------------- the cadre token command


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_cli_issue_list_revoke(world: Any) -> None:
    output = run("issue", "head_a", "--name", "夜间同步")
    raw = output.strip().splitlines()[-1]
    token = ApiToken.objects.get(user=world.head_a)
    assert token.key_hash == ApiToken.hash_key(raw)
    assert token.name == "夜间同步"
    listing = run("list")
    assert token.prefix in listing
    assert raw not in listing
    assert "head_a" in run("list", "head_a")
    assert "没有令牌" in run("list", "head_b")
    run("revoke", token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None
    actions = list(
        AuditEvent.objects.filter(object_id=str(token.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["token_issue", "token_revoke"]
    with pytest.raises(CommandError, match="已经撤销"):
        run("revoke", str(token.pk))


def test_cli_refuses_bad_input(world: Any) -> None:
    with pytest.raises(CommandError, match="用户不存在"):
        run("issue", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="用途"):
        run("issue", "head_a", "--name", " ")
    with pytest.raises(CommandError, match="没有找到"):
        run("revoke", "cdr_zzzz")
    with pytest.raises(CommandError, match="没有找到"):
        run("revoke", "not-a-token")
    first, _ = issue_token(user=world.head_a, name="一", by=None)
    second, _ = issue_token(user=world.head_b, name="二", by=None)
    ApiToken.objects.filter(pk=second.pk).update(prefix=first.prefix)
    with pytest.raises(CommandError, match="多个令牌"):
        run("revoke", first.prefix)
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
