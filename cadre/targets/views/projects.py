"""重点项目 pages: registry, linked leaders, visits, milestones, problems."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accounts.access import get_object_for_user, require_staff
from cadre.audit.services import record_export, record_view
from cadre.cadres.models import Cadre
from cadre.core.excel import export_response
from cadre.orgs.models import OrgUnit
from cadre.targets import services
from cadre.targets.access import may_manage_projects
from cadre.targets.forms import (
    LinkForm,
    ProblemForm,
    ProblemUpdateForm,
    ProjectForm,
    ProjectMilestoneForm,
    VisitForm,
)
from cadre.targets.models import (
    KeyProject,
    ProjectLink,
    ProjectMilestone,
    ProjectProblem,
    ProjectVisit,
)
from cadre.targets.views.common import attempt, form_errors, year_param


def _projects(request: HttpRequest, year: int) -> Any:
    return (
        KeyProject.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("unit")
        .annotate(
            n_leaders=Count("links", distinct=True),
            n_open=Count("problems", filter=~Q(problems__status="solved"), distinct=True),
            n_solved=Count("problems", filter=Q(problems__status="solved"), distinct=True),
        )
        .order_by("unit__path", "id")
    )


def project_list(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    page = Paginator(_projects(request, year), 50).get_page(request.GET.get("page"))
    return render(request, "targets/project_list.html", {"page": page, "year": year})


def project_export(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    rows = [
        [
            p.pk,
            p.unit.name,
            p.name,
            p.budget,
            p.starts_on,
            p.ends_on,
            p.n_leaders,
            p.n_open,
            p.n_solved,
        ]
        for p in _projects(request, year)
    ]
    record_export(user=request.user, what="targets.keyproject", count=len(rows), request=request)
    return export_response(
        f"{year}年重点项目.xlsx",
        "重点项目",
        [
            "编号",
            "责任单位",
            "项目",
            "投资额（万元）",
            "开始",
            "计划完成",
            "联系领办领导",
            "待解决问题",
            "已解决问题",
        ],
        rows,
    )


@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    units = OrgUnit.objects.visible_to(request.user).active()
    form = ProjectForm(
        request.POST or None, units=units, initial={"year": timezone.localdate().year}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            project, status = attempt(
                request,
                lambda: services.create_project(
                    by=request.user,
                    unit=d["unit"],
                    year=d["year"],
                    name=d["name"],
                    budget=d["budget"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    description=d["description"],
                ),
            )
            if project is not None:
                messages.success(request, "重点项目已登记")
                return redirect("targets:project", pk=project.pk)
        else:
            form_errors(request, form)
            status = 400
    return render(
        request, "targets/simple_form.html", {"form": form, "title": "登记重点项目"}, status=status
    )


def get_project(request: HttpRequest, pk: int) -> KeyProject:
    return get_object_for_user(
        KeyProject.objects.select_related("unit"), request.user, pk, request=request
    )


def _leaders(request: HttpRequest, project: KeyProject) -> Any:
    ancestors = project.unit.ancestor_ids()
    return (
        Cadre.objects.visible_to(request.user)
        .active()
        .filter(is_leader=True)
        .filter(Q(org_unit__path__startswith=project.unit.path) | Q(org_unit_id__in=ancestors))
    )


def project_detail(request: HttpRequest, pk: int, status: int = 200, **forms: Any) -> HttpResponse:
    project = get_project(request, pk)
    record_view(user=request.user, obj=project, request=request)
    user = request.user
    linked = Cadre.objects.visible_to(user).filter(project_links__project=project).distinct()
    today = timezone.localdate()
    return render(
        request,
        "targets/project_detail.html",
        {
            "project": project,
            "links": ProjectLink.objects.visible_to(user)
            .filter(project=project)
            .select_related("cadre"),
            "visits": ProjectVisit.objects.visible_to(user)
            .filter(project=project)
            .select_related("cadre"),
            "milestones": ProjectMilestone.objects.visible_to(user).filter(project=project),
            "problems": ProjectProblem.objects.visible_to(user)
            .filter(project=project)
            .select_related("solved_by"),
            "tasks": project.tasks.filter(withdrawn=False).select_related("book"),
            "can_manage": may_manage_projects(user, project.unit.path),
            "today": today,
            "link_form": forms.get("link_form")
            or LinkForm(leaders=_leaders(request, project), initial={"since": today}),
            "visit_form": forms.get("visit_form")
            or VisitForm(leaders=linked, initial={"on": today}),
            "problem_form": forms.get("problem_form") or ProblemForm(initial={"raised_on": today}),
            "milestone_form": forms.get("milestone_form") or ProjectMilestoneForm(),
            "update_form": ProblemUpdateForm(initial={"solved_on": today}),
        },
        status=status,
    )


def _post(request: HttpRequest, pk: int, form: Any, key: str, call: Any, ok: str) -> HttpResponse:
    if not form.is_valid():
        form_errors(request, form)
        return project_detail(request, pk, status=400, **{key: form})
    done, status = attempt(request, lambda: call(form.cleaned_data))
    if done is None:
        return project_detail(request, pk, status=status, **{key: form})
    messages.success(request, ok)
    return redirect("targets:project", pk=pk)


@require_POST
def project_link(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project(request, pk)
    form = LinkForm(request.POST, leaders=_leaders(request, project))
    return _post(
        request,
        pk,
        form,
        "link_form",
        lambda d: services.link_leader(
            by=request.user,
            project=project,
            cadre_id=d["cadre"].pk,
            role=d["role"],
            since=d["since"],
        ),
        "已登记联系领办领导",
    )


@require_POST
def project_visit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project(request, pk)
    linked = (
        Cadre.objects.visible_to(request.user).filter(project_links__project=project).distinct()
    )
    form = VisitForm(request.POST, leaders=linked)
    return _post(
        request,
        pk,
        form,
        "visit_form",
        lambda d: services.add_visit(
            by=request.user, project=project, cadre_id=d["cadre"].pk, on=d["on"], note=d["note"]
        ),
        "走访已登记",
    )


@require_POST
def project_problem(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project(request, pk)
    form = ProblemForm(request.POST)
    return _post(
        request,
        pk,
        form,
        "problem_form",
        lambda d: services.add_problem(
            by=request.user, project=project, title=d["title"], raised_on=d["raised_on"]
        ),
        "问题已登记",
    )


@require_POST
def project_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project(request, pk)
    form = ProjectMilestoneForm(request.POST)
    return _post(
        request,
        pk,
        form,
        "milestone_form",
        lambda d: services.add_project_milestone(
            by=request.user, project=project, title=d["title"], due_date=d["due_date"]
        ),
        "节点已添加",
    )


@require_POST
def milestone_done(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    project = get_project(request, pk)
    stone = get_object_for_user(
        ProjectMilestone.objects.filter(project=project),
        request.user,
        milestone_pk,
        request=request,
    )
    done, status = attempt(
        request,
        lambda: services.complete_project_milestone(
            by=request.user, milestone=stone, done_on=timezone.localdate()
        ),
    )
    if done is None:
        return project_detail(request, pk, status=status)
    messages.success(request, "节点已完成")
    return redirect("targets:project", pk=pk)


@require_POST
def problem_update(request: HttpRequest, pk: int, problem_pk: int) -> HttpResponse:
    project = get_project(request, pk)
    problem = get_object_for_user(
        ProjectProblem.objects.filter(project=project), request.user, problem_pk, request=request
    )
    form = ProblemUpdateForm(request.POST)
    solver = request.POST.get("solved_by")
    return _post(
        request,
        pk,
        form,
        "update_form",
        lambda d: services.update_problem(
            by=request.user,
            problem=problem,
            status=d["status"],
            note=d["note"],
            solved_on=d["solved_on"],
            solved_by_id=int(solver) if solver and solver.isdigit() else None,
        ),
        "问题状态已更新",
    )
