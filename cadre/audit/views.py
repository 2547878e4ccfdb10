from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cadre.accounts.access import require_role
from cadre.audit.models import AuditEvent
from cadre.audit.services import record_event


def audit_log(request: HttpRequest) -> HttpResponse:
    """Auditors read the trail; their reading is itself audited (TRUST.md LG-07)."""
    require_role(request.user, "auditor")
    qs = AuditEvent.objects.select_related("actor").order_by("-id")
    action = request.GET.get("action", "")[:40]
    if action:
        qs = qs.filter(action=action)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    record_event(actor=request.user, action="audit_view", object_type="audit.auditevent",
                 request=request, detail={"action": action})
    return render(request, "audit/log.html", {"page": page, "action": action})
