"""Reports become clues; clues are disposed of in four ways with approval; cases."""

from datetime import date
from typing import Any

import pytest

from cadre.audit.models import AuditEvent
from cadre.cadres.models import LeadershipTeam, TeamMembership
from cadre.core.models import RuleSetting
from cadre.supervision import services
from cadre.supervision.models import Case, Clue, ClueStatus, Inspection
from cadre.supervision.rules import RuleError
from cadre.supervision.tests.helpers import approve, clue_for, staff_report


def test_accepting_a_report_makes_a_clue_due_in_working_days(world: Any) -> None:
    report = staff_report(world.discipline_a, world.town_a, "李乙")
    clue = services.accept_report(report=report, by=world.discipline_a)
    assert clue.subject_cadre == world.cadre_town  # matched by name in the unit
    assert clue.due_on > clue.received_on
    report.refresh_from_db()
    assert report.status == "accepted"
    with pytest.raises(RuleError, match="已受理"):
        services.accept_report(report=report, by=world.discipline_a)  # second one refused
    assert Clue.objects.count() == 1


@pytest.mark.parametrize(
    ("disposal", "status"),
    [
        ("talk_or_inquiry", ClueStatus.TALK_OR_INQUIRY),
        ("preliminary_verification", ClueStatus.VERIFYING),
        ("shelve_pending", ClueStatus.SHELVED),
        ("close", ClueStatus.CLOSED),
    ],
)
def test_the_four_ways_of_disposal(
    world: Any, second_discipline: Any, disposal: str, status: str
) -> None:
    clue = clue_for(world.discipline_a, world.town_a, "李乙")
    clue = approve(clue, world.discipline_a, second_discipline, disposal)
    assert clue.status == status
    assert Case.objects.filter(clue=clue).exists() is (disposal == "preliminary_verification")


def test_the_proposer_cannot_approve_and_a_second_approval_is_refused(
    world: Any, second_discipline: Any
) -> None:
    clue = clue_for(world.discipline_a, world.town_a, "李乙")
    services.propose_disposal(
        clue=clue, by=world.discipline_a, disposal="close", reason="反映问题已经查清"
    )
    with pytest.raises(RuleError, match="不能自己审批"):
        services.decide_disposal(clue=clue, by=world.discipline_a, approve=True)
    services.decide_disposal(clue=clue, by=second_discipline, approve=True)
    with pytest.raises(RuleError, match="没有待审批"):
        services.decide_disposal(clue=clue, by=second_discipline, approve=True)


def test_org_staff_cannot_start_a_preliminary_verification(world: Any) -> None:
    clue = clue_for(world.discipline_a, world.town_a, "李乙")
    with pytest.raises(RuleError, match="角色"):
        services.propose_disposal(
            clue=clue,
            by=world.city_admin,
            disposal="preliminary_verification",
            reason="需要核实情况",
        )
    assert Clue.objects.get().status == "pending"


def test_an_inquiry_to_a_main_leader_needs_the_higher_committee(
    world: Any, second_discipline: Any, city_discipline: Any
) -> None:
    team = LeadershipTeam.objects.create(org_unit=world.town_a, name="青石镇党委")
    TeamMembership.objects.create(
        team=team, cadre=world.cadre_town, role="head", started_on=date(2020, 1, 1)
    )
    clue = Clue.objects.get(pk=clue_for(world.discipline_a, world.town_a, "李乙").pk)
    services.propose_disposal(
        clue=clue, by=world.discipline_a, disposal="talk_or_inquiry", reason="对主要负责人函询"
    )
    clue.refresh_from_db()
    assert clue.approval_level == "committee_head"
    with pytest.raises(RuleError, match="上级纪委主要负责人"):
        services.decide_disposal(clue=clue, by=second_discipline, approve=True)
    with pytest.raises(RuleError, match="上级纪委主要负责人"):  # not designated yet
        services.decide_disposal(clue=clue, by=city_discipline, approve=True)
    RuleSetting.objects.create(
        key="supervision.committee_head_usernames", value=["discipline_city"]
    )
    assert services.decide_disposal(clue=clue, by=city_discipline, approve=True).status == (
        "talk_or_inquiry"
    )


def test_skipped_case_steps_are_refused(world: Any, second_discipline: Any) -> None:
    clue = approve(
        clue_for(world.discipline_a, world.town_a, "李乙"),
        world.discipline_a,
        second_discipline,
        "preliminary_verification",
    )
    case = Case.objects.get(clue=clue)
    with pytest.raises(RuleError, match="请按流程办理"):
        services.advance_case(
            case=case,
            by=world.discipline_a,
            target="closed",
            conclusion="confirmed",
            conclusion_text="x",
        )
    with pytest.raises(RuleError, match="尚未记录任何核查事实"):
        services.advance_case(case=case, by=world.discipline_a, target="reviewing")
    services.add_case_fact(case=case, by=world.discipline_a, text="推诿属实", established=True)
    services.advance_case(case=case, by=world.discipline_a, target="reviewing")
    with pytest.raises(RuleError, match="请选择核查结论"):
        services.advance_case(case=case, by=world.discipline_a, target="closed")
    closed = services.advance_case(
        case=case,
        by=world.discipline_a,
        target="closed",
        conclusion="confirmed",
        conclusion_text="问题属实",
    )
    assert closed.status == "closed"
    assert Clue.objects.get(pk=clue.pk).status == "closed"
    with pytest.raises(RuleError, match="已办结"):
        services.add_case_fact(case=case, by=world.discipline_a, text="补充", established=False)


def test_closing_a_report_needs_its_clue_closed(world: Any, second_discipline: Any) -> None:
    report = staff_report(world.discipline_a, world.town_a, "李乙")
    clue = services.accept_report(report=report, by=world.discipline_a)
    with pytest.raises(RuleError, match="线索尚未了结"):
        services.close_report(report=report, by=world.discipline_a, result="已处理")
    approve(clue, world.discipline_a, second_discipline, "close")
    services.close_report(report=report, by=world.discipline_a, result="经查，已督促整改")
    report.refresh_from_db()
    assert (report.status, report.result_text) == ("closed", "经查，已督促整改")


def test_an_unannounced_inspection_finding_opens_a_clue(world: Any) -> None:
    inspection = services.create_inspection(
        by=world.discipline_a,
        org_unit=world.county_a,
        title="窗口作风暗访",
        mode="covert",
        conducted_on=date(2025, 6, 3),
    )
    finding = services.record_finding(
        inspection=inspection,
        by=world.discipline_a,
        subject_unit=world.town_a,
        subject_cadre=world.cadre_town,
        problem_kind="work_discipline",
        description="上班时间玩手机游戏",
    )
    assert finding.clue.source == "inspection"
    assert finding.clue.subject_cadre == world.cadre_town
    with pytest.raises(RuleError, match="范围"):
        services.record_finding(
            inspection=inspection,
            by=world.discipline_a,
            subject_unit=world.organ_b,
            subject_cadre=None,
            problem_kind="other",
            description="越界",
        )
    assert Inspection.objects.count() == 1


def test_staff_cannot_record_a_report_outside_their_scope(world: Any) -> None:
    with pytest.raises(RuleError, match="管理范围"):
        staff_report(world.discipline_a, world.organ_b, "赵丙")
    assert not AuditEvent.objects.filter(action="report_recorded").exists()
