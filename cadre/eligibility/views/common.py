"""What the eligibility pages share: the roles, the scoped pickers of cadres and posts, and
the unit and date filters."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone

from cadre.accounts.access import get_object_for_user, require_role
from cadre.cadres.models import Cadre
from cadre.orgs.models import OrgUnit, Position

STAFF = ("org_admin", "discipline")  # read (the ScopeSpec of both models, apps.py)
WRITERS = ("org_admin",)  # write
PICK_LIMIT = 200  # options in a picker; a name or title narrows it
PAGE_SIZE = 50


def require_reader(request: HttpRequest) -> None:
    require_role(request.user, *STAFF)


def require_writer(request: HttpRequest) -> None:
    require_role(request.user, *WRITERS)


def today() -> date:
    return timezone.localdate()


def cadre_choices(request: HttpRequest, *, leaders_only: bool = False) -> list[tuple[int, str]]:
    """Active cadres the user may write for, narrowed by ?q= (a name), at most PICK_LIMIT;
    the one in ?cadre= (if in scope) comes first."""
    qs = Cadre.objects.visible_to(request.user, write=True).active().select_related("org_unit")
    if leaders_only:
        qs = qs.filter(is_leader=True)
    q = request.GET.get("q", "")[:30]
    rows = list(qs.search(q).order_by("org_unit__path", "name", "id")[:PICK_LIMIT])
    chosen = request.GET.get("cadre", "")
    if chosen.isdigit() and all(c.pk != int(chosen) for c in rows):
        rows = list(qs.filter(pk=int(chosen))) + rows
    return [
        (c.pk, f"{c.name}（{c.org_unit.name}{' · ' + c.current_title if c.current_title else ''}）")
        for c in rows
    ]


def position_choices(
    request: HttpRequest, *, under: str = "", leading_only: bool = False
) -> list[tuple[int, str]]:
    """Open posts the user may write for, under the unit path `under` (when given) or found
    by ?post= (a title or unit name), at most PICK_LIMIT."""
    qs = Position.objects.visible_to(request.user, write=True).active().select_related("org_unit")
    if leading_only:
        qs = qs.filter(is_leadership=True)
    text = request.GET.get("post", "").strip()[:30]
    if text:
        qs = qs.filter(title__contains=text) | qs.filter(org_unit__name__contains=text)
    elif under:
        qs = qs.filter(org_unit__path__startswith=under)
    rows = qs.order_by("org_unit__path", "-is_leadership", "title", "id")[:PICK_LIMIT]
    return [(p.pk, f"{p.org_unit.name}{p.title}") for p in rows]


def unit_param(request: HttpRequest) -> OrgUnit | None:
    """?unit= (a unit id): the unit, 404 when it is out of the user's scope."""
    raw = request.GET.get("unit", "").strip()
    if not raw:
        return None
    return get_object_for_user(OrgUnit.objects, request.user, raw, request=request)


def unit_choices(request: HttpRequest, levels: int = 3) -> list[tuple[int, str]]:
    """The top levels of the user's scope, indented, for the unit filter."""
    units = OrgUnit.objects.visible_to(request.user).active()
    top = units.order_by("depth").values_list("depth", flat=True).first()
    if top is None:
        return []
    rows = units.filter(depth__lt=top + levels).values_list("id", "name", "depth")
    return [(pk, "\u3000" * (depth - top) + name) for pk, name, depth in rows]
