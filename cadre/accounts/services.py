"""The only writers of account state: passwords, sessions, disabling, lockout reset.

Each change is audited in the same transaction (TRUST.md LG-01, LG-05).
"""

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.db.models import F

from cadre.accounts.models import User
from cadre.core.errors import Refused
from cadre.core.providers import record_event  # audit sits above accounts


@transaction.atomic
def change_password(*, user: User, new_password: str, request: Any = None) -> User:
    """Sets a new password; every other session of the user ends, this one continues."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    if request is not None:
        update_session_auth_hash(request, user)  # keeps this session, cycles its key
    record_event(actor=user, action="password_changed", obj=user, request=request)
    return user


@transaction.atomic
def end_sessions(*, by: Any, user: User, request: Any = None) -> User:
    """Ends every session of `user` on their next request (TRUST.md AU-05)."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    record_event(actor=by, action="sessions_ended", obj=user, request=request)
    return user


@transaction.atomic
def disable_user(*, by: Any, user: User, reason: str, request: Any = None) -> User:
    """Disables the account (never deleted) and ends its sessions."""
    if not reason.strip():
        raise Refused("停用账号须填写原因")
    User.objects.filter(pk=user.pk).update(is_active=False, session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["is_active", "session_epoch"])
    record_event(
        actor=by,
        action="user_disabled",
        obj=user,
        request=request,
        detail={"reason": reason.strip()[:200]},
    )
    return user


@transaction.atomic
def reset_lockout(*, by: Any, username: str, request: Any = None) -> int:
    """Clears the failed-login lockout of one account (TRUST.md AU-03: audited)."""
    from axes.utils import reset

    count = reset(username=username)  # axes' own bookkeeping rows, not business records
    record_event(
        actor=by,
        action="lockout_reset",
        object_type="accounts.user",
        request=request,
        detail={"username": username[:150], "attempt_rows": count},
    )
    return count
