from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadre.accounts.access import is_staff, user_scope
from cadre.accounts.models import Role
from cadre.cadres.models import Cadre
from cadre.core.models import Notification
from cadre.orgs.models import OrgUnit, UnitKind


def home(request: HttpRequest) -> HttpResponse:
    us = user_scope(request.user)
    if not is_staff(request.user):
        if us.cadre_id:
            return redirect("cadres:me")
        return render(request, "core/no_role.html")
    today = timezone.localdate()
    cadres = Cadre.objects.visible_to(request.user).active()
    figures = cadres.aggregate(
        total=Count("id"),
        leaders=Count("id", filter=Q(is_leader=True)),
        women=Count("id", filter=Q(gender="F")),
        under40=Count("id", filter=Q(birth_date__gt=today.replace(year=today.year - 40))),
        long_in_post=Count(
            "id", filter=Q(current_post_since__lte=today.replace(year=today.year - 5))
        ),
    )
    figures["units"] = OrgUnit.objects.visible_to(request.user).active().count()
    by_kind = [
        {"kind": UnitKind(row["kind"]).label, "n": row["n"]}
        for row in OrgUnit.objects.visible_to(request.user).active().values("kind")
        .annotate(n=Count("id")).order_by("-n")
    ]
    scope_units = dict(
        OrgUnit.objects.visible_to(request.user).filter(path__in=[p for _, p in us.grants])
        .values_list("path", "name")
    )
    context = {
        "figures": figures,
        "by_kind": by_kind,
        "grants": [(Role(r).label, scope_units.get(p, "")) for r, p in us.grants],
        "roles": us.roles(),
    }
    return render(request, "core/home.html", context)


def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own notifications (站内通知), newest first."""
    rows = Notification.objects.filter(user=request.user)[:200]
    return render(request, "core/notifications.html", {"rows": rows})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("core:notifications")


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    try:
        connection.ensure_connection()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "unhealthy"}, status=503)
    return JsonResponse({"status": "ok"})


# Error pages (TRUST.md DP-06, IO-06): generic Chinese text and the request id, never a
# traceback. They render without the request context so that they work when the database,
# the session or a context processor is what failed.


def _error_page(request: HttpRequest, template: str, status: int, **extra: str) -> HttpResponse:
    context = {"request_id": getattr(request, "request_id", ""), **extra}
    try:
        body = loader.get_template(template).render(context)
    except Exception:  # the error page itself must not fail
        body = f"请求无法处理（{status}）。请求编号：{context['request_id']}"
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """RequestDataTooBig, TooManyFieldsSent and other SuspiciousOperation end here."""
    return _error_page(request, "400.html", 400)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, "500.html", 500)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error_page(
        request, "403.html", 403,
        message="页面已过期或请求来源无法验证（CSRF 校验失败），请刷新页面后重试。",
    )
