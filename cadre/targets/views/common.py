from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone

from cadre.core.errors import refusal


def attempt(request: HttpRequest, call: Callable[[], Any]) -> tuple[Any, int]:
    """Runs a service call; a refusal becomes a Chinese message and its status (400, or 409
    for a stale version)."""
    with refusal(request) as refused:
        return call(), 200
    return None, refused.status


def form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errors:
            messages.error(request, f"{label}：{e}" if label else str(e))


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
