"""The audit trail viewer (TRUST.md G-LG1, LG-07): auditors only, their own subtree.

Who may read: holders of the `auditor` role, and nobody else — not org_admin, not a
superuser (separation of duties, 三员分立). A refused attempt is itself an audit event.
What they read: see `cadre.accounts.access.audit_trail_filter` (an auditor of a root unit
reads everything; lower down, the events of actors and objects of the subtree). Every page
view and every export of the trail is audited; the export carries each entry's chain hash
and the SHA-256 of the file is recorded in the export event.
"""

import hashlib
import json
from itertools import islice

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cadre.accounts.access import can_read_audit
from cadre.audit.forms import AuditFilterForm
from cadre.audit.models import AuditEvent, AuditEventQuerySet
from cadre.audit.services import record_event
from cadre.core.excel import export_response

PAGE_SIZE = 100
EXPORT_MAX_ROWS = 100_000
KNOWN_ACTIONS = [
    "view",
    "export",
    "change",
    "authz_denied",
    "login",
    "login_failed",
    "login_locked",
    "otp_ok",
    "otp_failed",
    "logout",
    "password_changed",
    "audit_view",
    "audit_export",
    "rule_changed",
    "unit_moved",
]


def _require_auditor(request: HttpRequest) -> None:
    if not can_read_audit(request.user):
        record_event(
            actor=request.user,
            action="authz_denied",
            object_type="audit.auditevent",
            request=request,
        )
        raise PermissionDenied("审计日志仅限审计人员查看")


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, AuditEventQuerySet]:
    form = AuditFilterForm(request.GET or None)
    qs = AuditEvent.objects.visible_to(request.user).order_by("-id")
    if not form.is_bound:
        return form, qs
    if not form.is_valid():
        return form, qs.none()
    return form, qs.matching(form.cleaned_data)


def audit_log(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form, qs = _filtered(request)
    # Recorded first, so the page is counted and sliced with this reading included.
    record_event(
        actor=request.user,
        action="audit_view",
        object_type="audit.auditevent",
        request=request,
        detail={"filters": form.active_filters()},
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "known_actions": KNOWN_ACTIONS}
    return render(request, "audit/log.html", context)


EXPORT_HEADERS = [
    "编号",
    "时间",
    "操作人账号",
    "角色",
    "动作",
    "对象类型",
    "对象编号",
    "路径",
    "来源地址",
    "请求编号",
    "详情",
    "前序哈希",
    "哈希",
]


def audit_export(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "page": None, "known_actions": KNOWN_ACTIONS}
        return render(request, "audit/log.html", context, status=400)
    events = islice(qs.iterator(chunk_size=2000), EXPORT_MAX_ROWS + 1)
    rows = [
        [
            e.pk,
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_name,
            e.roles,
            e.action,
            e.object_type,
            e.object_id,
            e.route,
            e.ip,
            e.request_id,
            json.dumps(e.detail, ensure_ascii=False, sort_keys=True),
            e.prev_hash,
            e.hash,
        ]
        for e in events
    ]
    if len(rows) > EXPORT_MAX_ROWS:
        form.add_error(None, f"符合条件的记录超过{EXPORT_MAX_ROWS}条，请缩小日期范围后再导出")
        context = {"form": form, "page": None, "known_actions": KNOWN_ACTIONS}
        return render(request, "audit/log.html", context, status=400)
    response = export_response("审计日志.xlsx", "审计日志", EXPORT_HEADERS, rows)
    digest = hashlib.sha256(response.content).hexdigest()
    record_event(
        actor=request.user,
        action="audit_export",
        object_type="audit.auditevent",
        request=request,
        detail={"rows": len(rows), "sha256": digest, "filters": form.active_filters()},
    )
    response["X-Content-SHA256"] = digest
    return response
