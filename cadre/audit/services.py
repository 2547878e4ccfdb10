from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.rules import CHAIN_FIELDS, GENESIS, ChainReport, entry_hash, walk_chain

_CHAIN_LOCK = 7_331_001  # PostgreSQL advisory lock id serialising appends


def _client_ip(request: Any) -> str:
    # Staff requests only: anonymous public endpoints never call this (TRUST.md G-AN1).
    return (request.META.get("REMOTE_ADDR") or "")[:45] if request is not None else ""


@transaction.atomic
def record_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    request: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Appends one chained entry in the caller's transaction: if it fails, the change fails.

    Without `request`, a logged-in user's current request (if any) supplies route, address
    and request id; anonymous and public requests never do (TRUST.md G-AN1).
    """
    if request is None:
        from cadre.core.middleware import staff_request

        request = staff_request()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
    from cadre.accounts.access import roles_of

    authed = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        at=timezone.now().replace(microsecond=0),
        actor=actor if authed else None,
        actor_name=actor.get_username() if authed else "",
        roles=",".join(sorted(roles_of(actor))) if authed else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk if obj is not None else object_id),
        route=request.path[:200] if request is not None else "",
        ip=_client_ip(request),
        request_id=getattr(request, "request_id", ""),
        detail=detail or {},
        prev_hash=prev,
    )
    event.hash = entry_hash(prev, _fields(event))
    event.save(force_insert=True)
    return event


def _fields(event: AuditEvent) -> dict[str, Any]:
    values = {f: getattr(event, f) for f in CHAIN_FIELDS}
    values["at"] = event.at.isoformat()
    return values


def record_denied(*, user: Any, model: type[models.Model], object_id: Any, request: Any) -> None:
    record_event(
        actor=user,
        action="authz_denied",
        object_type=model._meta.label_lower,
        object_id=object_id,
        request=request,
    )


def record_view(*, user: Any, obj: models.Model, request: Any) -> None:
    record_event(actor=user, action="view", obj=obj, request=request)


def record_export(*, user: Any, what: str, count: int, request: Any) -> None:
    record_event(
        actor=user,
        action="export",
        object_type=what,
        request=request,
        detail={"rows": count},
    )


def check_chain(batch: int = 5000) -> ChainReport:
    """Recomputes every hash in id order, streaming (constant memory at any table size)."""

    def rows() -> Any:
        qs = AuditEvent.objects.order_by("id").values("id", "prev_hash", "hash", *CHAIN_FIELDS)
        for row in qs.iterator(chunk_size=batch):
            row["at"] = row["at"].isoformat()
            yield row

    return walk_chain(rows())


def verify_chain(batch: int = 5000) -> Any:
    """The first break of the chain (ChainBreak), or None if it is intact."""
    return check_chain(batch).broken
