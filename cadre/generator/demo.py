"""Demo accounts: one per role of DESIGN.md 1, with a scope in the generated county.

Fixed, printed passwords are acceptable only here: `cadre demo` refuses to run with
CADRE_ENV=production, and every password still passes the configured validators.
"""

from base64 import b32encode
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadre.accounts.models import ApiToken, Grant, Role, User
from cadre.accounts.tokens import issue_token, revoke_token
from cadre.audit.services import record_event
from cadre.cadres.models import Cadre
from cadre.orgs.models import OrgUnit, UnitKind

TOKEN_NAME = "demo"  # noqa: S105 (a label, not a secret)
DEVICE_NAME = "demo"


@dataclass(frozen=True)
class DemoRole:
    key: str  # which scope to pick (see _scopes)
    role: str  # Role value, or "cadre" for a cadre's own account
    label: str
    username: str
    password: str


DEMO_ROLES = (
    DemoRole("root", Role.ORG_ADMIN, "组织部干部", "demo_org", "Demo-Zuzhi-2026!"),
    DemoRole("root", Role.DISCIPLINE, "纪检监察", "demo_discipline", "Demo-Jiwei-2026!"),
    DemoRole(
        "finance", Role.UNIT_HEAD, "单位负责人（部门）", "demo_unit_head", "Demo-Caizheng-2026!"
    ),
    DemoRole(
        "town", Role.UNIT_HEAD, "单位负责人（乡镇）", "demo_town_head", "Demo-Xiangzhen-2026!"
    ),
    DemoRole("root", Role.AUDITOR, "审计保密", "demo_auditor", "Demo-Shenji-2026!"),
    DemoRole("cadre", "cadre", "干部本人", "demo_cadre", "Demo-Benren-2026!"),
)


class DemoError(RuntimeError):
    pass


@dataclass
class DemoAccount:
    role: str
    label: str
    username: str
    password: str
    scope: str
    scope_unit_id: int
    cadre_id: int | None
    totp_secret: str
    otpauth_uri: str
    api_token: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _scopes() -> dict[str, OrgUnit]:
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("id").first()
    if root is None:
        raise DemoError("数据库中没有单位，无法创建演示账号")
    children = OrgUnit.objects.filter(parent=root).order_by("sort_order", "id")
    finance = (
        children.filter(name__endswith="财政局").first()
        or children.filter(kind=UnitKind.GOV_ORGAN).first()
        or root
    )
    town = children.filter(kind=UnitKind.TOWNSHIP).first() or root
    return {"root": root, "finance": finance, "town": town}


def _demo_cadre(unit: OrgUnit) -> Cadre:
    """A serving non-leader in the unit head's department, not yet linked to an account."""
    linked = User.objects.filter(cadre__isnull=False).values("cadre_id")
    qs = Cadre.objects.active().filter(org_unit__path__startswith=unit.path).exclude(pk__in=linked)
    cadre = qs.filter(is_leader=False).order_by("id").first() or qs.order_by("id").first()
    if cadre is None:
        raise DemoError(f"{unit.name}下没有干部，无法创建干部本人演示账号")
    return cadre


@transaction.atomic
def ensure_demo_accounts() -> list[DemoAccount]:
    """Creates the accounts once; on later runs keeps them and issues fresh API tokens."""
    scopes = _scopes()
    accounts = []
    for spec in DEMO_ROLES:
        unit = scopes["finance" if spec.key == "cadre" else spec.key]
        user = _user(spec, unit)
        device = _device(user) if spec.role != "cadre" else None
        accounts.append(
            DemoAccount(
                role=spec.role,
                label=spec.label,
                username=spec.username,
                password=spec.password,
                scope=user.cadre.name + "（本人）" if user.cadre else unit.name,
                scope_unit_id=unit.pk,
                cadre_id=user.cadre_id,
                totp_secret=b32encode(device.bin_key).decode() if device else "",
                otpauth_uri=device.config_url if device else "",
                api_token=_fresh_token(user),
            )
        )
    return accounts


def _user(spec: DemoRole, unit: OrgUnit) -> User:
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        cadre = _demo_cadre(unit) if spec.role == "cadre" else None
        user = User(username=spec.username, display_name=f"演示-{spec.label}", cadre=cadre)
        validate_password(spec.password, user)
        user.set_password(spec.password)
        user.save()
        record_event(
            actor=None,
            action="demo_account_created",
            obj=user,
            detail={"role": spec.role, "unit": unit.pk},
        )
    elif not user.check_password(spec.password):
        user.set_password(spec.password)  # someone changed it: the printed one must work
        user.save(update_fields=["password"])
        record_event(actor=None, action="demo_password_reset", obj=user)
    if spec.role != "cadre":
        grant = Grant.objects.active().filter(user=user, role=spec.role, org_unit=unit)
        if not grant.exists():
            Grant.objects.create(user=user, role=spec.role, org_unit=unit)
            record_event(
                actor=None,
                action="grant_created",
                obj=user,
                detail={"role": spec.role, "unit": unit.pk},
            )
    return user


def _device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, name=DEVICE_NAME, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)


def _fresh_token(user: User) -> str:
    for old in ApiToken.objects.active().filter(user=user, name=TOKEN_NAME):
        revoke_token(token=old, by=None)
    _, raw = issue_token(user=user, name=TOKEN_NAME, by=None)
    return raw
