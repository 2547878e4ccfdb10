from typing import Any

from django.conf import settings
from django.db import models

from cadre.core.models import NoDeleteQuerySet


class AuditEvent(models.Model):
    """Append-only, hash-chained access and security log (TRUST.md G-LG1, LG-02/03).

    Each row carries the hash of the row before it; `cadre audit verify` recomputes the
    chain. Database triggers (migration 0002) refuse UPDATE and DELETE on the table.
    """

    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
        on_delete=models.PROTECT, related_name="+",
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

    objects: Any = NoDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "审计日志"

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"
