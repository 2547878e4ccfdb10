"""专项督查 pages: topics, inspections, visits, findings with rectification follow-up; unit page."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accounts.access import get_object_for_user, has_role, require_staff
from cadre.audit.services import record_export, record_view
from cadre.cadres.models import Cadre
from cadre.core.excel import export_response
from cadre.orgs.models import OrgUnit
from cadre.targets import evidence, progress, rules, services
from cadre.targets.access import is_inspector, may_follow_up
from cadre.targets.forms import (
    FindingForm,
    FollowUpForm,
    InspectionForm,
    InspectionVisitForm,
    TopicForm,
)
from cadre.targets.models import (
    Finding,
    FindingStatus,
    FollowUp,
    InspectionTopic,
    InspectionVisit,
    SpecialInspection,
    Task,
    TaskBook,
)
from cadre.targets.views.common import attempt, form_errors, year_param


@require_http_methods(["GET", "POST"])
def topic_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    topics = (
        InspectionTopic.objects.visible_to(request.user)
        .annotate(n=Count("inspections"))
        .order_by("sort_order", "id")
    )
    form = TopicForm(request.POST or None)
    status = 200
    if request.method == "POST":
        topic = None
        if request.POST.get("topic_id", "").isdigit():
            topic = (
                InspectionTopic.objects.visible_to(request.user, write=True)
                .filter(pk=int(request.POST["topic_id"]))
                .first()
            )
            if topic is None:
                raise PermissionDenied("只有组织部门可以维护督查专题")
        if form.is_valid():
            d = form.cleaned_data
            saved, status = attempt(
                request,
                lambda: services.save_topic(
                    by=request.user,
                    topic=topic,
                    name=d["name"],
                    description=d["description"],
                    active=d["active"],
                    sort_order=d["sort_order"],
                ),
            )
            if saved is not None:
                messages.success(request, "专题已保存")
                return redirect("targets:topics")
        else:
            form_errors(request, form)
            status = 400
    return render(
        request,
        "targets/topics.html",
        {"topics": topics, "form": form, "can_edit": has_role(request.user, "org_admin")},
        status=status,
    )


def _inspections(request: HttpRequest) -> Any:
    return (
        SpecialInspection.objects.visible_to(request.user)
        .select_related("topic", "unit")
        .annotate(
            n_units=Count("units", distinct=True),
            n_findings=Count("findings", distinct=True),
            n_open=Count("findings", filter=Q(findings__status="open"), distinct=True),
        )
        .order_by("-starts_on", "-id")
    )


def inspection_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    page = Paginator(_inspections(request), 30).get_page(request.GET.get("page"))
    findings = (
        Finding.objects.visible_to(request.user)
        .open_rectifications()
        .select_related("unit", "cadre", "inspection__topic")
        .order_by("deadline")[:50]
    )
    return render(
        request,
        "targets/inspection_list.html",
        {"page": page, "findings": findings, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    units = OrgUnit.objects.visible_to(request.user).active()
    topics = InspectionTopic.objects.visible_to(request.user).active()
    today = timezone.localdate()
    form = InspectionForm(
        request.POST or None, topics=topics, units=units, initial={"starts_on": today}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            seen = set(
                Task.objects.visible_to(request.user)
                .filter(pk__in=d["task_ids"])
                .values_list("pk", flat=True)
            )
            task_ids = [t for t in d["task_ids"] if t in seen]
            if len(task_ids) != len(d["task_ids"]):
                messages.error(request, "督查任务编号不存在或不在您的范围内")
                return render(
                    request,
                    "targets/simple_form.html",
                    {"form": form, "title": "新建专项督查"},
                    status=400,
                )
            inspection, status = attempt(
                request,
                lambda: services.create_inspection(
                    by=request.user,
                    topic=d["topic"],
                    title=d["title"],
                    unit=d["unit"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    unit_ids=[u.pk for u in d["units"]],
                    task_ids=task_ids,
                ),
            )
            if inspection is not None:
                messages.success(request, "专项督查已创建")
                return redirect("targets:inspection", pk=inspection.pk)
        else:
            form_errors(request, form)
            status = 400
    return render(
        request, "targets/simple_form.html", {"form": form, "title": "新建专项督查"}, status=status
    )


def get_inspection(request: HttpRequest, pk: int) -> SpecialInspection:
    return get_object_for_user(
        SpecialInspection.objects.select_related("topic", "unit"), request.user, pk, request=request
    )


def inspection_detail(
    request: HttpRequest, pk: int, status: int = 200, **forms: Any
) -> HttpResponse:
    inspection = get_inspection(request, pk)
    record_view(user=request.user, obj=inspection, request=request)
    user = request.user
    units = inspection.units.all()
    cadres = (
        Cadre.objects.visible_to(user).active().filter(org_unit__in=units)
        if is_inspector(user, inspection.unit.path)
        else Cadre.objects.none()
    )
    today = timezone.localdate()
    return render(
        request,
        "targets/inspection_detail.html",
        {
            "inspection": inspection,
            "units": units,
            "tasks": Task.objects.visible_to(user)
            .filter(pk__in=inspection.tasks.values("pk"))
            .select_related("book__unit"),
            "visits": InspectionVisit.objects.visible_to(user)
            .filter(inspection=inspection)
            .select_related("unit"),
            "findings": Finding.objects.visible_to(user)
            .filter(inspection=inspection)
            .select_related("unit", "cadre"),
            "can_write": is_inspector(user, inspection.unit.path) and inspection.status == "open",
            "visit_form": forms.get("visit_form")
            or InspectionVisitForm(units=units, initial={"on": today}),
            "finding_form": forms.get("finding_form")
            or FindingForm(units=units, cadres=cadres, initial={"found_on": today}),
            "today": today,
        },
        status=status,
    )


@require_POST
def inspection_visit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    form = InspectionVisitForm(request.POST, units=inspection.units.all())
    if not form.is_valid():
        form_errors(request, form)
        return inspection_detail(request, pk, status=400, visit_form=form)
    d = form.cleaned_data
    done, status = attempt(
        request,
        lambda: services.add_inspection_visit(
            by=request.user,
            inspection=inspection,
            unit_id=d["unit"].pk,
            on=d["on"],
            inspectors=d["inspectors"],
            note=d["note"],
        ),
    )
    if done is None:
        return inspection_detail(request, pk, status=status, visit_form=form)
    messages.success(request, "督查走访已登记")
    return redirect("targets:inspection", pk=pk)


@require_POST
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    units = inspection.units.all()
    cadres = Cadre.objects.visible_to(request.user).filter(org_unit__in=units)
    form = FindingForm(request.POST, request.FILES, units=units, cadres=cadres)
    if not form.is_valid():
        form_errors(request, form)
        return inspection_detail(request, pk, status=400, finding_form=form)
    d = form.cleaned_data
    done, status = attempt(
        request,
        lambda: services.add_finding(
            by=request.user,
            inspection=inspection,
            unit_id=d["unit"].pk,
            positive=d["positive"],
            found_on=d["found_on"],
            description=d["description"],
            evidence=d["evidence"],
            cadre_id=d["cadre"].pk if d["cadre"] else None,
            requirement=d["requirement"],
            deadline=d["deadline"],
            files=d["files"],
        ),
    )
    if done is None:
        return inspection_detail(request, pk, status=status, finding_form=form)
    messages.success(request, "督查发现已记录")
    return redirect("targets:finding", pk=done.pk)


@require_POST
def inspection_close(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection(request, pk)
    done, status = attempt(
        request, lambda: services.close_inspection(by=request.user, inspection=inspection)
    )
    if done is None:
        return inspection_detail(request, pk, status=status)
    messages.success(request, "督查已结束")
    return redirect("targets:inspection", pk=pk)


def get_finding(request: HttpRequest, pk: int) -> Finding:
    return get_object_for_user(
        Finding.objects.select_related("unit", "cadre", "inspection__topic", "by"),
        request.user,
        pk,
        request=request,
    )


def finding_detail(
    request: HttpRequest, pk: int, status: int = 200, form: FollowUpForm | None = None
) -> HttpResponse:
    finding = get_finding(request, pk)
    record_view(user=request.user, obj=finding, request=request)
    today = timezone.localdate()
    return render(
        request,
        "targets/finding_detail.html",
        {
            "finding": finding,
            "follow_ups": FollowUp.objects.visible_to(request.user)
            .filter(finding=finding)
            .select_related("by"),
            "files": finding.attachments.all(),
            "can_follow": may_follow_up(request.user, finding.unit.path)
            and finding.status == FindingStatus.OPEN,
            "can_close": is_inspector(request.user, finding.unit.path),
            "overdue": rules.rectification_overdue(
                finding.deadline, finding.status != FindingStatus.OPEN, today
            ),
            "form": form or FollowUpForm(initial={"on": today}),
            "inspection_visible": SpecialInspection.objects.visible_to(request.user)
            .filter(pk=finding.inspection_id)
            .exists(),
        },
        status=status,
    )


@require_POST
def finding_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_finding(request, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return finding_detail(request, pk, status=400, form=form)
    d = form.cleaned_data
    done, status = attempt(
        request,
        lambda: services.add_follow_up(
            by=request.user, finding=finding, on=d["on"], note=d["note"], closes=d["closes"]
        ),
    )
    if done is None:
        return finding_detail(request, pk, status=status, form=form)
    messages.success(request, "已验收销号" if d["closes"] else "整改进展已记录")
    return redirect("targets:finding", pk=pk)


def findings_export(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    qs = (
        Finding.objects.visible_to(request.user)
        .select_related("unit", "cadre", "inspection__topic")
        .order_by("-found_on", "-id")
    )
    rows = [
        [
            f.inspection.topic.name,
            f.inspection.title,
            f.unit.name,
            f.cadre.name if f.cadre else "",
            "表扬" if f.positive else "问题",
            f.found_on,
            f.description,
            f.requirement,
            f.deadline,
            f.get_status_display(),
            f.closed_on,
        ]
        for f in qs.iterator(chunk_size=2000)
    ]
    record_export(user=request.user, what="targets.finding", count=len(rows), request=request)
    return export_response(
        "督查发现.xlsx",
        "督查发现",
        [
            "专题",
            "督查",
            "单位",
            "干部",
            "性质",
            "发现日期",
            "情况",
            "整改要求",
            "整改期限",
            "整改状态",
            "销号日期",
        ],
        rows,
    )


def unit_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit's books, its year result and the findings against it."""
    unit = get_object_for_user(OrgUnit.objects, request.user, unit_id, request=request)
    year = year_param(request)
    books = (
        TaskBook.objects.visible_to(request.user)
        .filter(year=year, unit=unit)
        .select_related("owner_cadre")
    )
    grouped = progress.by_book(
        progress.task_states(Task.objects.visible_to(request.user).live().filter(book__in=books))
    )
    findings = (
        Finding.objects.visible_to(request.user)
        .filter(unit=unit)
        .select_related("cadre", "inspection__topic")[:50]
    )
    return render(
        request,
        "targets/unit_page.html",
        {
            "unit": unit,
            "year": year,
            "findings": findings,
            "rows": [(b, progress.rollup(grouped.get(b.pk, []))) for b in books],
            "result": evidence.unit_year_result(unit.pk, year),
        },
    )
