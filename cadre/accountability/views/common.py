"""What the accountability pages share: the staff check, one service call with its refusal, a
valid form, the cadre and case of a form (scoped)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from cadre.accountability import forms
from cadre.accounts.access import get_object_for_user, require_role
from cadre.cadres.models import Cadre
from cadre.core.errors import refusal
from cadre.orgs.models import Position
from cadre.supervision import access as supervision_access
from cadre.supervision.rules import RuleError

STAFF = ("org_admin", "discipline")
PAGE = 50


def _staff(request: HttpRequest) -> None:
    require_role(request.user, *STAFF)


def _run(
    request: HttpRequest,
    action: Callable[[], Any],
    ok: str,
    on_error: Callable[[], HttpResponse],
    done: Callable[[Any], HttpResponse],
) -> HttpResponse:
    with refusal(request) as refused:
        result = action()
    if refused:
        return on_error()
    messages.success(request, ok)
    return done(result)


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise RuleError(forms.first_error(form))
    return form.cleaned_data


def _cadre(request: HttpRequest, cadre_id: int | None) -> Cadre:
    return get_object_for_user(
        Cadre.objects.select_related("org_unit"), request.user, cadre_id, request=request
    )


def _position(request: HttpRequest, position_id: int | None) -> Position | None:
    """The new position a measure names (拟任职位), among those the user may see."""
    if not position_id:
        return None
    return get_object_for_user(
        Position.objects.select_related("org_unit"), request.user, position_id, request=request
    )


def _case(request: HttpRequest, case_id: int | None) -> Any:
    if not case_id:
        return None
    return supervision_access.get_case(request.user, case_id, request=request)
