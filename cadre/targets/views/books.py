"""年初制定 pages: lists, overview, book detail, workflow, tasks, amendments, Excel."""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accounts.access import (
    get_object_for_user,
    grant_paths,
    has_role,
    is_staff,
    is_superuser,
    own_cadre_id,
    require_staff,
)
from cadre.audit.services import record_export, record_view
from cadre.cadres.models import Cadre
from cadre.core.excel import export_response
from cadre.core.rulebook import rule_value
from cadre.orgs.models import OrgUnit
from cadre.targets import excel, progress, rules, services
from cadre.targets.access import is_approver, is_drafter
from cadre.targets.forms import ActionForm, BookForm, ImportForm, TaskForm
from cadre.targets.models import BookStatus, KeyProject, Task, TaskBook
from cadre.targets.views.common import (
    attempt,
    form_errors,
    int_param,
    year_param,
)

PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    if has_role(request.user, "org_admin"):
        return redirect("targets:overview")
    if is_staff(request.user):
        return redirect("targets:books")
    return redirect("targets:my_tasks")


def get_book(request: HttpRequest, pk: int) -> TaskBook:
    return get_object_for_user(
        TaskBook.objects.select_related("unit", "owner_cadre"), request.user, pk, request=request
    )


def my_tasks(request: HttpRequest) -> HttpResponse:
    cadre_id = own_cadre_id(request.user)
    if cadre_id is None:
        raise Http404("您的账号未关联干部档案")
    year = year_param(request)
    tasks = (
        Task.objects.visible_to(request.user)
        .live()
        .filter(
            Q(owners=cadre_id) | Q(book__owner_cadre_id=cadre_id),
            book__year=year,
        )
        .exclude(book__status=BookStatus.CANCELLED)
        .distinct()
    )
    states = progress.task_states(tasks)
    books = {
        b.pk: b
        for b in TaskBook.objects.visible_to(request.user).filter(
            pk__in={s.book_id for s in states}
        )
    }
    rows = [(s, books[s.book_id]) for s in states]
    return render(
        request,
        "targets/my_tasks.html",
        {
            "rows": rows,
            "year": year,
            "rollup": progress.rollup(states),
        },
    )


def _overdue_q(year: int) -> Q:
    deadline = rules.approval_deadline(year, rule_value(rules.APPROVAL_DEADLINE.key))
    if timezone.localdate() <= deadline:
        return Q(pk__in=[])
    return ~Q(status__in=[*rules.APPROVED_OR_LATER, rules.CANCELLED])


def book_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    year = year_param(request)
    qs = (
        TaskBook.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("unit", "owner_cadre")
    )
    unit = _unit_filter(request)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if request.GET.get("status") in BookStatus.values:
        qs = qs.filter(status=request.GET["status"])
    overdue_q = _overdue_q(year)
    overdue_count = qs.filter(overdue_q).count()
    if request.GET.get("overdue"):
        qs = qs.filter(overdue_q)
    page = Paginator(qs.order_by("unit__path", "owner_cadre_id", "kind"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    ids = [b.pk for b in page]
    grouped = progress.by_book(
        progress.task_states(Task.objects.visible_to(request.user).live().filter(book__in=ids))
    )
    rows = [(b, progress.rollup(grouped.get(b.pk, []))) for b in page]
    in_force = (
        Task.objects.visible_to(request.user)
        .live()
        .filter(book__year=year, book__status__in=rules.IN_FORCE)
    )
    if unit is not None:
        in_force = in_force.filter(book__unit__path__startswith=unit.path)
    behind = sorted(
        (s for s in progress.task_states(in_force) if s.behind), key=lambda s: s.actual - s.expected
    )[:50]
    return render(
        request,
        "targets/book_list.html",
        {
            "page": page,
            "rows": rows,
            "year": year,
            "statuses": BookStatus.choices,
            "unit": unit,
            "overdue_count": overdue_count,
            "behind": behind,
            "deadline": rules.approval_deadline(year, rule_value(rules.APPROVAL_DEADLINE.key)),
        },
    )


def _unit_filter(request: HttpRequest) -> OrgUnit | None:
    unit_id = int_param(request, "unit")
    if unit_id is None:
        return None
    return get_object_for_user(OrgUnit.objects, request.user, unit_id, request=request)


def _roots(request: HttpRequest) -> list[OrgUnit]:
    """The top units of the user's scope (their grants' units, without nested ones)."""
    if is_superuser(request.user):
        return list(OrgUnit.objects.visible_to(request.user).filter(parent__isnull=True))
    paths = sorted(set(grant_paths(request.user)))
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return list(OrgUnit.objects.visible_to(request.user).filter(path__in=tops))


def overview_data(request: HttpRequest, year: int) -> dict[str, Any]:
    roots = _roots(request)
    tasks = (
        Task.objects.visible_to(request.user)
        .live()
        .filter(book__year=year, book__status__in=rules.IN_FORCE)
    )
    states = progress.task_states(tasks)
    if len(roots) == 1:
        root = roots[0]
        groups: dict[int | None, list[progress.TaskState]] = {}
        for s in states:
            groups.setdefault(progress.child_of(s.unit_path, root.path), []).append(s)
        names = dict(
            OrgUnit.objects.visible_to(request.user)
            .filter(pk__in=[k for k in groups if k is not None])
            .values_list("pk", "name")
        )
        names[None] = f"{root.name}（本级）"
    else:
        by_path = {u.path: u for u in roots}
        groups = {}
        for s in states:
            top = next((u for p, u in by_path.items() if s.unit_path.startswith(p)), None)
            if top is not None:
                groups.setdefault(top.pk, []).append(s)
        names = {u.pk: u.name for u in roots}
    chart = []
    for key, items in groups.items():
        roll = progress.rollup(items)
        chart.append(
            {
                "name": names.get(key, "其他"),
                "unit": key,
                "tasks": roll.tasks,
                "expected": float(roll.expected),
                "actual": float(roll.actual),
                "lagging": roll.lagging,
                "at_risk": roll.at_risk,
            }
        )
    chart.sort(key=lambda c: c["actual"])
    behind = sorted((s for s in states if s.behind), key=lambda s: s.actual - s.expected)
    return {"chart": chart, "behind": behind, "total": progress.rollup(states)}


def overview(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, "org_admin"):
        raise PermissionDenied("总览页面仅供组织部门使用")
    year = year_param(request)
    data = overview_data(request, year)
    books = TaskBook.objects.visible_to(request.user).filter(year=year)
    counts = dict(books.values_list("status").annotate(n=Count("id")).order_by())
    overdue = books.filter(_overdue_q(year)).count()
    return render(
        request,
        "targets/overview.html",
        {
            "year": year,
            "chart": data["chart"],
            "behind": data["behind"][:100],
            "behind_total": len(data["behind"]),
            "total": data["total"],
            "overdue": overdue,
            "counts": [(label, counts.get(code, 0)) for code, label in BookStatus.choices],
        },
    )


def overview_export(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, "org_admin"):
        raise PermissionDenied("总览页面仅供组织部门使用")
    year = year_param(request)
    data = overview_data(request, year)
    rows = [
        [s.unit_name, s.title, s.weight, s.due_date, s.expected, s.actual, s.status_label]
        for s in data["behind"]
    ]
    record_export(user=request.user, what="targets.lagging", count=len(rows), request=request)
    return export_response(
        f"{year}年滞后任务.xlsx",
        "滞后任务",
        ["单位", "任务", "权重", "完成时限", "应有进度%", "实际进度%", "状态"],
        rows,
    )


def books_export(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    year = year_param(request)
    qs = (
        TaskBook.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("unit", "owner_cadre")
        .order_by("unit__path", "kind")
    )
    rows = [
        [
            b.unit.name,
            b.owner_cadre.name if b.owner_cadre else "",
            b.get_kind_display(),
            b.title,
            b.get_status_display(),
            b.score,
        ]
        for b in qs.iterator(chunk_size=2000)
    ]
    record_export(user=request.user, what="targets.taskbook", count=len(rows), request=request)
    return export_response(
        f"{year}年度目标任务书.xlsx",
        "任务书",
        ["单位", "责任领导干部", "类别", "名称", "状态", "得分"],
        rows,
    )


@require_http_methods(["GET", "POST"])
def book_new(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    units = OrgUnit.objects.visible_to(request.user).active()
    chosen = _unit_filter(request)
    leaders = Cadre.objects.visible_to(request.user).active().filter(is_leader=True)
    leaders = leaders.filter(org_unit=chosen) if chosen else leaders.none()
    if request.method == "POST":
        leaders = Cadre.objects.visible_to(request.user).active().filter(is_leader=True)
    form = BookForm(
        request.POST or None,
        units=units,
        leaders=leaders,
        initial={"year": timezone.localdate().year, "unit": chosen},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            book, status = attempt(
                request,
                lambda: services.create_book(
                    by=request.user,
                    unit=d["unit"],
                    year=d["year"],
                    kind=d["kind"],
                    title=d["title"],
                    owner_cadre=d["owner_cadre"],
                ),
            )
            if book is not None:
                messages.success(request, "任务书已创建，请添加任务")
                return redirect("targets:book", pk=book.pk)
        else:
            form_errors(request, form)
            status = 400
    return render(
        request, "targets/book_form.html", {"form": form, "chosen": chosen}, status=status
    )


def _book_context(request: HttpRequest, book: TaskBook) -> dict[str, Any]:
    tasks = book.tasks.live().prefetch_related("owners").select_related("key_project")
    tasks = tasks.filter(pk__in=Task.objects.visible_to(request.user).values("pk"))
    states = {s.id: s for s in progress.task_states(tasks)}
    rows = [(t, states.get(t.pk)) for t in tasks]
    user = request.user
    drafter, approver = is_drafter(user, book), is_approver(user, book)
    actions = [
        (a, rules.ACTION_LABELS[a])
        for a, (target, who) in rules.ACTIONS.items()
        if target in rules.TRANSITIONS[book.status] and (drafter if who == "drafter" else approver)
    ]
    if book.status == rules.SIGNED and _unconfirmed(book):
        actions = [(a, label) for a, label in actions if a != "close"]
    weight = sum((t.weight for t in tasks), Decimal(0))
    return {
        "book": book,
        "rows": rows,
        "actions": actions,
        "can_edit": drafter and book.editable,
        "can_amend": approver and book.in_force,
        "weight_total": weight,
        "rollup": progress.rollup(list(states.values())),
        "amendments": book.amendments.select_related("by"),
    }


def _unconfirmed(book: TaskBook) -> bool:
    return (
        book.tasks.live()
        .filter(Q(reconciliation__isnull=True) | Q(reconciliation__confirmed_at__isnull=True))
        .exists()
    )


def book_detail(request: HttpRequest, pk: int, status: int = 200) -> HttpResponse:
    book = get_book(request, pk)
    record_view(user=request.user, obj=book, request=request)
    return render(request, "targets/book_detail.html", _book_context(request, book), status=status)


@require_POST
def book_action(request: HttpRequest, pk: int) -> HttpResponse:
    book = get_book(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return book_detail(request, pk, status=400)
    d = form.cleaned_data
    done, status = attempt(
        request,
        lambda: services.act_on_book(
            by=request.user,
            book=book,
            action=d["action"],
            version=d["version"],
            comment=d["comment"],
        ),
    )
    if done is None:
        return book_detail(request, pk, status=status)
    messages.success(request, f"已{rules.ACTION_LABELS[d['action']]}")
    return redirect("targets:book", pk=pk)


def _task_form(request: HttpRequest, book: TaskBook, data: Any = None, **kw: Any) -> TaskForm:
    cadres = (
        Cadre.objects.visible_to(request.user)
        .active()
        .filter(org_unit__path__startswith=book.unit.path)
    )
    projects = KeyProject.objects.visible_to(request.user).filter(year=book.year)
    return TaskForm(data, cadres=cadres, projects=projects, **kw)


def _task_data(d: dict[str, Any]) -> services.TaskData:
    return services.TaskData(
        title=d["title"],
        category=d["category"],
        indicator_kind=d["indicator_kind"],
        weight=d["weight"],
        due_date=d["due_date"],
        owner_ids=[c.pk for c in d["owners"]],
        indicator_unit=d["indicator_unit"],
        target_value=d["target_value"],
        key_project_id=d["key_project"].pk if d["key_project"] else None,
        reward_rule=d["reward_rule"],
        milestones=d["milestones"],
    )


@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, book_pk: int, pk: int | None = None) -> HttpResponse:
    book = get_book(request, book_pk)
    task = None
    if pk is not None:
        task = get_object_for_user(
            Task.objects.filter(book=book), request.user, pk, request=request
        )
    initial: dict[str, Any] = {"version": book.version, "due_date": f"{book.year}-12-31"}
    if task is not None:
        initial.update(
            {
                f: getattr(task, f)
                for f in (
                    "title",
                    "category",
                    "indicator_kind",
                    "indicator_unit",
                    "target_value",
                    "weight",
                    "due_date",
                    "key_project",
                    "reward_rule",
                )
            }
        )
        initial["owners"] = list(task.owners.all())
        initial["milestones"] = "\n".join(f"{m.due_date} {m.title}" for m in task.milestones.live())
    form = _task_form(request, book, request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            saved, status = attempt(
                request,
                lambda: services.save_task(
                    by=request.user, book=book, task=task, data=_task_data(d), version=d["version"]
                ),
            )
            if saved is not None:
                messages.success(request, "任务已保存")
                return redirect("targets:book", pk=book.pk)
        else:
            form_errors(request, form)
            status = 400
    return render(
        request, "targets/task_form.html", {"form": form, "book": book, "task": task}, status=status
    )


@require_POST
def task_withdraw(request: HttpRequest, book_pk: int, pk: int) -> HttpResponse:
    book = get_book(request, book_pk)
    task = get_object_for_user(Task.objects.filter(book=book), request.user, pk, request=request)
    done, status = attempt(
        request,
        lambda: services.withdraw_task(
            by=request.user, task=task, version=int_or_none(request.POST.get("version"))
        ),
    )
    if done is None and status != 200:
        return book_detail(request, book.pk, status=status)
    messages.success(request, "任务已撤回")
    return redirect("targets:book", pk=book.pk)


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


AMEND_FIELDS = (
    ("title", "名称"),
    ("weight", "权重"),
    ("target_value", "目标值"),
    ("due_date", "完成时限"),
)


def _parse_amendment(post: Any, tasks: list[Task]) -> tuple[dict[int, dict[str, Any]], list[str]]:
    from datetime import date
    from decimal import InvalidOperation

    changes: dict[int, dict[str, Any]] = {}
    errors = []
    for t in tasks:
        fields: dict[str, Any] = {}
        for name, label in AMEND_FIELDS:
            raw = (post.get(f"{name}_{t.pk}") or "").strip()
            if name == "target_value" and t.indicator_kind != "numeric":
                continue
            try:
                if name in ("weight", "target_value"):
                    fields[name] = Decimal(raw).quantize(Decimal("0.01"))
                elif name == "due_date":
                    fields[name] = date.fromisoformat(raw)
                else:
                    fields[name] = raw
            except (InvalidOperation, ValueError):
                errors.append(f"任务“{t.title}”的{label}格式不正确")
        changes[t.pk] = fields
    return changes, errors


@require_http_methods(["GET", "POST"])
def book_amend(request: HttpRequest, pk: int) -> HttpResponse:
    book = get_book(request, pk)
    if not is_approver(request.user, book):
        raise PermissionDenied("只有组织部门或上级单位可以调整已审批的任务书")
    tasks = list(book.tasks.live())
    status = 200
    if request.method == "POST":
        changes, errors = _parse_amendment(request.POST, tasks)
        for e in errors:
            messages.error(request, e)
        status = 400 if errors else 200
        if not errors:
            done, status = attempt(
                request,
                lambda: services.amend_book(
                    by=request.user,
                    book=book,
                    version=int_or_none(request.POST.get("version")) or 0,
                    reason=request.POST.get("reason", ""),
                    changes=changes,
                ),
            )
            if done is not None:
                messages.success(request, "调整已记录")
                return redirect("targets:book", pk=pk)
    return render(request, "targets/amend.html", {"book": book, "tasks": tasks}, status=status)


def book_export(request: HttpRequest, pk: int) -> HttpResponse:
    book = get_book(request, pk)
    tasks = book.tasks.live().filter(pk__in=Task.objects.visible_to(request.user).values("pk"))
    response = excel.export_book(book, tasks)
    record_export(user=request.user, what="targets.task", count=tasks.count(), request=request)
    return response


@require_http_methods(["GET", "POST"])
def book_import(request: HttpRequest, pk: int) -> HttpResponse:
    book = get_book(request, pk)
    if not is_drafter(request.user, book):
        raise PermissionDenied("您无权修改该任务书")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            errors, status = excel.import_book(request, book, form.cleaned_data["file"])
            if not errors and status == 200:
                messages.success(request, "导入成功，任务书的任务已按文件替换")
                return redirect("targets:book", pk=pk)
        else:
            form_errors(request, form)
            status = 400
    return render(
        request,
        "targets/import.html",
        {"form": form, "book": book, "errors": errors, "headers": excel.HEADERS},
        status=status,
    )
