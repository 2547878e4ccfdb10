import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from cadre.core.models import NoDeleteQuerySet
from cadre.core.types import AnyUser


class AuditEventQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: AnyUser) -> "AuditEventQuerySet":
        """Events an auditor may read; nothing for anyone else (see access.audit_trail_filter)."""
        from cadre.accounts.access import audit_trail_filter, can_read_audit

        if not can_read_audit(user):
            return self.none()
        condition = audit_trail_filter(user)
        return self if condition is None else self.filter(condition)

    def matching(self, data: dict[str, Any]) -> "AuditEventQuerySet":
        """Applies a valid AuditFilterForm's cleaned data."""
        qs = self
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("actor"):
            qs = qs.filter(actor_name=data["actor"])
        if data.get("date_from"):
            qs = qs.filter(at__gte=_local_midnight(data["date_from"]))
        if data.get("date_to"):
            qs = qs.filter(at__lt=_local_midnight(data["date_to"] + dt.timedelta(days=1)))
        if data.get("object_type"):
            qs = qs.filter(object_type=data["object_type"])
        if data.get("object_id"):
            qs = qs.filter(object_id=data["object_id"])
        return qs


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditEvent(models.Model):
    """Append-only, hash-chained access and security log (TRUST.md G-LG1, LG-02/03).

    Each row carries the hash of the row before it; `cadre audit verify` recomputes the
    chain. Database triggers (migration 0002) refuse UPDATE and DELETE on the table.
    """

    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    roles = models.CharField("角色", max_length=100, blank=True)
    action = models.CharField("动作", max_length=40, db_index=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象编号", max_length=40, blank=True, db_index=True)
    route = models.CharField("路径", max_length=200, blank=True)
    ip = models.CharField("来源地址", max_length=45, blank=True)
    request_id = models.CharField("请求编号", max_length=16, blank=True)
    detail = models.JSONField("详情", default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects: ClassVar[Any] = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "审计日志"

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"
