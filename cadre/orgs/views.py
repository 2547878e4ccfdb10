from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cadre.accounts.access import get_object_for_user, is_staff
from cadre.core.excel import export_response
from cadre.orgs.models import OrgUnit


def _with_counts(qs: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    return qs.annotate(
        n_children=Count("children", filter=Q(children__dissolved_on__isnull=True), distinct=True),
        n_cadres=Count("cadres", filter=Q(cadres__status="active"), distinct=True),
    )


def unit_tree(request: HttpRequest) -> HttpResponse:
    """The top of the user's scope; children load on demand (HTMX)."""
    if not is_staff(request.user):
        raise PermissionDenied
    visible = OrgUnit.objects.visible_to(request.user).active()
    top_depth = visible.order_by("depth").values_list("depth", flat=True).first()
    roots = _with_counts(visible.filter(depth=top_depth)) if top_depth is not None else []
    return render(request, "orgs/tree.html", {"units": roots, "expand_first": True})


def unit_children(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_for_user(OrgUnit.objects, request.user, unit_id, request=request)
    children = _with_counts(OrgUnit.objects.visible_to(request.user).active().filter(parent=unit))
    return render(request, "orgs/_children.html", {"units": children})


def unit_export(request: HttpRequest) -> HttpResponse:
    if not is_staff(request.user):
        raise PermissionDenied
    qs = OrgUnit.objects.visible_to(request.user).select_related("parent")
    rows = [
        [
            u.name,
            u.get_kind_display(),
            u.region_code,
            u.parent.name if u.parent else "",
            u.dissolved_on or "",
        ]
        for u in qs.iterator(chunk_size=2000)
    ]
    from cadre.audit.services import record_export

    record_export(user=request.user, what="orgs.orgunit", count=len(rows), request=request)
    headers = ["单位名称", "单位类型", "行政区划代码", "上级单位", "撤销日期"]
    return export_response("单位列表.xlsx", "单位", headers, rows)
