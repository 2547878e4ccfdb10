"""Rule settings page: the [V3]/[U]/local rules declared in code, with staff overrides."""

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cadre.accounts.access import can_edit_rules
from cadre.audit.services import record_event
from cadre.core import services
from cadre.core.models import RuleSetting
from cadre.core.rulebook import Rule, RuleValueError, discover_rules

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
            rule=rule, default=_as_json(rule.default),
            current=_as_json(settings[key].value if key in settings else rule.default),
            setting=settings.get(key), tag_label=TAGS.get(rule.tag, rule.tag),
        )
        for key, rule in sorted(rules.items())
    ]


@require_http_methods(["GET", "POST"])
def rule_settings(request: HttpRequest) -> HttpResponse:
    if not can_edit_rules(request.user):
        record_event(actor=request.user, action="authz_denied", object_type="core.rulesetting",
                     request=request)
        raise PermissionDenied("规则设置仅限上级组织部门管理员修改")
    error: dict[str, str] = {}
    if request.method == "POST":
        key = request.POST.get("key", "")[:100]
        try:
            services.set_rule_value(
                by=request.user, key=key, text=request.POST.get("value", "")[:10_000],
                note=request.POST.get("note", ""), request=request,
            )
        except RuleValueError as exc:
            error = {
                "key": key if key in discover_rules() else "", "message": str(exc),
                "value": request.POST.get("value", "")[:500],
                "note": request.POST.get("note", "")[:200],
            }
        else:
            messages.success(request, "规则取值已保存，并已记入审计日志")
            return redirect("settings:rules")
    context = {"rows": _rows(), "error": error}
    return render(request, "core/rules.html", context, status=400 if error else 200)
