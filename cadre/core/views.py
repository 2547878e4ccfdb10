"""Core pages: the user's notifications, the health probe, the error pages, and the rule
settings page (the [V3]/[U]/local rules declared in code, with staff overrides)."""

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.core import services
from cadre.core.models import Notification, RuleSetting
from cadre.core.providers import can_edit_rules, record_event
from cadre.core.rulebook import Rule, RuleValueError, discover_rules


def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own notifications (站内通知), newest first."""
    assert request.user.is_authenticated  # LoginRequiredMiddleware: never anonymous here
    rows = Notification.objects.filter(user=request.user)[:200]
    return render(request, "core/notifications.html", {"rows": rows})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    assert request.user.is_authenticated  # LoginRequiredMiddleware: never anonymous here
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
        request,
        "403.html",
        403,
        message="页面已过期或请求来源无法验证（CSRF 校验失败），请刷新页面后重试。",
    )


# ---- rule settings: the [V3]/[U]/local rules declared in code, with staff overrides ------


TAGS = {"V1": "法律法规", "V2": "党内法规", "V3": "规范性文件", "U": "未核实", "local": "本地规则"}


@dataclass(frozen=True)
class RuleRow:
    rule: Rule
    default: str
    current: str
    setting: RuleSetting | None
    tag_label: str


def _as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _rows() -> list[RuleRow]:
    rules = discover_rules()
    settings = {s.key: s for s in RuleSetting.objects.filter(key__in=list(rules))}
    return [
        RuleRow(
            rule=rule,
            default=_as_json(rule.default),
            current=_as_json(settings[key].value if key in settings else rule.default),
            setting=settings.get(key),
            tag_label=TAGS.get(rule.tag, rule.tag),
        )
        for key, rule in sorted(rules.items())
    ]


@require_http_methods(["GET", "POST"])
def rule_settings(request: HttpRequest) -> HttpResponse:
    if not can_edit_rules(request.user):
        record_event(
            actor=request.user,
            action="authz_denied",
            object_type="core.rulesetting",
            request=request,
        )
        raise PermissionDenied("规则设置仅限上级组织部门管理员修改")
    error: dict[str, str] = {}
    if request.method == "POST":
        key = request.POST.get("key", "")[:100]
        try:
            services.set_rule_value(
                by=request.user,
                key=key,
                text=request.POST.get("value", "")[:10_000],
                note=request.POST.get("note", ""),
                request=request,
            )
        except RuleValueError as exc:
            error = {
                "key": key if key in discover_rules() else "",
                "message": str(exc),
                "value": request.POST.get("value", "")[:500],
                "note": request.POST.get("note", "")[:200],
            }
        else:
            messages.success(request, "规则取值已保存，并已记入审计日志")
            return redirect("settings:rules")
    context = {"rows": _rows(), "error": error}
    return render(request, "core/rules.html", context, status=400 if error else 200)
