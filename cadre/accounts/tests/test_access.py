from typing import Any

import pytest
from django.http import Http404

from cadre.accounts.access import get_object_for_user, scope
from cadre.audit.models import AuditEvent
from cadre.cadres.models import Cadre
from cadre.orgs.models import OrgUnit


def names(qs: Any) -> set[str]:
    return set(qs.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("city_admin", {"王甲", "李乙", "赵丙"}),
        ("head_a", {"王甲", "李乙"}),
        ("head_b", {"赵丙"}),
        ("discipline_a", {"王甲", "李乙"}),
        ("auditor", {"王甲", "李乙", "赵丙"}),
        ("cadre_user", {"王甲"}),
        ("outsider", set()),
    ],
)
def test_each_persona_sees_exactly_its_subtree(world: Any, persona: str, expected: set) -> None:
    assert names(scope(Cadre.objects.all(), getattr(world, persona))) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("city_admin", {"王甲", "李乙", "赵丙"}), ("head_a", set()), ("cadre_user", set())],
)
def test_only_org_admins_may_change_registry(world: Any, persona: str, expected: set) -> None:
    assert names(scope(Cadre.objects.all(), getattr(world, persona), write=True)) == expected


def test_a_cadre_sees_only_its_own_unit(world: Any) -> None:
    assert names(scope(OrgUnit.objects.all(), world.cadre_user)) == {"东湖县财政局"}


def test_out_of_scope_object_is_404_and_audited(world: Any) -> None:
    with pytest.raises(Http404):
        get_object_for_user(Cadre.objects, world.head_a, world.cadre_b.pk)
    event = AuditEvent.objects.get(action="authz_denied")
    assert (event.actor_name, event.object_id) == ("head_a", str(world.cadre_b.pk))


def test_missing_object_is_404_like_out_of_scope(world: Any) -> None:
    with pytest.raises(Http404):
        get_object_for_user(Cadre.objects, world.head_a, 999_999)
    assert not AuditEvent.objects.filter(action="authz_denied").exists()


def test_moving_a_unit_changes_scope_on_the_next_request(world: Any) -> None:
    from cadre.orgs.services import move_org_unit

    move_org_unit(by=world.city_admin, unit=world.organ_b, new_parent=world.county_a)
    head_a = type(world.head_a).objects.get(pk=world.head_a.pk)  # a fresh request's user
    assert "赵丙" in names(scope(Cadre.objects.all(), head_a))
    assert AuditEvent.objects.filter(action="unit_moved").count() == 1
