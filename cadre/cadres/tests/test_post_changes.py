"""The registry side of decisions (issue 11): the end of employment and changes of post end
the old records on the effective day, start the new ones that day, audit it, and refuse bad
input with nothing written."""

from datetime import date
from typing import Any

import pytest

from cadre.audit.models import AuditEvent
from cadre.cadres import services
from cadre.cadres.models import Appointment, Cadre, LeadershipTeam, RankRecord, TeamMembership
from tests import factories as f

ON = date(2026, 3, 10)


@pytest.fixture
def chief(world: Any) -> Cadre:
    """王甲: 局长 (leading) of 东湖县财政局 since 2019-03-01, 四级主任科员 since 2020, head of the
    bureau's leadership team."""
    cadre = world.cadre_a
    f.make_rank(cadre, "level4_principal_clerk", date(2020, 1, 1))
    team = LeadershipTeam.objects.create(org_unit=world.organ_a, name="东湖县财政局党组")
    TeamMembership.objects.create(team=team, cadre=cadre, role="head", started_on=date(2019, 3, 1))
    services.refresh_current_post(cadre)
    cadre.refresh_from_db()
    assert (cadre.current_title, cadre.is_leader, cadre.rank) == (
        "局长",
        True,
        "level4_principal_clerk",
    )
    return cadre


def _open(model: Any, cadre: Cadre) -> list[Any]:
    return list(model.objects.filter(cadre=cadre, ended_on__isnull=True))


def _snapshot(cadre: Cadre) -> tuple[Any, ...]:
    cadre.refresh_from_db()
    return (
        list(Appointment.objects.filter(cadre=cadre).values_list("pk", "ended_on")),
        list(RankRecord.objects.filter(cadre=cadre).values_list("pk", "rank", "ended_on")),
        list(TeamMembership.objects.filter(cadre=cadre).values_list("pk", "ended_on")),
        cadre.status,
        cadre.current_title,
        cadre.rank,
    )


# ---- end of employment --------------------------------------------------------------------


def test_expulsion_ends_every_record_on_the_day_and_shows_no_post(world: Any, chief: Cadre) -> None:
    services.end_employment(
        by=world.city_admin, cadre=chief, status="expelled", on=ON, basis="县监委开除决定"
    )
    assert chief.status == "expelled"  # the caller's object is refreshed
    assert not _open(Appointment, chief)
    assert not _open(RankRecord, chief)
    assert not _open(TeamMembership, chief)
    assert Appointment.objects.get(cadre=chief).ended_on == ON
    assert RankRecord.objects.get(cadre=chief).ended_on == ON
    assert (chief.current_title, chief.current_post_since, chief.is_leader, chief.rank) == (
        "",
        None,
        False,
        "",
    )
    event = AuditEvent.objects.get(action="employment_ended")
    assert event.detail["status"] == "expelled"
    assert chief.history.first().history_change_reason == "离职：开除"


@pytest.mark.parametrize(
    ("status", "on", "message"),
    [
        ("active", ON, "请选择离职类别"),
        ("fired", ON, "请选择离职类别"),
        ("retired", date(2019, 2, 1), "离职日期不能早于任职记录的起始日期（2019-03-01）"),
    ],
)
def test_bad_end_of_employment_is_refused_and_writes_nothing(
    world: Any, chief: Cadre, status: str, on: date, message: str
) -> None:
    before = _snapshot(chief)
    with pytest.raises(services.RegistryError, match=message):
        services.end_employment(by=world.city_admin, cadre=chief, status=status, on=on, basis="x")
    assert _snapshot(chief) == before
    assert not AuditEvent.objects.filter(action="employment_ended").exists()


def test_no_second_end_of_employment_and_a_basis_is_needed(world: Any, chief: Cadre) -> None:
    with pytest.raises(services.RegistryError, match="请填写依据"):
        services.end_employment(by=None, cadre=chief, status="retired", on=ON, basis="  ")
    services.end_employment(by=None, cadre=chief, status="retired", on=ON, basis="到龄退休")
    with pytest.raises(services.RegistryError, match="该干部已不在职（退休）"):
        services.end_employment(by=None, cadre=chief, status="deceased", on=ON, basis="x")
    with pytest.raises(services.RegistryError, match="已不在职"):
        services.change_post(by=None, cadre=chief, effect="removal", on=ON, basis="x")


# ---- changes of post ----------------------------------------------------------------------


def test_removal_ends_the_leading_post_on_the_day_and_keeps_the_rank(
    world: Any, chief: Cadre
) -> None:
    summary = services.change_post(
        by=world.city_admin, cadre=chief, effect="removal", on=ON, basis="县委免职决定"
    )
    assert summary == "2026-03-10起，免去东湖县财政局局长职务"
    assert Appointment.objects.get(cadre=chief).ended_on == ON
    assert [r.rank for r in _open(RankRecord, chief)] == ["level4_principal_clerk"]
    assert (chief.current_title, chief.is_leader, chief.rank) == (
        "",
        False,
        "level4_principal_clerk",
    )
    assert AuditEvent.objects.get(action="post_changed").detail["effect"] == "removal"


def test_removal_needs_a_leading_post(world: Any) -> None:
    clerk = world.cadre_town
    f.make_appointment(clerk, f.make_position(world.town_a, "科员"), date(2020, 1, 1))
    with pytest.raises(services.RegistryError, match="没有现任领导职务，不能免职"):
        services.change_post(by=None, cadre=clerk, effect="removal", on=ON, basis="x")
    assert _open(Appointment, clerk)


def test_demotion_moves_the_post_and_lowers_the_rank_one_step(world: Any, chief: Cadre) -> None:
    clerk_post = f.make_position(world.organ_a, "科员")
    summary = services.change_post(
        by=world.city_admin,
        cadre=chief,
        effect="demotion",
        on=ON,
        basis="县委降职决定",
        to_position=clerk_post,
    )
    old, new = Appointment.objects.filter(cadre=chief).order_by("started_on")
    assert (old.ended_on, new.started_on, new.ended_on) == (ON, ON, None)
    assert (new.position, new.how, new.note, new.is_primary) == (
        clerk_post,
        "appoint",
        "县委降职决定",
        True,
    )
    ranks = RankRecord.objects.filter(cadre=chief).order_by("started_on")
    assert [(r.rank, r.started_on, r.ended_on) for r in ranks] == [
        ("level4_principal_clerk", date(2020, 1, 1), ON),
        ("level1_clerk", ON, None),  # 四级主任科员 → 一级科员, one step
    ]
    assert (chief.current_title, chief.current_post_since, chief.is_leader, chief.rank) == (
        "科员",
        ON,
        False,
        "level1_clerk",
    )
    assert "职级由四级主任科员调整为一级科员" in summary
    assert AuditEvent.objects.filter(action="post_changed").count() == 1


def test_demotion_to_a_chosen_lower_rank_without_a_new_post(world: Any, chief: Cadre) -> None:
    services.change_post(
        by=None, cadre=chief, effect="demotion", on=ON, basis="x", to_rank="level2_clerk"
    )
    assert [r.rank for r in _open(RankRecord, chief)] == ["level2_clerk"]
    assert not _open(Appointment, chief)
    assert chief.current_title == ""


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"to_rank": "level1_researcher"}, "降职后的职级应低于现职级（四级主任科员）"),
        ({"to_rank": "level4_principal_clerk"}, "应低于现职级"),
        ({"to_rank": "general"}, "职级无效"),
        ({"on": date(2019, 3, 1), "to_position": "clerk"}, "生效日期应晚于现任职务"),
        ({"on": date(2019, 6, 1)}, "生效日期不能早于现职级的起始时间（2020-01-01）"),
        ({"to_position": "same"}, "拟任职位就是现任职位"),
        ({"to_position": "abolished"}, "拟任职位已撤销"),
        ({"effect": "promotion"}, "职务调整方式无效"),
        ({"effect": "removal", "to_position": "clerk"}, "免职不任新职务"),
        ({"effect": "removal", "to_rank": "level1_clerk"}, "免职不调整职级"),
        ({"effect": "reassign", "to_rank": "level1_clerk"}, "调整职务不调整职级"),
    ],
)
def test_bad_changes_of_post_are_refused_and_write_nothing(
    world: Any, chief: Cadre, kw: dict[str, Any], message: str
) -> None:
    positions = {
        "clerk": f.make_position(world.organ_a, "科员"),
        "same": Appointment.objects.get(cadre=chief).position,
        "abolished": f.make_position(world.organ_a, "原科员", abolished_on=date(2025, 1, 1)),
    }
    args: dict[str, Any] = {"effect": "demotion", "on": ON, **kw}
    if "to_position" in args:
        args["to_position"] = positions[args["to_position"]]
    before = _snapshot(chief)
    with pytest.raises(services.RegistryError, match=message):
        services.change_post(by=None, cadre=chief, basis="x", **args)
    assert _snapshot(chief) == before
    assert Appointment.objects.count() == 1
    assert not AuditEvent.objects.filter(action="post_changed").exists()


def test_no_demotion_below_the_lowest_rank_or_without_a_rank(world: Any) -> None:
    clerk = world.cadre_town
    f.make_appointment(clerk, f.make_position(world.town_a, "科员"), date(2020, 1, 1))
    with pytest.raises(services.RegistryError, match="没有职级记录，请填写降职后的职级"):
        services.change_post(by=None, cadre=clerk, effect="demotion", on=ON, basis="x")
    f.make_rank(clerk, "level2_clerk", date(2020, 1, 1))
    with pytest.raises(services.RegistryError, match="已是最低一级（二级科员）"):
        services.change_post(by=None, cadre=clerk, effect="demotion", on=ON, basis="x")
    assert _open(Appointment, clerk)
    assert [r.rank for r in _open(RankRecord, clerk)] == ["level2_clerk"]


def test_reassignment_moves_the_post_and_keeps_the_rank(world: Any, chief: Cadre) -> None:
    other = f.make_position(
        world.town_a, "副镇长", is_leadership=True, leadership_level="section_deputy"
    )
    services.change_post(
        by=None, cadre=chief, effect="reassign", on=ON, basis="调整职务", to_position=other
    )
    assert [a.position for a in _open(Appointment, chief)] == [other]
    assert chief.org_unit == world.town_a  # the registry follows the post
    assert [r.rank for r in _open(RankRecord, chief)] == ["level4_principal_clerk"]


def test_dismissal_from_post_ends_the_post_and_lowers_the_rank(world: Any, chief: Cadre) -> None:
    # 政务处分法 第十九条: 被撤职的，按照规定降低职务、职级.
    services.change_post(by=None, cadre=chief, effect="dismissal_from_post", on=ON, basis="撤职")
    assert not _open(Appointment, chief)
    assert [r.rank for r in _open(RankRecord, chief)] == ["level1_clerk"]
    assert (chief.current_title, chief.rank) == ("", "level1_clerk")
