from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from cadre.accounts.models import User
from cadre.audit.services import record_event
from cadre.core.errors import Refused
from cadre.orgs.models import OrgUnit


class OrgError(Refused):
    """A refused change to the unit tree; the message is Chinese."""


@transaction.atomic
def create_org_unit(*, by: User | None, parent: OrgUnit | None, **fields: object) -> OrgUnit:
    unit = OrgUnit(parent=parent, path="", **fields)
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


@transaction.atomic
def move_org_unit(*, by: User, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Re-parents a unit and rewrites the paths of its whole subtree in one statement."""
    if new_parent.path.startswith(unit.path):
        raise OrgError("不能把单位移动到它自己的下级单位之下")
    old_path, new_path = unit.path, f"{new_parent.path}{unit.pk}/"
    delta = new_parent.depth + 1 - unit.depth
    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    unit.refresh_from_db()
    unit.parent = new_parent
    unit.save(update_fields=["parent", "updated_at"])
    record_event(
        actor=by,
        action="unit_moved",
        obj=unit,
        detail={"from": old_path, "to": new_path},
    )
    return unit
