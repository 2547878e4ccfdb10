"""API tokens for programs: issue, revoke, authenticate (the only writers of ApiToken).

A token is 256 random bits; only its SHA-256 is stored (`ApiToken.key_hash`), so the raw
value is shown exactly once, at issue. A token acts as its user: same grants, same scope.
"""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cadre.accounts.models import ApiToken, User
from cadre.core.errors import Refused
from cadre.core.providers import record_event  # audit sits above accounts

TOKEN_PREFIX = "cdr_"  # noqa: S105 (a marker, not a secret)
MAX_RAW_LENGTH = 100  # a raw token is 47 characters; anything longer is not ours
NAME_MAX_LENGTH = 60
# Local rule: a user holds at most this many unrevoked tokens (keeps the credential surface small).
MAX_ACTIVE_TOKENS = 20
# last_used_at is written at most once a minute per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(Refused):
    """A refused token operation; the message is shown to the user."""


def clean_name(name: str) -> str:
    value = (name or "").strip()
    if not value:
        raise TokenError("请填写令牌用途")
    if len(value) > NAME_MAX_LENGTH:
        raise TokenError(f"令牌用途不能超过{NAME_MAX_LENGTH}个字")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise TokenError("令牌用途不能包含控制字符")
    return value


@transaction.atomic
def issue_token(
    *, user: User, name: str, by: User | None, request: Any = None
) -> tuple[ApiToken, str]:
    """Creates a token for `user`; returns it with the raw value, which is never stored."""
    value = clean_name(name)
    if not user.is_active:
        raise TokenError("该账号已停用，不能签发令牌")
    # Lock the user's row so two concurrent issues cannot both pass the cap.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
        raise TokenError(f"有效令牌已达上限（{MAX_ACTIVE_TOKENS}个），请先撤销不用的令牌")
    token, raw = ApiToken.issue(user=user, name=value)
    record_event(
        actor=by,
        action="token_issue",
        obj=token,
        request=request,
        detail={"user": user.get_username(), "name": value, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User | None, request: Any = None) -> ApiToken:
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise TokenError("该令牌已经撤销")
    locked.revoke()
    record_event(
        actor=by,
        action="token_revoke",
        obj=locked,
        request=request,
        detail={"user": locked.user.get_username(), "prefix": locked.prefix},
    )
    return locked


def authenticate_token(raw: str) -> User | None:
    """The active user behind an unrevoked token, or None."""
    raw = (raw or "").strip()
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > MAX_RAW_LENGTH:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=ApiToken.hash_key(raw))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    return token.user


def find_tokens(prefix_or_id: str) -> list[ApiToken]:
    """Tokens matching a numeric id or a prefix such as `cdr_AbCd` (for the CLI)."""
    key = prefix_or_id.strip()
    qs = ApiToken.objects.select_related("user")
    if key.isdigit():
        return list(qs.filter(pk=int(key)))
    if not key.startswith(TOKEN_PREFIX) or len(key) > MAX_RAW_LENGTH:
        return []
    if len(key) > len(TOKEN_PREFIX) + 4:  # a whole raw token: match it exactly
        return list(qs.filter(key_hash=ApiToken.hash_key(key)))
    return list(qs.filter(prefix=key))
