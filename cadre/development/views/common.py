"""Small helpers shared by the development views: roles, years, units, errors."""

from typing import Any

from django.http import HttpRequest

from cadre.accounts.access import get_object_for_user
from cadre.cadres.models import Cadre
from cadre.core.errors import Refused
from cadre.development.selectors import today
from cadre.orgs.models import OrgUnit


def year_param(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else today().year
    return year if 2000 <= year <= 2100 else today().year


def unit_param(request: HttpRequest) -> OrgUnit | None:
    raw = request.GET.get("unit", "")
    if not raw.isdigit():
        return None
    return get_object_for_user(OrgUnit.objects, request.user, raw, request=request)


def scope_root(request: HttpRequest) -> OrgUnit | None:
    """The unit whose subunits the by-unit statistics roll up to: ?unit=, else the
    highest unit the user may see."""
    return (
        unit_param(request)
        or OrgUnit.objects.visible_to(request.user).order_by("depth", "id").first()
    )


def cadres_in(request: HttpRequest) -> Any:
    """Active cadres the user may see, narrowed to ?unit= (a subtree) when given."""
    qs = Cadre.objects.visible_to(request.user).active()
    unit = unit_param(request)
    return qs.filter(org_unit__path__startswith=unit.path) if unit else qs


def form_errors(form: Any) -> str:
    """The form's errors as one Chinese line: 字段：错误，错误；…"""
    parts = []
    for name, errors in form.errors.items():
        label = f"{form.fields[name].label}：" if name in form.fields else ""
        parts.append(f"{label}{'，'.join(errors)}")
    return "；".join(parts)


def posted_ids(request: HttpRequest, name: str = "cadre_ids") -> list[int]:
    raw = request.POST.getlist(name) or request.POST.get(name, "").replace("，", ",").split(",")
    values = [v.strip() for v in raw if v.strip()]
    if not all(v.isdigit() for v in values):
        raise Refused("干部编号应为数字，多个编号用逗号分隔")
    return [int(v) for v in values]
