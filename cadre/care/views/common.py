"""What the care pages (and api.py) share: the care roles and how they reach a cadre or unit."""

from typing import Any

from django.http import Http404, HttpRequest

from cadre.accounts.access import (
    covers,
    get_object_for_user,
    require_role,
)
from cadre.audit.services import record_denied
from cadre.cadres.models import Cadre
from cadre.orgs.models import OrgUnit

CARE_ROLES = ("org_admin", "unit_head")


def care_cadre(request: HttpRequest, pk: Any) -> Cadre:
    """A cadre the user may care for: visible, and an org_admin or unit_head grant over
    the cadre's unit. Anything else is 404, and the refusal is audited."""
    cadre = get_object_for_user(
        Cadre.objects.select_related("org_unit"), request.user, pk, request=request
    )
    if covers(request.user, cadre.org_unit.path, CARE_ROLES):
        return cadre
    record_denied(user=request.user, model=Cadre, object_id=pk, request=request)
    raise Http404("未找到该记录")


def care_unit(request: HttpRequest, pk: Any) -> OrgUnit:
    """A unit the user acts for with an org_admin or unit_head grant (else 404)."""
    unit = get_object_for_user(OrgUnit.objects, request.user, pk, request=request)
    if covers(request.user, unit.path, CARE_ROLES):
        return unit
    record_denied(user=request.user, model=OrgUnit, object_id=pk, request=request)
    raise Http404("未找到该记录")


def require_care_role(request: HttpRequest) -> None:
    require_role(request.user, *CARE_ROLES)
