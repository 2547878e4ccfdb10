import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from cadre.core.models import NoDeleteQuerySet, TimeStamped


class Role(models.TextChoices):
    """Roles of DESIGN.md 1. A grant of a role covers the unit's whole subtree."""

    ORG_ADMIN = "org_admin", "组织部干部"
    DISCIPLINE = "discipline", "纪检监察"
    UNIT_HEAD = "unit_head", "单位负责人"
    AUDITOR = "auditor", "审计保密"


# Which roles may change registry records; the others read.
REGISTRY_WRITE_ROLES = frozenset({Role.ORG_ADMIN})


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=50, blank=True)
    cadre = models.OneToOneField(
        "cadres.Cadre",
        verbose_name="对应干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    # Bumped to end every session of the user at once (TRUST.md AU-05): it is part of the
    # session auth hash, like the password hash, so old sessions stop matching.
    session_epoch = models.PositiveIntegerField("会话代次", default=0, editable=False)

    class Meta:
        ordering = ["username"]
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        from cadre.core.models import HardDeleteForbidden

        raise HardDeleteForbidden("用户只能停用，不能删除")

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's own hash covers the password only; ours adds the session epoch.
        key_salt = "cadre.accounts.models.User.get_session_auth_hash"
        value = f"{self.password}|{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def is_staff_user(self) -> bool:
        """Holds any grant: staff must use TOTP (TRUST.md AU-01)."""
        return self.is_superuser or self.grants.filter(revoked_at__isnull=True).exists()


class GrantQuerySet(NoDeleteQuerySet):
    def active(self) -> "GrantQuerySet":
        return self.filter(revoked_at__isnull=True)


class Grant(TimeStamped):
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="grants")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="范围单位", on_delete=models.PROTECT, related_name="grants"
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects: ClassVar[Any] = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["user_id", "role"]
        verbose_name = verbose_name_plural = "授权"

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} @ {self.org_unit}"


class ApiTokenQuerySet(NoDeleteQuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(TimeStamped):
    """A program's credential. Only a SHA-256 of the 256-bit token is stored."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("用途", max_length=60)
    prefix = models.CharField("前缀", max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects: ClassVar[Any] = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @staticmethod
    def hash_key(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple["ApiToken", str]:
        raw = "cdr_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:8], key_hash=cls.hash_key(raw))
        return token, raw

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at", "updated_at"])
