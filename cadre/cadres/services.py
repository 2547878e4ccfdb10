"""The only writers of cadre registry records."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from cadre.accounts.models import User
from cadre.audit.services import record_event
from cadre.cadres import rules
from cadre.cadres.models import Appointment, Cadre, RankRecord
from cadre.core.errors import Refused
from cadre.orgs.models import Position


class ConflictError(Refused):
    """Someone else saved the record first (TRUST.md CC-01)."""

    status, code = 409, "conflict"


class RegistryError(Refused):
    """A refused change to the registry; the message is Chinese."""


def id_fields(id_number: str) -> dict[str, str]:
    value = rules.validate_id_number(id_number)
    return {
        "id_hash": rules.hash_id_number(value, settings.ID_HASH_KEY),
        "id_masked": rules.mask_id_number(value),
    }


def find_by_id_number(id_number: str) -> Cadre | None:
    """Matching by ID number goes through the keyed hash; callers scope the result."""
    return Cadre.objects.filter(**{"id_hash": id_fields(id_number)["id_hash"]}).first()


@transaction.atomic
def update_cadre(*, cadre: Cadre, by: User, version: int, changes: dict[str, Any]) -> Cadre:
    """Saves profile changes if nobody saved since `version` was read; else ConflictError."""
    locked = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if locked.version != version:
        raise ConflictError("该干部信息已被他人修改，请刷新后重新编辑")
    before = {k: str(getattr(locked, k)) for k in changes}
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.version += 1
    locked._change_reason = "编辑基本信息"
    locked.full_clean()
    locked.save()
    record_event(
        actor=by,
        action="change",
        obj=locked,
        detail={"fields": sorted(k for k in changes if before[k] != str(changes[k]))},
    )
    return locked


def refresh_current_post(cadre: Cadre) -> None:
    """Recomputes the denormalised current post and rank columns from the records."""
    current = (
        Appointment.objects.filter(cadre=cadre, ended_on__isnull=True, is_primary=True)
        .select_related("position__org_unit")
        .order_by("-started_on")
        .first()
    )
    rank = (
        RankRecord.objects.filter(cadre=cadre, ended_on__isnull=True)
        .order_by("-started_on")
        .first()
    )
    if current is not None:
        cadre.org_unit = current.position.org_unit
        cadre.current_title = current.position.title
        cadre.current_post_since = current.started_on
        cadre.is_leader = current.position.is_leadership
        cadre.leadership_level = current.position.leadership_level
    cadre.rank = rank.rank if rank else ""
    cadre.save(
        update_fields=[
            "org_unit",
            "current_title",
            "current_post_since",
            "is_leader",
            "leadership_level",
            "rank",
            "updated_at",
        ]
    )


@transaction.atomic
def appoint(
    *,
    by: User | None,
    cadre: Cadre,
    position: Position,
    started_on: date,
    how: str = "appoint",
    end_previous: bool = True,
    note: str = "",
) -> Appointment:
    """Starts an appointment; ends the current primary one the day before, if asked."""
    if end_previous:
        for old in Appointment.objects.select_for_update().filter(
            cadre=cadre, ended_on__isnull=True, is_primary=True
        ):
            if old.started_on >= started_on:
                raise RegistryError("新任职时间必须晚于现任职务的任职时间")
            old.ended_on = started_on
            old.save(update_fields=["ended_on", "updated_at"])
    appt = Appointment.objects.create(
        cadre=cadre,
        position=position,
        started_on=started_on,
        how=how,
        home_unit=position.org_unit if how != "secondment" else cadre.org_unit,
        is_primary=how != "secondment",
        note=note,
    )
    refresh_current_post(cadre)
    record_event(actor=by, action="appoint", obj=appt, detail={"cadre": cadre.pk})
    return appt


@transaction.atomic
def end_appointment(*, by: User, appointment: Appointment, ended_on: date) -> Appointment:
    # Re-read under a row lock so two concurrent "end" requests cannot both succeed.
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.ended_on is not None:
        raise RegistryError("该任职记录已经结束")
    if ended_on < appointment.started_on:
        raise RegistryError("免职时间不能早于任职时间")
    appointment.ended_on = ended_on
    appointment.save(update_fields=["ended_on", "updated_at"])
    refresh_current_post(appointment.cadre)
    record_event(actor=by, action="end_appointment", obj=appointment)
    return appointment
