"""What the bottom of the stack needs from the apps above it: two declared contracts
(cadre/core/contracts.py; docs/architecture.md, "Dependency direction").

core is the lowest layer and imports no cadre app; accounts sits right above it, below
audit. Yet core's scoped QuerySets filter through the scoping module (accounts.access), the
rule settings page asks it who may edit, and core and accounts write audit events. So they
call these wrappers, and the apps above register the implementations in their
`AppConfig.ready()`:

    core.access(scope, catalogue, can_edit_rules)   provided by accounts (access.py)
    core.audit_trail(record_event)                  provided by audit (services.py)

Both are required: the start-up check refuses to run without them. Each is provided by a
module, so an attribute is looked up at call time (tests may patch it in that module).
"""

from typing import Any, Protocol

from django.db.models import Model, QuerySet

from cadre.core import contracts

ACCESS = "core.access"
AUDIT_TRAIL = "core.audit_trail"


class Access(Protocol):
    def scope(self, qs: QuerySet[Any], user: Any, *, write: bool = False) -> QuerySet[Any]: ...

    def catalogue(self, qs: QuerySet[Any], user: Any, *, write: bool = False) -> QuerySet[Any]: ...

    def can_edit_rules(self, user: Any) -> bool: ...


class AuditTrail(Protocol):
    def record_event(
        self,
        *,
        actor: Any,
        action: str,
        obj: Model | None = None,
        object_type: str = "",
        object_id: Any = "",
        request: Any = None,
        detail: dict[str, Any] | None = None,
    ) -> Any: ...


contracts.declare(
    ACCESS, Access, consumer="core", doc="范围控制：按授权过滤查询集；谁可修改规则设置"
)
contracts.declare(
    AUDIT_TRAIL, AuditTrail, consumer="core, accounts", doc="写审计日志（与所在事务一同提交或回滚）"
)


def scope(qs: QuerySet[Any], user: Any, *, write: bool = False) -> QuerySet[Any]:
    return contracts.get(ACCESS).scope(qs, user, write=write)


def catalogue(qs: QuerySet[Any], user: Any, *, write: bool = False) -> QuerySet[Any]:
    return contracts.get(ACCESS).catalogue(qs, user, write=write)


def can_edit_rules(user: Any) -> bool:
    return bool(contracts.get(ACCESS).can_edit_rules(user))


def record_event(
    *,
    actor: Any,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    request: Any = None,
    detail: dict[str, Any] | None = None,
) -> Any:
    """Appends one chained audit entry in the caller's transaction (audit.services)."""
    return contracts.get(AUDIT_TRAIL).record_event(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        request=request,
        detail=detail,
    )
