"""重点项目: registry, leaders linked (联系/领办), visits, milestones and problems solved."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.audit.services import record_event
from cadre.cadres.models import Cadre
from cadre.targets import rules
from cadre.targets.access import may_manage_projects, require
from cadre.targets.models import (
    KeyProject,
    LinkRole,
    ProblemStatus,
    ProjectLink,
    ProjectMilestone,
    ProjectProblem,
    ProjectVisit,
)
from cadre.targets.rules import RuleError

DENIED = "您无权管理该重点项目"


def _require(by: Any, project: KeyProject) -> None:
    require(may_manage_projects(by, project.unit.path), DENIED)


def _not_future(day: date, what: str) -> None:
    if day > timezone.localdate():
        raise RuleError(f"{what}不能晚于今天")


@transaction.atomic
def create_project(
    *,
    by: Any,
    unit: Any,
    year: int,
    name: str,
    budget: Decimal,
    starts_on: date,
    ends_on: date,
    description: str = "",
) -> KeyProject:
    require(may_manage_projects(by, unit.path), DENIED)
    if not name.strip():
        raise RuleError("项目名称不能为空")
    if budget is None or budget < 0:
        raise RuleError("投资额不能为负数")
    rules.check_period(starts_on, ends_on)
    project = KeyProject.objects.create(
        unit=unit,
        year=year,
        name=name.strip(),
        budget=budget,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
    )
    record_event(actor=by, action="targets.project.create", obj=project)
    return project


def _cadre_in(project: KeyProject, cadre_id: int) -> Cadre:
    """A linked leader sits in the project's unit, a unit above it, or below it."""
    cadre = Cadre.objects.select_related("org_unit").filter(pk=cadre_id).first()
    path = project.unit.path
    if cadre is None or not (
        path.startswith(cadre.org_unit.path) or cadre.org_unit.path.startswith(path)
    ):
        raise RuleError("该干部不在本项目所属单位的上下级范围内")
    return cadre


@transaction.atomic
def link_leader(
    *, by: Any, project: KeyProject, cadre_id: int, role: str, since: date
) -> ProjectLink:
    _require(by, project)
    if role not in LinkRole.values:
        raise RuleError("联系方式无效（联系或领办）")
    cadre = _cadre_in(project, cadre_id)
    if not cadre.is_leader:
        raise RuleError(f"{cadre.name}不是领导干部，不能联系或领办重点项目")
    if project.links.filter(cadre=cadre, until__isnull=True).exists():
        raise RuleError(f"{cadre.name}已联系或领办该项目")
    link = ProjectLink.objects.create(project=project, cadre=cadre, role=role, since=since)
    record_event(actor=by, action="targets.project.link", obj=link)
    return link


@transaction.atomic
def add_visit(*, by: Any, project: KeyProject, cadre_id: int, on: date, note: str) -> ProjectVisit:
    _require(by, project)
    _not_future(on, "走访日期")
    if not note.strip():
        raise RuleError("请填写走访情况")
    if not project.links.filter(cadre_id=cadre_id).exists():
        raise RuleError("只有联系或领办该项目的领导干部才能登记走访")
    visit = ProjectVisit.objects.create(
        project=project, cadre_id=cadre_id, on=on, note=note.strip()
    )
    record_event(actor=by, action="targets.project.visit", obj=visit)
    return visit


@transaction.atomic
def add_project_milestone(
    *, by: Any, project: KeyProject, title: str, due_date: date
) -> ProjectMilestone:
    _require(by, project)
    if not title.strip():
        raise RuleError("节点名称不能为空")
    if not project.starts_on <= due_date <= project.ends_on:
        raise RuleError("节点日期必须在项目起止日期之间")
    stone = ProjectMilestone.objects.create(project=project, title=title.strip(), due_date=due_date)
    record_event(actor=by, action="targets.project.milestone", obj=stone)
    return stone


@transaction.atomic
def complete_project_milestone(
    *, by: Any, milestone: ProjectMilestone, done_on: date
) -> ProjectMilestone:
    _require(by, milestone.project)
    _not_future(done_on, "完成日期")
    if milestone.done_on is not None:
        raise RuleError("该节点已完成")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on", "updated_at"])
    record_event(actor=by, action="targets.project.milestone_done", obj=milestone)
    return milestone


@transaction.atomic
def add_problem(*, by: Any, project: KeyProject, title: str, raised_on: date) -> ProjectProblem:
    _require(by, project)
    _not_future(raised_on, "提出日期")
    if not title.strip():
        raise RuleError("请填写问题内容")
    problem = ProjectProblem.objects.create(
        project=project, title=title.strip(), raised_on=raised_on
    )
    record_event(actor=by, action="targets.project.problem", obj=problem)
    return problem


@transaction.atomic
def update_problem(
    *,
    by: Any,
    problem: ProjectProblem,
    status: str,
    note: str = "",
    solved_on: date | None = None,
    solved_by_id: int | None = None,
) -> ProjectProblem:
    problem = (
        ProjectProblem.objects.select_for_update()
        .select_related("project__unit")
        .get(pk=problem.pk)
    )
    _require(by, problem.project)
    if status not in ProblemStatus.values:
        raise RuleError("问题状态无效")
    if problem.status == ProblemStatus.SOLVED:
        raise RuleError("该问题已解决，不能再修改")
    if status == ProblemStatus.SOLVED:
        if solved_on is None:
            raise RuleError("请填写解决日期")
        _not_future(solved_on, "解决日期")
        if solved_on < problem.raised_on:
            raise RuleError("解决日期不能早于提出日期")
        if solved_by_id is not None:
            _cadre_in(problem.project, solved_by_id)
        problem.solved_on, problem.solved_by_id = solved_on, solved_by_id
    problem.status = status
    problem.note = note.strip() or problem.note
    problem.save()
    record_event(
        actor=by, action="targets.project.problem_update", obj=problem, detail={"status": status}
    )
    return problem
