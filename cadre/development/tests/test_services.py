"""Services against the database: bad input refused with a Chinese message naming the rule,
nothing written; set-based reads; the rotation plan is all or nothing."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from cadre.audit.models import AuditEvent
from cadre.cadres.models import Appointment, Cadre
from cadre.cadres.services import refresh_current_post
from cadre.core.models import RuleSetting
from cadre.development import services as s
from cadre.development.models import (
    Attendance,
    Enrolment,
    Placement,
    PlanStatus,
    RotationMove,
    TrainingTopic,
)
from cadre.orgs.models import Position
from tests import factories as f


@pytest.fixture
def session(world: Any) -> Any:
    topic = TrainingTopic.objects.get(name="现代金融")
    programme = s.create_programme(
        by=world.city_admin,
        name="财政干部专题班",
        kind="specialized",
        topics=[topic],
        trainer="省委党校",
        org_unit=world.city,
    )
    return s.create_session(
        by=world.city_admin,
        programme=programme,
        title="第一期",
        starts_on=date(2024, 5, 6),
        ends_on=date(2024, 5, 10),
        place="市委党校",
        capacity=2,
        hours=Decimal(40),
    )


def test_enrolling_a_cadre_twice_is_refused_and_nothing_written(world: Any, session: Any) -> None:
    s.enrol(by=world.city_admin, session=session, cadres=[world.cadre_a])
    before = AuditEvent.objects.count()
    with pytest.raises(s.DevelopmentError, match="同一班次不得重复报名"):
        s.enrol(by=world.city_admin, session=session, cadres=[world.cadre_b, world.cadre_a])
    assert Enrolment.objects.count() == 1
    assert AuditEvent.objects.count() == before


def test_capacity_is_enforced(world: Any, session: Any) -> None:
    s.enrol(by=world.city_admin, session=session, cadres=[world.cadre_a, world.cadre_b])
    with pytest.raises(s.DevelopmentError, match="超出班次计划人数"):
        s.enrol(by=world.city_admin, session=session, cadres=[world.cadre_town])


def test_attendance_outside_session_dates_is_refused(world: Any, session: Any) -> None:
    [enrolment] = s.enrol(by=world.city_admin, session=session, cadres=[world.cadre_a])
    with pytest.raises(s.DevelopmentError, match="不在班次起止日期"):
        s.record_attendance(
            by=world.city_admin, enrolment=enrolment, day=date(2024, 5, 11), hours=Decimal(8)
        )
    assert not Attendance.objects.exists()
    s.record_attendance(
        by=world.city_admin, enrolment=enrolment, day=date(2024, 5, 6), hours=Decimal(8)
    )
    s.record_attendance(
        by=world.city_admin, enrolment=enrolment, day=date(2024, 5, 7), hours=Decimal("7.5")
    )
    with pytest.raises(s.DevelopmentError, match="不能重复登记"):
        s.record_attendance(
            by=world.city_admin, enrolment=enrolment, day=date(2024, 5, 7), hours=Decimal(8)
        )
    assert s.training_hours([world.cadre_a.pk, world.cadre_b.pk], 2024) == {
        world.cadre_a.pk: Decimal("15.5"),
        world.cadre_b.pk: Decimal(0),
    }


def test_follow_up_only_after_the_set_months_and_trainee_evaluates_once(
    world: Any, session: Any
) -> None:
    [enrolment] = s.enrol(by=world.city_admin, session=session, cadres=[world.cadre_a])
    s.complete_enrolment(by=world.city_admin, enrolment=enrolment, result="passed")
    with pytest.raises(s.DevelopmentError, match="只有学员本人"):
        s.evaluate_session(
            by=world.city_admin, enrolment=enrolment, content=5, trainer=5, usefulness=5
        )
    s.evaluate_session(by=world.cadre_user, enrolment=enrolment, content=5, trainer=4, usefulness=3)
    with pytest.raises(s.DevelopmentError, match="不能重复评估"):
        s.evaluate_session(
            by=world.cadre_user, enrolment=enrolment, content=5, trainer=4, usefulness=3
        )
    with pytest.raises(s.DevelopmentError, match="follow_up_months"):
        s.record_follow_up(
            by=world.head_a,
            enrolment=enrolment,
            applied=True,
            rating=4,
            how="用于预算编制",
            on=date(2024, 7, 1),
        )
    s.record_follow_up(
        by=world.head_a,
        enrolment=enrolment,
        applied=True,
        rating=4,
        how="用于预算编制",
        on=date(2024, 8, 10),
    )
    [row] = s.quality(session.programme.__class__.objects.all())
    assert row["quality"].trainee_score == Decimal("4.00")
    assert row["quality"].applied_share == Decimal("1.00")


def test_needs_and_candidates_for_a_session(world: Any, session: Any) -> None:
    # given cadre_a's post is in the finance field (→ 现代金融, 转型升级) and a new recruit
    world.cadre_a.appointments.get().position.__class__.objects.filter(
        appointments__cadre=world.cadre_a
    ).update(work_field="finance")
    Cadre.objects.filter(pk=world.cadre_town.pk).update(joined_work_on=date(2024, 3, 1))
    # when
    needs = {
        n.cadre_id: {(x.code, x.topic_id) for x in n.needs}
        for n in s.needs_for(Cadre.objects.all(), date(2024, 6, 1))
    }
    # then: 干什么学什么 (topics of the field), 初任培训 in probation, hours for everyone
    finance = TrainingTopic.objects.get(name="现代金融").pk
    assert ("topic", finance) in needs[world.cadre_a.pk]
    assert ("appointment", None) not in needs[world.cadre_a.pk]  # promoted 2019: past window
    assert ("initial", None) in needs[world.cadre_town.pk]
    assert needs[world.cadre_b.pk] == {("hours", None)}
    found = s.candidates_for_session(session, Cadre.objects.all(), date(2024, 6, 1))
    codes = {c.cadre_id: {n.code for n in c.needs} for c in found}
    assert codes[world.cadre_a.pk] == {"topic", "hours"}
    assert codes[world.cadre_town.pk] == {"hours"}  # 初任 is not met by a 专门业务 session
    s.enrol(by=world.city_admin, session=session, cadres=[world.cadre_a])
    again = s.candidates_for_session(session, Cadre.objects.all(), date(2024, 6, 1))
    assert world.cadre_a.pk not in {c.cadre_id for c in again}


# --- secondment -------------------------------------------------------------------------------


def test_overlapping_secondment_is_refused(world: Any) -> None:
    s.create_placement(
        by=world.city_admin,
        cadre=world.cadre_a,
        kind="mountain_sea",
        host_name="山海协作产业园",
        started_on=date(2024, 1, 1),
        planned_end_on=date(2024, 12, 31),
        programme="新百人计划",
    )
    with pytest.raises(s.DevelopmentError, match="时间重叠"):
        s.create_placement(
            by=world.city_admin,
            cadre=world.cadre_a,
            kind="petition",
            host_name="信访局",
            started_on=date(2024, 12, 1),
            planned_end_on=date(2025, 6, 30),
        )
    assert Placement.objects.count() == 1
    p = Placement.objects.get()
    assert p.home_unit == world.organ_a  # personnel relationship stays (第七十二条)


def test_secondment_lists_and_reports(world: Any) -> None:
    p = s.create_placement(
        by=world.city_admin,
        cadre=world.cadre_a,
        kind="hard_area",
        host_name="山区乡镇",
        started_on=date(2024, 1, 1),
        planned_end_on=date(2024, 12, 31),
    )
    on = date(2024, 8, 1)
    qs = Placement.objects.all()
    assert list(s.out_now(qs, on)) == [p]
    assert list(s.ending_soon(qs, on)) == []
    [late] = s.overdue_reports(qs, on)
    assert late.missing == [date(2024, 4, 1), date(2024, 7, 1)]
    with pytest.raises(s.DevelopmentError, match="报告期截止日"):
        s.submit_report(
            by=world.cadre_user, placement=p, period_end=date(2024, 4, 2), text="…", on=on
        )
    s.submit_report(
        by=world.cadre_user, placement=p, period_end=date(2024, 4, 1), text="三个月工作报告", on=on
    )
    assert s.overdue_reports(qs, on)[0].missing == [date(2024, 7, 1)]
    with pytest.raises(s.DevelopmentError, match="期满前30天"):
        s.evaluate_placement(
            by=world.city_admin, placement=p, grade="good", comment="好", on=on, version=p.version
        )
    assert list(s.ending_soon(qs, date(2024, 11, 15))) == [p]


# --- rotation ---------------------------------------------------------------------------------


@pytest.fixture
def rotation(world: Any) -> dict[str, Any]:
    """Two cadres in county A who swap posts, with room for the moves."""
    pos_clerk = f.make_position(world.organ_a, "办公室主任", headcount=1, work_field="general")
    pos_town = f.make_position(world.town_a, "党政办主任", headcount=1)
    f.make_appointment(world.cadre_town, pos_town, date(2012, 1, 1))
    mover = f.make_cadre(world.organ_a, "钱丁")
    f.make_appointment(mover, pos_clerk, date(2010, 1, 1))
    for c in (mover, world.cadre_town, world.cadre_a):
        refresh_current_post(c)
    plan = s.create_plan(
        by=world.city_admin,
        year=2024,
        title="2024年轮岗",
        org_unit=world.county_a,
        effective_on=date(2024, 7, 1),
    )
    return {"plan": plan, "mover": mover, "pos_clerk": pos_clerk, "pos_town": pos_town}


def test_rotation_candidates_by_years_in_post(world: Any, rotation: dict) -> None:
    found = {c.cadre_id: c for c in s.rotation_candidates(Cadre.objects.all(), date(2024, 6, 1))}
    assert rotation["mover"].pk in found  # 14 years in the same post
    assert "同一职位" in found[rotation["mover"].pk].reasons[0]
    assert world.cadre_a.pk not in found  # 5 years, not a key post
    RuleSetting.objects.create(key="development.rotation.years_in_post", value=5)
    again = {c.cadre_id for c in s.rotation_candidates(Cadre.objects.all(), date(2024, 6, 1))}
    assert world.cadre_a.pk in again  # the threshold is a setting


def test_plan_swap_executes_in_one_go(world: Any, rotation: dict) -> None:
    plan, mover = rotation["plan"], rotation["mover"]
    s.add_moves(
        by=world.city_admin,
        plan=plan,
        moves=[
            (mover, rotation["pos_town"], "任职满10年"),
            (Cadre.objects.get(pk=world.cadre_town.pk), rotation["pos_clerk"], "交流"),
        ],
    )
    plan.refresh_from_db()
    assert all(not p for p in s.check_plan(plan).values())  # swap: vacancies net out
    plan = s.approve_plan(by=world.city_admin, plan=plan, version=plan.version)
    plan = s.execute_plan(by=world.city_admin, plan=plan, version=plan.version)
    assert plan.status == PlanStatus.EXECUTED
    mover.refresh_from_db()
    assert (mover.org_unit, mover.current_title, mover.current_post_since) == (
        world.town_a,
        "党政办主任",
        date(2024, 7, 1),
    )
    old = Appointment.objects.get(cadre=mover, position=rotation["pos_clerk"])
    assert old.ended_on == date(2024, 7, 1)
    new = Appointment.objects.get(cadre=mover, ended_on__isnull=True)
    assert new.how == "rotation"
    assert RotationMove.objects.filter(new_appointment__isnull=False).count() == 2
    assert mover.history.count() >= 2
    assert new.history.exists()


def test_plan_with_one_bad_move_writes_nothing(world: Any, rotation: dict) -> None:
    plan, mover = rotation["plan"], rotation["mover"]
    Position.objects.filter(pk=rotation["pos_town"].pk).update(headcount=2)
    s.add_moves(by=world.city_admin, plan=plan, moves=[(mover, rotation["pos_town"], "")])
    plan.refresh_from_db()
    plan = s.approve_plan(by=world.city_admin, plan=plan, version=plan.version)
    # after approval the mover's spouse takes the last post in the destination
    other = f.make_cadre(world.town_a, "孙戊")
    f.make_appointment(other, rotation["pos_town"], date(2015, 1, 1))
    s.add_relative(by=world.city_admin, cadre=mover, relative=other, relation="spouse")
    appts, cadre_rows = Appointment.objects.count(), list(Cadre.objects.values())
    with pytest.raises(s.DevelopmentError, match=r"第七十一条|第七十四条") as exc:
        s.execute_plan(by=world.city_admin, plan=plan, version=plan.version)
    assert "钱丁" in str(exc.value)
    assert Appointment.objects.count() == appts
    assert list(Cadre.objects.values()) == cadre_rows
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_kinship_in_the_same_unit_refuses_approval(world: Any, rotation: dict) -> None:
    plan, mover = rotation["plan"], rotation["mover"]
    s.add_relative(by=world.city_admin, cadre=world.cadre_town, relative=mover, relation="spouse")
    s.add_moves(by=world.city_admin, plan=plan, moves=[(mover, rotation["pos_town"], "")])
    plan.refresh_from_db()
    problems = s.check_plan(plan)
    assert any("第七十四条" in p for ps in problems.values() for p in ps)
    with pytest.raises(s.DevelopmentError, match="第七十四条"):
        s.approve_plan(by=world.city_admin, plan=plan, version=plan.version)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_regional_avoidance_for_a_main_leader(world: Any, rotation: dict) -> None:
    world.county_a.region_code = "330102"  # the factories' ID numbers start with 330102
    world.county_a.save()
    chief = f.make_position(
        world.town_a, "镇长", is_leadership=True, leadership_level="section_chief"
    )
    plan, mover = rotation["plan"], rotation["mover"]
    s.add_moves(by=world.city_admin, plan=plan, moves=[(mover, chief, "")])
    plan.refresh_from_db()
    [problems] = s.check_plan(plan).values()
    assert any("第七十五条" in p for p in problems)


def test_moves_refused_for_a_cadre_twice_or_out_of_plan_scope(world: Any, rotation: dict) -> None:
    plan, mover = rotation["plan"], rotation["mover"]
    with pytest.raises(s.DevelopmentError, match="只能出现一次"):
        s.add_moves(
            by=world.city_admin,
            plan=plan,
            moves=[(mover, rotation["pos_town"], ""), (mover, rotation["pos_town"], "")],
        )
    pos_b = f.make_position(world.organ_b, "科长")
    with pytest.raises(s.DevelopmentError, match="不在方案范围"):
        s.add_moves(by=world.city_admin, plan=plan, moves=[(mover, pos_b, "")])
    assert not RotationMove.objects.exists()


def test_promotion_inside_an_influence_period_is_refused(world: Any, rotation: dict) -> None:
    # 选拔任用条例 第二十四条(六): no promotion while a 诫勉 influence period runs; the block
    # comes from the accountability app's eligibility function.
    acc = pytest.importorskip("cadre.accountability.services")
    plan, mover = rotation["plan"], rotation["mover"]
    acc.record_measure(
        by=world.city_admin,
        cadre=mover,
        data=acc.MeasureInput(
            kind="admonishment",
            issuing_body="东湖县纪委",
            decided_on=date(2024, 5, 1),
            effective_on=date(2024, 5, 1),
            facts="履职不力",
            article="问责条例",
        ),
    )
    deputy = f.make_position(
        world.town_a, "副镇长", is_leadership=True, leadership_level="section_deputy"
    )
    sideways = f.make_position(world.town_a, "综合办主任")
    s.add_moves(by=world.city_admin, plan=plan, moves=[(mover, deputy, "提拔")])
    plan.refresh_from_db()
    [problems] = s.check_plan(plan).values()
    assert any("影响期" in p for p in problems)
    # the same cadre moving sideways is not a promotion, so no block applies
    other = s.create_plan(
        by=world.city_admin,
        year=2024,
        title="平级交流",
        org_unit=world.county_a,
        effective_on=date(2024, 7, 1),
    )
    s.add_moves(by=world.city_admin, plan=other, moves=[(mover, sideways, "")])
    assert all(not p for p in s.check_plan(other).values())
