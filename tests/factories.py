"""Small typed helpers that build registry records for tests (STYLE.md 2.5)."""

import itertools
from datetime import date
from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadre.accounts.models import Grant, User
from cadre.cadres import rules
from cadre.cadres.models import Appointment, Cadre, RankRecord
from cadre.orgs.models import OrgUnit, Position
from cadre.orgs.services import create_org_unit

_seq = itertools.count(1)


def make_id_number(n: int | None = None, born: date = date(1985, 6, 15)) -> str:
    n = next(_seq) if n is None else n
    first17 = f"330102{born:%Y%m%d}{n % 1000:03d}"
    return first17 + rules.id_check_char(first17)


def make_unit(name: str, parent: OrgUnit | None = None, kind: str = "gov_organ") -> OrgUnit:
    return create_org_unit(by=None, parent=parent, name=name, kind=kind)


def make_position(unit: OrgUnit, title: str = "科员", **overrides: Any) -> Position:
    fields: dict[str, Any] = {"is_leadership": False, "leadership_level": ""}
    fields.update(overrides)
    return Position.objects.create(org_unit=unit, title=title, **fields)


def make_cadre(unit: OrgUnit, name: str = "张三", **overrides: Any) -> Cadre:
    id_number = overrides.pop("id_number", None) or make_id_number()
    value = rules.validate_id_number(id_number)
    fields: dict[str, Any] = {
        "gender": rules.id_gender(value),
        "birth_date": rules.id_birth_date(value),
        "education": "bachelor",
        "joined_work_on": date(2008, 8, 1),
        "id_hash": rules.hash_id_number(value, settings.ID_HASH_KEY),
        "id_masked": rules.mask_id_number(value),
    }
    fields.update(overrides)
    return Cadre.objects.create(org_unit=unit, name=name, **fields)


def make_appointment(cadre: Cadre, position: Position, started_on: date, **kw: Any) -> Appointment:
    kw.setdefault("home_unit", position.org_unit)
    return Appointment.objects.create(cadre=cadre, position=position, started_on=started_on, **kw)


def make_rank(cadre: Cadre, rank: str, started_on: date, **kw: Any) -> RankRecord:
    return RankRecord.objects.create(cadre=cadre, rank=rank, started_on=started_on, **kw)


def make_user(
    username: str,
    *,
    role: str | None = None,
    unit: OrgUnit | None = None,
    cadre: Cadre | None = None,
    password: str = "correct horse battery",  # noqa: S107
) -> User:
    user = User.objects.create_user(username=username, password=password, cadre=cadre)
    if role and unit:
        Grant.objects.create(user=user, role=role, org_unit=unit)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user
