from typing import Any, ClassVar

from django.db import models

from cadre.core import providers


class HardDeleteForbidden(Exception):
    """Records are ended, dissolved or corrected, never deleted (DESIGN.md 5)."""


class NoDeleteQuerySet(models.QuerySet):
    def delete(self) -> Any:
        raise HardDeleteForbidden("本系统不允许物理删除记录")


class ScopedQuerySet(NoDeleteQuerySet):
    """A QuerySet whose `visible_to` goes through THE scoping module (accounts/access.py,
    reached through the core.access contract: core imports no app above it)."""

    def visible_to(self, user: Any, *, write: bool = False) -> Any:
        return providers.scope(self, user, write=write)


class CatalogueQuerySet(NoDeleteQuerySet):
    """Non-personal catalogue rows: readable by every signed-in staff member or cadre,
    written by org_admin."""

    def visible_to(self, user: Any, *, write: bool = False) -> Any:
        return providers.catalogue(self, user, write=write)


class NoDeleteModel(models.Model):
    objects: ClassVar[Any] = NoDeleteQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise HardDeleteForbidden("本系统不允许物理删除记录")


class TimeStamped(NoDeleteModel):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class RuleSetting(TimeStamped):
    """A staff-edited value overriding a rule default declared in code (see rulebook.py)."""

    key = models.CharField("规则键", max_length=100, unique=True)
    value = models.JSONField("取值")
    note = models.CharField("修改说明", max_length=200, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = verbose_name_plural = "规则设置"

    def __str__(self) -> str:
        return self.key


class Notification(TimeStamped):
    """A message to one user inside the system (站内通知), e.g. a deadline that moved."""

    user = models.ForeignKey(
        "accounts.User",
        verbose_name="接收人",
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    text = models.CharField("内容", max_length=400)
    link = models.CharField("链接", max_length=200, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "站内通知"
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.text[:40]
