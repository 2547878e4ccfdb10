"""Rate limits for the public pages that store no client address (TRUST.md AN-03, LD-03).

Two limits, both ephemeral:

* per client: a counter keyed by HMAC(salt, REMOTE_ADDR) in this process's memory only. The
  salt is random, lives only in memory and is replaced every CADRE_INTAKE_SALT_SECONDS, at
  which point all counters are dropped: nothing links a counter to an address, not even in
  memory after rotation, and nothing is ever written to disk, cache or log;
* endpoint-wide: counts per minute in the cache, with no client data in the key or value;
  the limit applies to the current and the previous minute together. When it is exceeded
  every client waits (a valid receipt works again after at most two minutes) and a warning
  without client attributes is logged.

Behind a reverse proxy REMOTE_ADDR is the proxy, so the per-client limit degrades into a
second global one; the proxy should then apply its own limit with access logs off on the
intake host (docs/decisions/003-anonymous-intake.md).
"""

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger("cadre.supervision.intake")


@dataclass(frozen=True)
class Limit:
    per_client: int
    window_seconds: int
    global_per_minute: int


def limits(bucket: str) -> Limit:
    if bucket == "receipt":
        return Limit(
            getattr(settings, "CADRE_INTAKE_RECEIPT_FAILURES", 5),
            getattr(settings, "CADRE_INTAKE_WINDOW_SECONDS", 600),
            getattr(settings, "CADRE_INTAKE_RECEIPT_FAILURES_PER_MINUTE", 60),
        )
    return Limit(
        getattr(settings, "CADRE_INTAKE_SUBMISSIONS", 5),
        getattr(settings, "CADRE_INTAKE_WINDOW_SECONDS", 600),
        getattr(settings, "CADRE_INTAKE_SUBMISSIONS_PER_MINUTE", 30),
    )


class _Memory:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.salt = secrets.token_bytes(32)
        self.born = time.monotonic()
        self.hits: dict[str, deque[float]] = {}

    def key(self, request: HttpRequest, bucket: str) -> str:
        rotate = getattr(settings, "CADRE_INTAKE_SALT_SECONDS", 3600)
        if time.monotonic() - self.born > rotate or len(self.hits) > 100_000:
            self.reset()
        addr = (request.META.get("REMOTE_ADDR") or "").encode()
        return bucket + ":" + hmac.new(self.salt, addr, hashlib.sha256).hexdigest()


_memory = _Memory()


def reset() -> None:
    """Drops every counter (tests; also what a salt rotation does)."""
    with _memory.lock:
        _memory.reset()


def _global_key(bucket: str, minutes_ago: int = 0) -> str:
    return f"supervision:throttle:{bucket}:{int(time.time() // 60) - minutes_ago}"


def _global_count(bucket: str) -> int:
    """Attempts in this minute and the one before: a window of 60 to 120 seconds."""
    return sum(cache.get(_global_key(bucket, ago)) or 0 for ago in (0, 1))


def allowed(request: HttpRequest, bucket: str) -> bool:
    limit = limits(bucket)
    if _global_count(bucket) >= limit.global_per_minute:
        return False
    now = time.monotonic()
    with _memory.lock:
        hits = _memory.hits.get(_memory.key(request, bucket))
        if hits is None:
            return True
        while hits and now - hits[0] > limit.window_seconds:
            hits.popleft()
        return len(hits) < limit.per_client


def hit(request: HttpRequest, bucket: str) -> None:
    """Counts one attempt (a failed receipt, or a submission)."""
    key = _global_key(bucket)
    cache.add(key, 0, 120)
    try:
        total = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 120)
        total = 1
    if total == limits(bucket).global_per_minute // 2 + 1:
        logger.warning("公开接口限流已触发：%s（全局每分钟上限）", bucket)
    with _memory.lock:
        _memory.hits.setdefault(_memory.key(request, bucket), deque()).append(time.monotonic())
