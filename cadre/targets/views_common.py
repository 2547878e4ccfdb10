from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from cadre.accounts.access import is_staff
from cadre.targets.rules import RuleError
from cadre.targets.services import ConflictError


def attempt(request: HttpRequest, call: Callable[[], Any]) -> tuple[Any, int]:
    """Runs a service call; a refusal becomes a Chinese message and a 400/409 status."""
    try:
        return call(), 200
    except ConflictError as exc:
        messages.error(request, str(exc))
        return None, 409
    except RuleError as exc:
        messages.error(request, str(exc))
        return None, 400


def form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errors:
            messages.error(request, f"{label}：{e}" if label else str(e))


def require_staff(request: HttpRequest) -> None:
    if not is_staff(request.user):
        raise PermissionDenied("您的角色无权访问此功能")


def year_param(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def int_param(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None
