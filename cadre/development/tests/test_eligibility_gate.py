"""Rotation plans and key secondments ask the eligibility gate (issue 11,
cadre.cadres.decisions): a move the gate blocks refuses approval and execution with the
reasons, nothing written; a placement in a key post of the host is refused for a blocked
cadre."""

from datetime import date
from typing import Any

import pytest

from cadre.cadres.decisions import Ineligible
from cadre.cadres.models import Appointment, Cadre
from cadre.cadres.services import refresh_current_post
from cadre.core.models import RuleSetting
from cadre.development import services as s
from cadre.development.models import Placement, PlanStatus
from cadre.supervision.tests.helpers import measure
from tests import factories as f


def test_executing_a_promotion_move_is_refused_once_the_cadre_is_blocked(
    world: Any, clock: Any
) -> None:
    clock.move_to("2024-06-10")
    # qualifications (第七条) aside: this test is about the influence period
    RuleSetting.objects.create(key="eligibility.training_hours_five_years", value=0)
    mover = f.make_cadre(world.organ_a, "钱丁")
    f.make_appointment(mover, f.make_position(world.organ_a, "办公室主任"), date(2010, 1, 1))
    refresh_current_post(mover)
    deputy = f.make_position(
        world.town_a, "副镇长", is_leadership=True, leadership_level="section_deputy"
    )
    plan = s.create_plan(
        by=world.city_admin,
        year=2024,
        title="2024年轮岗",
        org_unit=world.county_a,
        effective_on=date(2024, 7, 1),
    )
    s.add_moves(by=world.city_admin, plan=plan, moves=[(mover, deputy, "提拔")])
    plan.refresh_from_db()
    plan = s.approve_plan(by=world.city_admin, plan=plan, version=plan.version)
    clock.move_to("2024-06-25")
    measure(world.city_admin, mover, "admonishment", on=date(2024, 6, 20))
    appointments, cadres = Appointment.objects.count(), list(Cadre.objects.values())
    with pytest.raises(s.DevelopmentError) as refused:
        s.execute_plan(by=world.city_admin, plan=plan, version=plan.version)
    message = str(refused.value)
    assert "钱丁" in message
    assert "不符合任职、任领导职务、提拔" in message
    assert "诫勉（2024-06-20起）影响期内" in message
    assert Appointment.objects.count() == appointments
    assert list(Cadre.objects.values()) == cadres
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_a_key_secondment_is_refused_during_admonishment(world: Any, clock: Any) -> None:
    clock.move_to("2024-05-10")
    measure(world.city_admin, world.cadre_a, "admonishment", on=date(2024, 3, 10))
    f.make_position(world.organ_b, "副局长", is_key_post=True)
    f.make_position(world.organ_b, "办公室副主任")
    fields = {
        "kind": "key_project",
        "host_name": "",
        "host_unit": world.organ_b,
        "started_on": date(2024, 5, 6),
        "planned_end_on": date(2025, 5, 5),
    }
    with pytest.raises(Ineligible) as refused:
        s.create_placement(by=world.city_admin, cadre=world.cadre_a, post_title="副局长", **fields)
    assert "王甲不符合选派重要岗位挂职的条件" in refused.value.message
    assert "诫勉" in refused.value.message
    assert not Placement.objects.exists()
    # a post that is not a key post is no such decision
    s.create_placement(
        by=world.city_admin, cadre=world.cadre_a, post_title="办公室副主任", **fields
    )
    assert Placement.objects.count() == 1
