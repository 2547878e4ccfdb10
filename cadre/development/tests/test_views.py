"""Pages and API: they render for the roles that use them, refuse bad input with the rule
named and nothing written, and answer 404 out of scope."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from cadre.cadres.services import refresh_current_post
from cadre.development import services as s
from cadre.development.models import Enrolment, Placement, RotationPlan, TrainingTopic
from tests import factories as f


@pytest.fixture
def data(world: Any) -> dict[str, Any]:
    """A county-A programme and session, a placement and a plan with one move."""
    refresh_current_post(world.cadre_a)
    topic = TrainingTopic.objects.get(name="法治建设")
    programme = s.create_programme(
        by=world.city_admin,
        name="依法行政专题",
        kind="specialized",
        topics=[topic],
        trainer="县委党校",
        org_unit=world.county_a,
    )
    session = s.create_session(
        by=world.city_admin,
        programme=programme,
        title="一期",
        starts_on=date(2024, 3, 4),
        ends_on=date(2024, 3, 8),
        place="县委党校",
        capacity=30,
        hours=Decimal(40),
    )
    [enrolment] = s.enrol(by=world.city_admin, session=session, cadres=[world.cadre_a])
    placement = s.create_placement(
        by=world.city_admin,
        cadre=world.cadre_a,
        kind="key_project",
        host_name="重点项目指挥部",
        started_on=date(2024, 1, 1),
        planned_end_on=date(2025, 12, 31),
        programme="新百人计划",
    )
    plan = s.create_plan(
        by=world.city_admin,
        year=2030,
        title="2030年轮岗",
        org_unit=world.county_a,
        effective_on=date(2030, 3, 1),
    )
    dest = f.make_position(
        world.town_a, "副镇长", is_leadership=True, leadership_level="section_deputy", headcount=2
    )
    s.add_moves(by=world.city_admin, plan=plan, moves=[(world.cadre_a, dest, "交流")])
    admin_b = f.make_user("admin_b", role="org_admin", unit=world.county_b)
    return {
        "programme": programme,
        "session": session,
        "enrolment": enrolment,
        "placement": placement,
        "plan": plan,
        "dest": dest,
        "admin_b": admin_b,
    }


PAGES = [
    "/development/",
    "/development/hours.xlsx",
    "/development/topics/",
    "/development/programmes/",
    "/development/needs/",
    "/development/needs/?format=xlsx",
    "/development/quality/",
    "/development/quality/?by=trainer&format=xlsx",
    "/development/follow-ups/",
    "/development/secondments/",
    "/development/secondments/?list=overdue&format=xlsx",
    "/development/secondments/new/",
    "/development/rotation/",
    "/development/rotation/?format=xlsx",
    "/development/rotation/relatives/",
    "/development/rotation/plans/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_for_org_staff(world: Any, data: dict, as_user: Any, url: str) -> None:
    response = as_user(world.city_admin).get(url)
    assert response.status_code == 200, url


def test_object_pages_render(world: Any, data: dict, as_user: Any) -> None:
    client = as_user(world.city_admin)
    for url in (
        f"/development/programmes/{data['programme'].pk}/",
        f"/development/sessions/{data['session'].pk}/",
        f"/development/sessions/{data['session'].pk}/candidates/",
        f"/development/sessions/{data['session'].pk}/candidates/?format=xlsx",
        f"/development/secondments/{data['placement'].pk}/",
        f"/development/rotation/plans/{data['plan'].pk}/",
        f"/development/rotation/plans/{data['plan'].pk}/?format=xlsx",
        f"/cadres/{world.cadre_a.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/cadres/{world.cadre_a.pk}/").content.decode()
    assert "重点项目指挥部" in page
    assert "培训情况" in page


def test_a_cadre_sees_and_evaluates_their_own_training(
    world: Any, data: dict, as_user: Any
) -> None:
    client = as_user(world.cadre_user)
    assert client.get("/development/my/").status_code == 200
    url = f"/development/enrolments/{data['enrolment'].pk}/evaluate/"
    client.post(url, {"content": 5, "trainer": 4, "usefulness": 4, "comment": "好"})
    assert data["enrolment"].__class__.objects.get(pk=data["enrolment"].pk).evaluation
    assert as_user(world.city_admin).get(url).status_code == 403  # not the trainee


@pytest.mark.parametrize(
    "url",
    [
        "/development/programmes/{programme}/",
        "/development/sessions/{session}/",
        "/development/secondments/{placement}/",
        "/development/rotation/plans/{plan}/",
    ],
)
def test_out_of_scope_is_404(world: Any, data: dict, as_user: Any, url: str) -> None:
    ids = {k: v.pk for k, v in data.items() if hasattr(v, "pk")}
    response = as_user(data["admin_b"]).get(url.format(**ids))
    assert response.status_code == 404


def test_out_of_scope_writes_are_404_and_write_nothing(
    world: Any, data: dict, as_user: Any
) -> None:
    client = as_user(data["admin_b"])
    enrol = client.post(
        f"/development/sessions/{data['session'].pk}/enrol/", {"cadre_ids": str(world.cadre_b.pk)}
    )
    attend = client.post(
        f"/development/enrolments/{data['enrolment'].pk}/attendance/",
        {"day": "2024-03-04", "hours": "8", "present": "on"},
    )
    execute = client.post(
        f"/development/rotation/plans/{data['plan'].pk}/approve/", {"version": data["plan"].version}
    )
    assert (enrol.status_code, attend.status_code, execute.status_code) == (404, 404, 404)
    assert Enrolment.objects.count() == 1
    assert RotationPlan.objects.get().status == "draft"


def test_enrolling_twice_through_the_page_names_the_rule(
    world: Any, data: dict, as_user: Any
) -> None:
    client = as_user(world.city_admin)
    response = client.post(
        f"/development/sessions/{data['session'].pk}/enrol/",
        {"cadre_ids": f"{world.cadre_a.pk}"},
        follow=True,
    )
    assert "同一班次不得重复报名" in response.content.decode()
    assert Enrolment.objects.count() == 1


# --- API ------------------------------------------------------------------------------------


def test_api_attendance_outside_dates_is_400_with_the_rule(
    world: Any, data: dict, as_user: Any
) -> None:
    client = as_user(world.city_admin)
    url = f"/api/v1/development/enrolments/{data['enrolment'].pk}/attendance"
    bad = client.post(url, {"day": "2024-03-09", "hours": 8}, content_type="application/json")
    assert bad.status_code == 400
    assert "不在班次起止日期" in bad.json()["detail"]
    good = client.post(url, {"day": "2024-03-05", "hours": 8}, content_type="application/json")
    assert good.status_code == 201
    assert good.json()["hours"] == "8.0"


def test_api_enrol_twice_and_overlapping_secondment_are_refused(
    world: Any, data: dict, as_user: Any
) -> None:
    client = as_user(world.city_admin)
    twice = client.post(
        f"/api/v1/development/sessions/{data['session'].pk}/enrolments",
        {"cadre_ids": [world.cadre_a.pk]},
        content_type="application/json",
    )
    assert twice.status_code == 400
    assert "同一班次不得重复报名" in twice.json()["detail"]
    overlap = client.post(
        "/api/v1/development/secondments",
        {
            "cadre_id": world.cadre_a.pk,
            "kind": "petition",
            "host_name": "信访局",
            "started_on": "2025-06-01",
            "planned_end_on": "2026-06-01",
        },
        content_type="application/json",
    )
    assert overlap.status_code == 400
    assert "时间重叠" in overlap.json()["detail"]
    assert Placement.objects.count() == 1


def test_api_lists_and_out_of_scope(world: Any, data: dict, as_user: Any) -> None:
    client = as_user(world.city_admin)
    hours = client.get("/api/v1/development/hours?year=2024").json()["items"]
    assert {r["unit"] for r in hours} >= {"东湖县财政局"}
    needs = client.get("/api/v1/development/needs").json()["items"]
    assert any(r["cadre_id"] == world.cadre_a.pk for r in needs)
    outside = as_user(data["admin_b"]).get(
        f"/api/v1/development/secondments/{data['placement'].pk}"
    )
    assert outside.status_code == 404


def test_api_rotation_plan_round_trip(world: Any, data: dict, as_user: Any) -> None:
    client = as_user(world.city_admin)
    plan = data["plan"]
    detail = client.get(f"/api/v1/development/rotation/plans/{plan.pk}").json()
    assert [m["problems"] for m in detail["moves"]] == [[]]
    approved = client.post(
        f"/api/v1/development/rotation/plans/{plan.pk}/approve",
        {"version": detail["version"]},
        content_type="application/json",
    )
    assert approved.status_code == 200, approved.json()
    stale = client.post(
        f"/api/v1/development/rotation/plans/{plan.pk}/execute",
        {"version": detail["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 400
    assert "已被他人修改" in stale.json()["detail"]
    done = client.post(
        f"/api/v1/development/rotation/plans/{plan.pk}/execute",
        {"version": approved.json()["version"]},
        content_type="application/json",
    )
    assert done.json()["status"] == "executed"
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.org_unit == world.town_a


def test_every_form_flow_works_for_org_staff(world: Any, data: dict, as_user: Any) -> None:
    """Each POST path once, as the org department would use it (catches broken wiring)."""
    client = as_user(world.city_admin)
    topic = TrainingTopic.objects.get(name="智慧城市")
    client.post("/development/topics/", {"name": "安全生产", "work_fields": ["social"]})
    client.post(f"/development/topics/{topic.pk}/", {"work_fields": ["planning"]})
    assert not TrainingTopic.objects.get(pk=topic.pk).is_active
    dup = client.post("/development/topics/", {"name": "安全生产"}, follow=True)
    assert "已存在" in dup.content.decode()
    response = client.post(
        "/development/programmes/",
        {
            "name": "数字化改革专题",
            "kind": "seminar",
            "topics": [TrainingTopic.objects.get(name="互联网+").pk],
            "trainer": "浙江大学",
            "org_unit": world.city.pk,
            "description": "",
        },
    )
    assert response.status_code == 302
    programme = data["programme"]
    client.post(
        f"/development/programmes/{programme.pk}/",
        {
            "title": "二期",
            "starts_on": "2024-09-02",
            "ends_on": "2024-09-01",
            "place": "党校",
            "capacity": 10,
            "hours": "16",
        },
    )
    assert programme.sessions.count() == 1  # ends before it starts: refused
    e = data["enrolment"]
    client.post(
        f"/development/enrolments/{e.pk}/attendance/",
        {"day": "2024-03-04", "hours": "8", "present": "on"},
    )
    client.post(f"/development/enrolments/{e.pk}/complete/", {"result": "passed"})
    assert Enrolment.objects.get(pk=e.pk).status == "completed"
    assert client.get(f"/development/enrolments/{e.pk}/follow-up/").status_code == 200
    client.post(f"/development/sessions/{data['session'].pk}/close/")
    p = data["placement"]
    client.post(
        f"/development/secondments/{p.pk}/report/",
        {"period_end": "2024-04-01", "text": "一季度报告"},
    )
    assert p.reports.count() == 1
    client.post(
        f"/development/secondments/{p.pk}/end/", {"ended_on": "2024-12-31", "version": p.version}
    )
    assert Placement.objects.get(pk=p.pk).status == "ended"
    client.post(
        "/development/secondments/new/",
        {
            "cadre": world.cadre_b.pk,
            "kind": "upward",
            "host_name": "省发展改革委",
            "started_on": "2024-01-01",
            "planned_end_on": "2024-12-31",
        },
    )
    assert Placement.objects.filter(cadre=world.cadre_b).exists()
    f.make_appointment(
        world.cadre_town, f.make_position(world.town_a, "党政办主任"), date(2015, 1, 1)
    )
    client.post(
        "/development/rotation/relatives/",
        {"cadre": world.cadre_a.pk, "relative": world.cadre_town.pk, "relation": "spouse"},
    )
    plan = data["plan"]
    page = client.get(f"/development/rotation/plans/{plan.pk}/").content.decode()
    assert "（亲属：李乙）" in page  # the spouse works in the destination unit (第七十四条)
    client.post(
        "/development/rotation/plans/",
        {
            "title": "2031年方案",
            "year": 2031,
            "org_unit": world.county_a.pk,
            "effective_on": "2031-03-01",
        },
    )
    new_plan = RotationPlan.objects.get(year=2031)
    client.post(
        f"/development/rotation/plans/{new_plan.pk}/moves/",
        {"cadre": world.cadre_a.pk, "position": data["dest"].pk, "reason": "交流"},
    )
    move = new_plan.moves.get()
    client.post(f"/development/rotation/moves/{move.pk}/withdraw/")
    client.post(
        f"/development/rotation/plans/{new_plan.pk}/cancelled/",
        {"version": RotationPlan.objects.get(pk=new_plan.pk).version},
    )
    assert RotationPlan.objects.get(pk=new_plan.pk).status == "cancelled"
