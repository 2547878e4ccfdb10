"""专项督查 (seed 三.4): topics, inspections, visits, findings and rectification follow-up."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.accounts.access import has_role
from cadre.audit.services import record_event
from cadre.cadres.models import Cadre
from cadre.orgs.models import OrgUnit
from cadre.targets import rules
from cadre.targets.access import is_inspector, may_follow_up, require
from cadre.targets.models import (
    Finding,
    FindingStatus,
    FollowUp,
    InspectionStatus,
    InspectionTopic,
    InspectionVisit,
    SpecialInspection,
    Task,
)
from cadre.targets.rules import RuleError
from cadre.targets.services.tracking import save_attachments
from cadre.targets.uploads import read_uploads

DENIED = "只有组织部门或纪检监察部门可以开展专项督查"


@transaction.atomic
def save_topic(
    *,
    by: Any,
    name: str,
    topic: InspectionTopic | None = None,
    description: str = "",
    active: bool = True,
    sort_order: int = 0,
) -> InspectionTopic:
    require(has_role(by, "org_admin"), "只有组织部门可以维护督查专题")
    if not name.strip():
        raise RuleError("专题名称不能为空")
    topic = topic or InspectionTopic()
    topic.name, topic.description = name.strip()[:60], description.strip()
    topic.active, topic.sort_order = active, sort_order
    try:
        with transaction.atomic():
            topic.save()
    except IntegrityError as exc:
        raise RuleError(f"专题“{name.strip()}”已存在") from exc
    record_event(actor=by, action="targets.topic.save", obj=topic)
    return topic


@transaction.atomic
def create_inspection(
    *,
    by: Any,
    topic: InspectionTopic,
    title: str,
    unit: OrgUnit,
    starts_on: date,
    ends_on: date,
    unit_ids: Sequence[int],
    task_ids: Sequence[int] = (),
) -> SpecialInspection:
    require(is_inspector(by, unit.path), DENIED)
    if not topic.active:
        raise RuleError("该督查专题已停用")
    if not title.strip():
        raise RuleError("督查名称不能为空")
    rules.check_period(starts_on, ends_on)
    units = list(OrgUnit.objects.filter(pk__in=set(unit_ids), path__startswith=unit.path))
    if not unit_ids:
        raise RuleError("请至少选择一个督查对象单位")
    if len(units) != len(set(unit_ids)):
        raise RuleError("督查对象单位必须在组织单位的管辖范围内")
    paths = [u.path for u in units]
    tasks = list(Task.objects.live().filter(pk__in=set(task_ids)).select_related("book__unit"))
    if len(tasks) != len(set(task_ids)) or any(
        not any(t.book.unit.path.startswith(p) for p in paths) for t in tasks
    ):
        raise RuleError("督查任务必须属于督查对象单位的任务书")
    inspection = SpecialInspection.objects.create(
        topic=topic,
        title=title.strip(),
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        by=by,
    )
    inspection.units.set(units)
    inspection.tasks.set(tasks)
    record_event(
        actor=by,
        action="targets.inspection.create",
        obj=inspection,
        detail={"units": len(units), "tasks": len(tasks)},
    )
    return inspection


def _in_scope_unit(inspection: SpecialInspection, unit_id: int) -> OrgUnit:
    unit = inspection.units.filter(pk=unit_id).first()
    if unit is None:
        raise RuleError("该单位不在本次督查的对象范围内")
    return unit


def _open(inspection: SpecialInspection, by: Any) -> None:
    require(is_inspector(by, inspection.unit.path), DENIED)
    if inspection.status != InspectionStatus.OPEN:
        raise RuleError("该督查已结束")


@transaction.atomic
def add_inspection_visit(
    *,
    by: Any,
    inspection: SpecialInspection,
    unit_id: int,
    on: date,
    inspectors: str,
    note: str,
) -> InspectionVisit:
    _open(inspection, by)
    unit = _in_scope_unit(inspection, unit_id)
    if on > timezone.localdate():
        raise RuleError("走访日期不能晚于今天")
    if not inspectors.strip() or not note.strip():
        raise RuleError("请填写督查人员和情况")
    visit = InspectionVisit.objects.create(
        inspection=inspection,
        unit=unit,
        on=on,
        inspectors=inspectors.strip()[:200],
        note=note.strip(),
    )
    record_event(actor=by, action="targets.inspection.visit", obj=visit)
    return visit


@transaction.atomic
def add_finding(
    *,
    by: Any,
    inspection: SpecialInspection,
    unit_id: int,
    positive: bool,
    found_on: date,
    description: str,
    evidence: str,
    cadre_id: int | None = None,
    requirement: str = "",
    deadline: date | None = None,
    files: Sequence[Any] = (),
) -> Finding:
    checked = read_uploads(list(files))
    _open(inspection, by)
    unit = _in_scope_unit(inspection, unit_id)
    if found_on > timezone.localdate():
        raise RuleError("发现日期不能晚于今天")
    if not description.strip() or not evidence.strip():
        raise RuleError("请填写发现情况和证据")
    cadre = None
    if cadre_id is not None:
        cadre = Cadre.objects.filter(pk=cadre_id, org_unit__path__startswith=unit.path).first()
        if cadre is None:
            raise RuleError("该干部不在被督查单位")
    rules.check_finding(
        positive=positive, requirement=requirement, deadline=deadline, found_on=found_on
    )
    finding = Finding.objects.create(
        inspection=inspection,
        unit=unit,
        cadre=cadre,
        positive=positive,
        found_on=found_on,
        description=description.strip(),
        evidence=evidence.strip(),
        requirement="" if positive else requirement.strip(),
        deadline=None if positive else deadline,
        status=FindingStatus.NONE if positive else FindingStatus.OPEN,
        by=by,
    )
    save_attachments(checked, by=by, unit_id=unit.pk, finding=finding)
    record_event(
        actor=by,
        action="targets.finding.create",
        obj=finding,
        detail={"positive": positive, "cadre": cadre_id},
    )
    return finding


@transaction.atomic
def add_follow_up(
    *, by: Any, finding: Finding, on: date, note: str, closes: bool = False
) -> FollowUp:
    """Rectification progress; only the inspecting side closes (验收销号) a finding."""
    finding = Finding.objects.select_for_update().select_related("unit").get(pk=finding.pk)
    require(may_follow_up(by, finding.unit.path), "您无权跟踪该整改事项")
    if finding.status != FindingStatus.OPEN:
        raise RuleError("该发现无需整改或已销号")
    if closes:
        require(is_inspector(by, finding.unit.path), "只有督查部门可以验收销号")
    if on > timezone.localdate() or on < finding.found_on:
        raise RuleError("跟踪日期必须在发现日期与今天之间")
    if not note.strip():
        raise RuleError("请填写整改进展")
    follow_up = FollowUp.objects.create(
        finding=finding, on=on, note=note.strip(), closes=closes, by=by
    )
    if closes:
        finding.status, finding.closed_on = FindingStatus.CLOSED, on
        finding.save(update_fields=["status", "closed_on", "updated_at"])
    record_event(
        actor=by, action="targets.finding.follow_up", obj=finding, detail={"closes": closes}
    )
    return follow_up


@transaction.atomic
def close_inspection(*, by: Any, inspection: SpecialInspection) -> SpecialInspection:
    locked = (
        SpecialInspection.objects.select_for_update().select_related("unit").get(pk=inspection.pk)
    )
    _open(locked, by)
    locked.status = InspectionStatus.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    record_event(actor=by, action="targets.inspection.close", obj=locked)
    return locked
