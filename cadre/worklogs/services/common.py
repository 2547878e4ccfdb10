from typing import Any

from cadre.core.rulebook import Rule, rule_value
from cadre.worklogs.rules import Refused


class Conflict(Refused):
    """Somebody saved the record since it was read (TRUST.md G-CC1)."""

    status, code = 409, "conflict"

    def __init__(self, message: str = "该记录已被他人修改，请刷新页面后重试") -> None:
        super().__init__(message)


class OutOfScope(Refused):
    """A record outside the caller's scope: answered as 404, like a missing one.

    `denied` names the record ((model, id)) whose denial is audited once the refused
    transaction has rolled back (see `audit_denial`)."""

    status, code = 404, "not_found"

    def __init__(
        self, message: str = "未找到该记录", denied: tuple[Any, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.denied = denied


def audit_denial(exc: OutOfScope, *, by: Any, request: Any) -> None:
    """Called outside the refused transaction, so that the denial itself is kept."""
    if exc.denied is not None:
        from cadre.audit.services import record_denied

        record_denied(user=by, model=exc.denied[0], object_id=exc.denied[1], request=request)


def setting(rule: Rule) -> Any:
    return rule_value(rule.key)


def check_version(current: int, expected: int | None) -> None:
    if expected is not None and current != expected:
        raise Conflict()
