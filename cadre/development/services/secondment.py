"""Secondments (挂职): placements, periodic reports, the host's evaluation, and the lists."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from cadre.accounts.models import User
from cadre.audit.services import record_event
from cadre.cadres import decisions
from cadre.cadres.decisions import Decision
from cadre.cadres.models import Cadre
from cadre.development import rules
from cadre.development.models import (
    HostGrade,
    Placement,
    PlacementKind,
    PlacementReport,
    PlacementStatus,
)
from cadre.development.services.base import DevelopmentError, require, setting_int
from cadre.orgs.models import OrgUnit, Position


@transaction.atomic
def create_placement(
    *,
    by: User,
    cadre: Cadre,
    kind: str,
    host_name: str,
    started_on: date,
    planned_end_on: date,
    host_unit: OrgUnit | None = None,
    post_title: str = "",
    programme: str = "",
) -> Placement:
    """The home unit stays the cadre's unit: the personnel relationship does not move
    (公务员法 第七十二条). One placement at a time: periods may not overlap. A placement in a
    key post of the host (`host_key_post`) is refused for a cadre the eligibility gate blocks
    for 选派重要岗位挂职 (by setting, as for a promotion)."""
    require(kind in PlacementKind.values, "挂职类别无效")
    require(host_name.strip() or host_unit, "请填写挂职单位或项目")
    require(planned_end_on > started_on, "挂职计划结束日期必须晚于开始日期")
    Cadre.objects.select_for_update().filter(pk=cadre.pk).first()  # serialise per cadre
    others = [
        (s, e or p)
        for s, p, e in Placement.objects.filter(cadre=cadre)
        .exclude(status=PlacementStatus.CANCELLED)
        .values_list("started_on", "planned_end_on", "ended_on")
    ]
    clash = rules.placement_overlaps((started_on, planned_end_on), others)
    if clash:
        raise DevelopmentError(
            f"与该干部已有的挂职（{clash[0]:%Y-%m-%d}至{clash[1]:%Y-%m-%d}）时间重叠："
            "同一时间只能有一个挂职安排"
        )
    key_post = host_key_post(host_unit, post_title)
    if key_post is not None:  # 选派重要岗位挂职 asks the eligibility gate (issue 11)
        decisions.enforce(
            [cadre.pk], started_on, [Decision.KEY_SECONDMENT], by=by, position_id=key_post
        )
    placement = Placement.objects.create(
        cadre=cadre,
        home_unit_id=cadre.org_unit_id,
        host_unit=host_unit,
        host_name=(host_name.strip() or (host_unit.name if host_unit else "")),
        post_title=post_title.strip(),
        kind=kind,
        programme=programme.strip(),
        started_on=started_on,
        planned_end_on=planned_end_on,
        report_every_months=setting_int(rules.REPORT_EVERY_MONTHS.key),
    )
    record_event(actor=by, action="create", obj=placement, detail={"cadre": cadre.pk})
    return placement


def host_key_post(host_unit: OrgUnit | None, post_title: str) -> int | None:
    """The host's position a placement takes, when it is a key post (重点岗位): the host
    unit's live position with the placement's post title and `is_key_post`; else None."""
    if host_unit is None or not post_title.strip():
        return None
    return (
        Position.objects.filter(
            org_unit=host_unit,
            title=post_title.strip(),
            is_key_post=True,
            abolished_on__isnull=True,
        )
        .values_list("pk", flat=True)
        .first()
    )


def _lock(placement: Placement) -> Placement:
    return Placement.objects.select_for_update().get(pk=placement.pk)


@transaction.atomic
def submit_report(
    *, by: User, placement: Placement, period_end: date, text: str, on: date
) -> PlacementReport:
    locked = _lock(placement)
    require(locked.status != PlacementStatus.CANCELLED, "该挂职已撤销")
    require(text.strip(), "请填写报告内容")
    last = locked.ended_on or locked.planned_end_on
    periods = rules.report_period_ends(locked.started_on, last, locked.report_every_months)
    if last not in periods:
        periods.append(last)
    require(
        period_end in periods,
        f"报告期截止日应为挂职开始后每{locked.report_every_months}个月的对应日期"
        f"（如{periods[0]:%Y-%m-%d}）或挂职结束日",
    )
    require(period_end <= on + timedelta(days=31), "报告期尚未到来")
    require(
        not PlacementReport.objects.filter(placement=locked, period_end=period_end).exists(),
        f"截至{period_end:%Y-%m-%d}的报告已提交",
    )
    report = PlacementReport.objects.create(
        placement=locked, period_end=period_end, submitted_on=on, text=text.strip()
    )
    record_event(actor=by, action="report", obj=report)
    return report


@transaction.atomic
def evaluate_placement(
    *, by: User, placement: Placement, grade: str, comment: str, on: date, version: int
) -> Placement:
    """The host's evaluation at the end of the placement (from 30 days before its end)."""
    locked = _lock(placement)
    if locked.version != version:
        raise DevelopmentError("该挂职记录已被他人修改，请刷新后重试")
    require(locked.status != PlacementStatus.CANCELLED, "该挂职已撤销")
    require(grade in HostGrade.values, "请选择鉴定等次")
    require(comment.strip(), "请填写接收单位鉴定意见")
    end = locked.ended_on or locked.planned_end_on
    opens = end - timedelta(days=30)
    require(on >= opens, f"挂职期满前30天内（{opens:%Y-%m-%d}起）才能填写期满鉴定")
    locked.host_grade, locked.host_comment, locked.evaluated_on = grade, comment.strip(), on
    locked.version += 1
    locked.save(
        update_fields=["host_grade", "host_comment", "evaluated_on", "version", "updated_at"]
    )
    record_event(actor=by, action="evaluate", obj=locked, detail={"grade": grade})
    return locked


@transaction.atomic
def end_placement(*, by: User, placement: Placement, ended_on: date, version: int) -> Placement:
    locked = _lock(placement)
    if locked.version != version:
        raise DevelopmentError("该挂职记录已被他人修改，请刷新后重试")
    require(locked.status == PlacementStatus.ACTIVE, "只有挂职中的记录可以办理期满")
    require(ended_on > locked.started_on, "结束日期必须晚于挂职开始日期")
    locked.status, locked.ended_on = PlacementStatus.ENDED, ended_on
    locked.version += 1
    locked.save(update_fields=["status", "ended_on", "version", "updated_at"])
    record_event(actor=by, action="end", obj=locked)
    return locked


@transaction.atomic
def cancel_placement(*, by: User, placement: Placement, reason: str, version: int) -> Placement:
    locked = _lock(placement)
    if locked.version != version:
        raise DevelopmentError("该挂职记录已被他人修改，请刷新后重试")
    require(locked.status == PlacementStatus.ACTIVE, "只有挂职中的记录可以撤销")
    require(reason.strip(), "请填写撤销理由")
    locked.status = PlacementStatus.CANCELLED
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    record_event(actor=by, action="cancel", obj=locked, detail={"reason": reason.strip()})
    return locked


# --- lists ----------------------------------------------------------------------------------


def out_now(placements: Any, on: date) -> Any:
    return placements.filter(status=PlacementStatus.ACTIVE, started_on__lte=on)


def ending_soon(placements: Any, on: date) -> Any:
    days = setting_int(rules.ENDING_SOON_DAYS.key)
    return out_now(placements, on).filter(planned_end_on__lte=on + timedelta(days=days))


@dataclass(frozen=True)
class Overdue:
    placement: Placement
    missing: list[date]


def overdue_reports(placements: Any, on: date) -> list[Overdue]:
    """Placements with reports missing after the grace days: two queries for any number."""
    grace = setting_int(rules.REPORT_GRACE_DAYS.key)
    active = list(out_now(placements, on).select_related("cadre", "home_unit"))
    submitted: dict[int, list[date]] = defaultdict(list)
    for pid, end in PlacementReport.objects.filter(
        placement_id__in=[p.pk for p in active]
    ).values_list("placement_id", "period_end"):
        submitted[pid].append(end)
    found = []
    for p in active:
        missing = rules.overdue_reports(
            started_on=p.started_on,
            last_day=p.planned_end_on,
            on=on,
            every_months=p.report_every_months,
            grace_days=grace,
            submitted=submitted[p.pk],
        )
        if missing:
            found.append(Overdue(p, missing))
    return found
