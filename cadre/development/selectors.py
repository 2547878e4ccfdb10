"""Reads shared by the development and care APIs: the cadres in the caller's scope, today's
date (lists are paged by ninja's LimitOffsetPagination, README API section). Public, so that
care imports them instead of development.api's privates."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from cadre.accounts.access import get_object_for_user
from cadre.cadres.models import Cadre
from cadre.orgs.models import OrgUnit


def today() -> date:
    return timezone.localdate()


def cadres_under(request: HttpRequest, unit: int | None) -> Any:
    """Active cadres the user may see, narrowed to the subtree of `unit` (404 out of scope)."""
    qs = Cadre.objects.visible_to(request.user).active()
    if unit:
        u = get_object_for_user(OrgUnit.objects, request.user, unit, request=request)
        qs = qs.filter(org_unit__path__startswith=u.path)
    return qs
