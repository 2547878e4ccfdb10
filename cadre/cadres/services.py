"""The only writers of cadre registry records."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from cadre.accounts.models import User
from cadre.audit.services import record_event
from cadre.cadres import decisions, rules
from cadre.cadres.models import Appointment, AppointmentHow, Cadre, RankRecord
from cadre.core.errors import Refused
from cadre.orgs.models import LeadershipLevel, Position


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


LEVELS = tuple(level.value for level in LeadershipLevel)  # highest first


def appointment_decisions(
    from_leader: bool,
    from_level: str,
    to_leader: bool,
    to_level: str,
    *,
    secondment: bool,
    key_post: bool,
) -> list[str]:
    """Which decisions (cadre.cadres.decisions) taking a post is: 任职 always, 任领导职务 for a
    leading post, 提拔 above the current post; a secondment (挂职) to a key post (重点岗位) is
    also 选派重要岗位挂职. A secondment keeps the home post and is not a promotion (no 第七条
    qualifications), whatever the level of the post held while seconded."""
    found = decisions.decisions_for_post(from_leader, from_level, to_leader, to_level, LEVELS)
    if secondment:
        found = [d for d in found if d != decisions.Decision.PROMOTION.value]
        if key_post:
            found.append(decisions.Decision.KEY_SECONDMENT.value)
    return found


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
    override_id: int | None = None,
    probation: bool = False,
) -> Appointment:
    """Starts an appointment; ends the current primary one on the new one's first day, if
    asked. The eligibility gate comes first (issue 11): a cadre blocked for what the
    appointment is (任职, 任领导职务, 提拔 — from the current primary post and the target post;
    a key secondment) is refused with every reason (`decisions.Ineligible`, 409) and nothing is
    written; `override_id` is an approved 破格 (第八条). `probation` starts the one-year
    任职试用期 of a promotion to a leading post (`Appointment.probation_until`)."""
    current = list(
        Appointment.objects.select_for_update(of=("self",))
        .filter(cadre=cadre, ended_on__isnull=True, is_primary=True)
        .select_related("position")
        .order_by("-started_on", "-pk")
    )
    if end_previous and any(old.started_on >= started_on for old in current):
        raise RegistryError("新任职时间必须晚于现任职务的任职时间")
    held = current[0].position if current else None
    secondment = how == AppointmentHow.SECONDMENT
    wanted = appointment_decisions(
        held is not None and held.is_leadership,
        held.leadership_level if held is not None else "",
        position.is_leadership,
        position.leadership_level,
        secondment=secondment,
        key_post=position.is_key_post,
    )
    probation_until = None
    if probation:
        if secondment or decisions.Decision.PROMOTION.value not in wanted:
            raise RegistryError(
                "任职试用期只适用于提拔担任领导职务（挂职、平级或非领导职务任职不实行试用期）",
                rules.PROBATION_SOURCE,
            )
        probation_until = rules.probation_end(started_on)
    decisions.enforce(
        [cadre.pk],
        started_on,
        wanted,
        by=by,
        position_id=position.pk,
        override_id=override_id,
    )
    if end_previous:
        for old in current:
            old.ended_on = started_on
            old.save(update_fields=["ended_on", "updated_at"])
    appt = Appointment.objects.create(
        cadre=cadre,
        position=position,
        started_on=started_on,
        how=how,
        home_unit=position.org_unit if not secondment else cadre.org_unit,
        is_primary=not secondment,
        note=note,
        probation_until=probation_until,
    )
    refresh_current_post(cadre)
    record_event(
        actor=by,
        action="appoint",
        obj=appt,
        detail={
            "cadre": cadre.pk,
            "decisions": wanted,
            "override": override_id,
            "probation_until": probation_until.isoformat() if probation_until else None,
        },
    )
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


# ---- registry effects of decisions (issue 11): end of employment, change of post ----------
# Imports of this section sit in the functions so the module's head stays as it is.


def _basis(basis: str) -> str:
    text = " ".join(basis.split())
    if not text:
        raise RegistryError("请填写依据（决定文号或决定机关、日期）")
    if len(text) > 200:
        raise RegistryError("依据不能超过200字")
    return text


def _show_current_post(cadre: Cadre) -> None:
    """refresh_current_post, and no current post at all when no primary appointment is open
    (after 免职, or the end of employment)."""
    refresh_current_post(cadre)
    if not Appointment.objects.filter(cadre=cadre, ended_on__isnull=True, is_primary=True).exists():
        cadre.current_title, cadre.current_post_since = "", None
        cadre.is_leader, cadre.leadership_level = False, ""
        cadre.save(
            update_fields=[
                "current_title",
                "current_post_since",
                "is_leader",
                "leadership_level",
                "updated_at",
            ]
        )


@transaction.atomic
def end_employment(
    *,
    by: User | None,
    cadre: Cadre,
    status: str,
    on: date,
    basis: str,
    confirmed: str = "",
) -> Cadre:
    """Ends the cadre's employment on `on` (退休, 调出, 开除, 辞退, 辞职, 去世): every open
    appointment, the open rank record and the open team memberships end that day, the status
    changes (`status_since` = `on`) and the cadre shows no current post; `confirmed` (what the
    officer confirmed, e.g. no 第八十九条 situation) goes into the audit event. Refused, with
    nothing written, for any other status, for a cadre no longer 在职, or for a day before a
    record to end began."""
    from cadre.cadres.models import CadreStatus, TeamMembership

    if status not in rules.NOT_EMPLOYED:
        raise RegistryError("请选择离职类别：退休、调出、开除、辞退、辞职或去世")
    basis = _basis(basis)
    locked = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if locked.status != CadreStatus.ACTIVE:
        raise RegistryError(f"该干部已不在职（{locked.get_status_display()}），不能再办理离职")
    rows = [
        *Appointment.objects.select_for_update().filter(cadre=locked, ended_on__isnull=True),
        *RankRecord.objects.select_for_update().filter(cadre=locked, ended_on__isnull=True),
        *TeamMembership.objects.select_for_update().filter(cadre=locked, ended_on__isnull=True),
    ]
    for row in rows:
        if row.started_on > on:
            raise RegistryError(
                f"离职日期不能早于{row._meta.verbose_name}的起始日期（{row.started_on:%Y-%m-%d}）"
            )
    for row in rows:
        row.ended_on = on
        row.save(update_fields=["ended_on", "updated_at"])
    locked.status, locked.status_since = status, on
    locked.version += 1
    locked._change_reason = f"离职：{CadreStatus(status).label}"
    locked.save(update_fields=["status", "status_since", "version", "updated_at"])
    _show_current_post(locked)
    record_event(
        actor=by,
        action="employment_ended",
        obj=locked,
        detail={
            "status": status,
            "on": on.isoformat(),
            "basis": basis,
            "confirmed": confirmed,
            "ended": {
                label: [r.pk for r in rows if r._meta.model_name == label]
                for label in ("appointment", "rankrecord", "teammembership")
            },
        },
    )
    cadre.refresh_from_db()
    return locked


@transaction.atomic
def change_post(
    *,
    by: User | None,
    cadre: Cadre,
    effect: str,
    on: date,
    basis: str,
    to_position: Position | None = None,
    to_rank: str = "",
) -> str:
    """The registry side of 免职 (`removal`), 降职 (`demotion`), 调整职务/改任 (`reassign`)
    and 撤职 (`dismissal_from_post`, 政务处分法 第十九条), effective `on`: the old post ends
    that day and the new one, if a position is given, starts that day (written here, not
    through `appoint`; how 任命, note = the basis); 降职 and 撤职 lower the rank to `to_rank`,
    else one step. Returns a one-line summary of what changed. Refused, with nothing written,
    on bad input (see the messages)."""
    from cadre.cadres.models import CadreStatus, Rank

    spec = rules.POST_EFFECTS.get(effect)
    if spec is None:
        raise RegistryError("职务调整方式无效")
    basis = _basis(basis)
    locked = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if locked.status != CadreStatus.ACTIVE:
        raise RegistryError(f"该干部已不在职（{locked.get_status_display()}），不能{spec.label}")
    current = list(
        Appointment.objects.select_for_update()
        .filter(cadre=locked, ended_on__isnull=True, is_primary=True)
        .select_related("position__org_unit")
        .order_by("started_on", "pk")
    )
    ending = [a for a in current if a.position.is_leadership or not spec.ends_leading_only]
    if not ending:
        held = "领导职务" if spec.ends_leading_only else "职务"
        raise RegistryError(f"该干部没有现任{held}，不能{spec.label}")
    if to_position is not None:
        if not spec.may_start:
            raise RegistryError(f"{spec.label}不任新职务，请不要填写拟任职位")
        if to_position.abolished_on is not None:
            raise RegistryError("拟任职位已撤销，不能任职")
        if any(a.position_id == to_position.pk for a in ending):
            raise RegistryError("拟任职位就是现任职位")
    if to_rank and not spec.lowers_rank:
        raise RegistryError(f"{spec.label}不调整职级，请不要填写职级")
    for a in ending:
        if a.started_on > on or (to_position is not None and a.started_on >= on):
            raise RegistryError(
                f"生效日期应晚于现任职务（{a.position}）的任职时间（{a.started_on:%Y-%m-%d}）"
            )
    rank_from, rank_to = None, ""
    if spec.lowers_rank:
        rank_from = (
            RankRecord.objects.select_for_update()
            .filter(cadre=locked, ended_on__isnull=True)
            .order_by("-started_on", "-pk")
            .first()
        )
        rank_to = _lower_rank(spec.label, rank_from.rank if rank_from else "", to_rank)
        if rank_from is not None and rank_from.started_on > on:
            raise RegistryError(
                f"生效日期不能早于现职级的起始时间（{rank_from.started_on:%Y-%m-%d}）"
            )
    for a in ending:
        a.ended_on = on
        a.save(update_fields=["ended_on", "updated_at"])
    started = None
    if to_position is not None:
        started = Appointment.objects.create(
            cadre=locked,
            position=to_position,
            started_on=on,
            how="appoint",
            home_unit=to_position.org_unit,
            is_primary=True,
            note=basis,
        )
    new_rank = None
    if rank_to:
        RankRecord.objects.select_for_update().filter(cadre=locked, ended_on__isnull=True).update(
            ended_on=on
        )
        new_rank = RankRecord.objects.create(cadre=locked, rank=rank_to, started_on=on, basis=basis)
    _show_current_post(locked)
    summary = rules.post_change_summary(
        ended=[str(a.position) for a in ending],
        started=str(to_position) if to_position is not None else "",
        rank_from=Rank(rank_from.rank).label if rank_from else "",
        rank_to=Rank(rank_to).label if rank_to else "",
        on=on,
    )
    record_event(
        actor=by,
        action="post_changed",
        obj=locked,
        detail={
            "effect": effect,
            "on": on.isoformat(),
            "basis": basis,
            "ended": [a.pk for a in ending],
            "started": started.pk if started else None,
            "rank_record": new_rank.pk if new_rank else None,
            "summary": summary,
        },
    )
    cadre.refresh_from_db()
    return summary


def _lower_rank(label: str, current: str, requested: str) -> str:
    """The rank after 降职/撤职: the one asked for, which must be below the current one, or
    one step below it."""
    from cadre.cadres.models import Rank

    order = Rank.values
    if requested:
        if requested not in order:
            raise RegistryError("职级无效")
        if current and not rules.is_lower_rank(requested, current, order):
            raise RegistryError(f"{label}后的职级应低于现职级（{Rank(current).label}）")
        return requested
    if not current:
        raise RegistryError(f"该干部没有职级记录，请填写{label}后的职级")
    lower = rules.rank_one_step_lower(current, order)
    if lower is None:
        raise RegistryError(f"该干部的职级已是最低一级（{Rank(current).label}），不能再降低")
    return lower


@transaction.atomic
def record_leaving(
    *,
    by: User,
    cadre: Cadre,
    status: str,
    on: date,
    basis: str,
    no_article_89: bool = False,
) -> Cadre:
    """登记离职/退休 from the cadre page and the API: 退休, 辞职, 辞退, 调出 or 去世 on `on`
    (not after today), then `end_employment`. 开除 is refused here (it is recorded only as an
    accountability measure); 辞退 needs the confirmation that none of 公务员法 第八十九条's
    situations applies (`rules.check_leaving`). Refused with nothing written."""
    from django.utils import timezone

    rules.check_leaving(
        status,
        on,
        today=timezone.localdate(),
        joined_work_on=cadre.joined_work_on,
        no_article_89=no_article_89,
    )
    confirmed = ""
    if status == "dismissed":
        confirmed = f"不属于不得辞退的情形（{rules.NO_DISMISSAL_SOURCE}）"
    return end_employment(
        by=by, cadre=cadre, status=status, on=on, basis=basis, confirmed=confirmed
    )
