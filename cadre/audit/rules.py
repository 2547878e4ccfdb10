"""Hash chain of the audit log: pure functions, no database."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
CHAIN_FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "roles",
    "action",
    "object_type",
    "object_id",
    "route",
    "ip",
    "request_id",
    "detail",
)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and a canonical JSON of the entry's fields."""
    payload = json.dumps(
        {k: fields[k] for k in CHAIN_FIELDS}, sort_keys=True, ensure_ascii=False, default=str
    )
    return hashlib.sha256(f"sha256:{prev_hash}:{payload}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int  # entries verified before the break (all of them if intact)
    broken: ChainBreak | None


def walk_chain(entries: Iterable[dict[str, Any]]) -> ChainReport:
    """Walks entries in id order; stops at the first one whose link or hash is wrong."""
    prev = GENESIS
    checked = 0
    for e in entries:
        if e["prev_hash"] != prev:
            return ChainReport(checked, ChainBreak(e["id"], BROKEN_LINK))
        if entry_hash(prev, e) != e["hash"]:
            return ChainReport(checked, ChainBreak(e["id"], BROKEN_CONTENT))
        prev = e["hash"]
        checked += 1
    return ChainReport(checked, None)


BROKEN_LINK = "前序哈希不匹配（记录被删除、插入或调换）"
BROKEN_CONTENT = "内容哈希不匹配（记录被篡改）"


def first_break(entries: Iterable[dict[str, Any]]) -> ChainBreak | None:
    """The first entry whose link or hash is wrong, or None if the chain is intact."""
    return walk_chain(entries).broken
