"""Issue 11, registry effects of measures: 免职, 降职, 调整职务/改任, 责令辞职, 撤职 and 开除
change the appointments, the rank or the employment in the same transaction as the measure;
a refused effect writes nothing, the measure included."""

from datetime import date
from typing import Any

import pytest

from cadre.accountability import rules
from cadre.accountability.models import Measure
from cadre.accountability.rules import RuleError
from cadre.audit.models import AuditEvent
from cadre.cadres.models import Appointment, Cadre, RankRecord
from cadre.cadres.services import RegistryError, refresh_current_post
from cadre.supervision.tests.helpers import measure
from tests import factories as f

ON = date(2026, 3, 10)


@pytest.fixture
def chief(world: Any) -> Cadre:
    """王甲, 东湖县财政局局长 since 2019-03-01, 四级主任科员 since 2020."""
    f.make_rank(world.cadre_a, "level4_principal_clerk", date(2020, 1, 1))
    refresh_current_post(world.cadre_a)
    return world.cadre_a


def _registry(cadre: Cadre) -> tuple[Any, ...]:
    cadre.refresh_from_db()
    return (
        list(Appointment.objects.filter(cadre=cadre).values_list("pk", "ended_on")),
        list(RankRecord.objects.filter(cadre=cadre).values_list("pk", "rank", "ended_on")),
        cadre.status,
        cadre.current_title,
        cadre.rank,
    )


# ---- rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "effect", "status", "position", "rank"),
    [
        ("removal", "removal", "", "", False),
        ("ordered_resignation", "removal", "", "", False),  # 责令辞职 ends the leading post
        ("demotion", "demotion", "", "optional", True),
        ("job_reassignment", "reassign", "", "optional", False),
        ("reassign_other_post", "reassign", "", "required", False),  # 改任: to another post
        ("gov_dismissal", "dismissal_from_post", "", "optional", True),  # 政务处分法 第十九条
        ("gov_expulsion", "", "expelled", "", False),  # 政务处分法 第七条(六)
    ],
)
def test_the_kinds_with_a_registry_effect(
    kind: str, effect: str, status: str, position: str, rank: bool
) -> None:
    found = rules.REGISTRY_EFFECTS[kind]
    assert (found.effect, found.status, found.position, found.rank) == (
        effect,
        status,
        position,
        rank,
    )


@pytest.mark.parametrize(
    "kind",
    ["admonishment", "talk_reminder", "gov_demerit", "gov_grade_reduction", "referral"],
)
def test_other_kinds_change_nothing_and_take_no_post_or_rank(kind: str) -> None:
    assert rules.registry_effect(kind, has_position=False, has_rank=False) is None
    with pytest.raises(RuleError, match="不调整任职和职级"):
        rules.registry_effect(kind, has_position=True, has_rank=False)


@pytest.mark.parametrize(
    ("kind", "position", "rank", "message"),
    [
        ("removal", True, False, "免职不任新职务"),
        ("ordered_resignation", False, True, "责令辞职不调整职级"),
        ("reassign_other_post", False, False, "改任其他职务请填写拟任职位"),
        ("job_reassignment", False, True, "调整职务不调整职级"),
        ("gov_expulsion", True, False, "开除不任新职务"),
    ],
)
def test_a_new_post_or_rank_only_where_the_kind_takes_one(
    kind: str, position: bool, rank: bool, message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        rules.registry_effect(kind, has_position=position, has_rank=rank)


# ---- services: one transaction ------------------------------------------------------------


def test_removal_ends_the_appointment_on_the_effective_date(world: Any, chief: Cadre) -> None:
    m = measure(world.discipline_a, chief, "removal", on=ON, effective_on=date(2026, 3, 15))
    appointment = Appointment.objects.get(cadre=chief)
    assert appointment.ended_on == date(2026, 3, 15)
    chief.refresh_from_db()
    assert (chief.current_title, chief.rank) == ("", "level4_principal_clerk")  # rank stays
    assert m.registry_effect == "2026-03-15起，免去东湖县财政局局长职务"
    assert AuditEvent.objects.filter(action="post_changed").count() == 1


def test_ordered_resignation_ends_the_leading_post(world: Any, chief: Cadre) -> None:
    measure(world.discipline_a, chief, "ordered_resignation", on=ON)
    assert Appointment.objects.get(cadre=chief).ended_on == ON


def test_demotion_lowers_the_rank_and_moves_the_post(world: Any, chief: Cadre) -> None:
    clerk = f.make_position(world.organ_a, "科员")
    m = acc_measure(world.discipline_a, chief, "demotion", to_position=clerk)
    old, new = Appointment.objects.filter(cadre=chief).order_by("started_on")
    assert (old.ended_on, new.position, new.started_on) == (ON, clerk, ON)
    chief.refresh_from_db()
    assert (chief.current_title, chief.rank) == ("科员", "level1_clerk")
    assert "免去东湖县财政局局长职务，任东湖县财政局科员，职级由四级主任科员调整为一级科员" in (
        m.registry_effect
    )


def test_reassign_other_post_needs_the_new_post(world: Any, chief: Cadre) -> None:
    with pytest.raises(RuleError, match="改任其他职务请填写拟任职位"):
        measure(world.discipline_a, chief, "reassign_other_post", on=ON)
    other = f.make_position(
        world.town_a, "副镇长", is_leadership=True, leadership_level="section_deputy"
    )
    acc_measure(world.discipline_a, chief, "reassign_other_post", to_position=other)
    chief.refresh_from_db()
    assert (chief.current_title, chief.org_unit, chief.rank) == (
        "副镇长",
        world.town_a,
        "level4_principal_clerk",
    )


def test_dismissal_ends_the_post_and_lowers_the_rank(world: Any, chief: Cadre) -> None:
    m = acc_measure(world.discipline_a, chief, "gov_dismissal", to_rank="level2_clerk")
    chief.refresh_from_db()
    assert (chief.current_title, chief.rank) == ("", "level2_clerk")
    assert Appointment.objects.get(cadre=chief).ended_on == ON
    assert m.unit_at_decision == world.organ_a


def test_expulsion_sets_the_status_and_ends_the_appointments(world: Any, chief: Cadre) -> None:
    m = measure(world.discipline_a, chief, "gov_expulsion", on=ON)
    chief.refresh_from_db()
    assert (chief.status, chief.get_status_display(), chief.current_title) == (
        "expelled",
        "开除",
        "",
    )
    assert Appointment.objects.get(cadre=chief).ended_on == ON
    assert RankRecord.objects.get(cadre=chief).ended_on == ON
    assert m.registry_effect.startswith(
        "2026-03-10起开除：干部状态改为“开除”，免去东湖县财政局局长"
    )
    # a second 开除 for someone no longer employed: refused, nothing written
    with pytest.raises(RegistryError, match="已不在职（开除）"):
        measure(world.discipline_a, chief, "gov_expulsion", on=ON)
    assert Measure.objects.count() == 1


@pytest.mark.parametrize(
    ("kw", "error", "message"),
    [
        ({"to_position": "abolished"}, RegistryError, "拟任职位已撤销"),
        ({"to_position": "current"}, RegistryError, "拟任职位就是现任职位"),
        ({"to_rank": "level1_inspector"}, RegistryError, "应低于现职级"),
        ({"kind": "removal", "to_position": "clerk"}, RuleError, "免职不任新职务"),
        ({"kind": "admonishment", "to_rank": "level1_clerk"}, RuleError, "不调整任职和职级"),
    ],
)
def test_a_refused_effect_writes_nothing_not_even_the_measure(
    world: Any, chief: Cadre, kw: dict[str, Any], error: type[Exception], message: str
) -> None:
    positions = {
        "abolished": f.make_position(world.organ_a, "原科员", abolished_on=date(2025, 1, 1)),
        "current": Appointment.objects.get(cadre=chief).position,
        "clerk": f.make_position(world.organ_a, "科员"),
    }
    args: dict[str, Any] = {"kind": "demotion", **kw}
    if "to_position" in args:
        args["to_position"] = positions[args["to_position"]]
    before = _registry(chief)
    with pytest.raises(error, match=message):
        acc_measure(world.discipline_a, chief, **args)
    assert _registry(chief) == before
    assert not Measure.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["measure_recorded", "post_changed"]).exists()


def test_a_removal_for_a_cadre_without_a_leading_post_is_refused(world: Any) -> None:
    with pytest.raises(RegistryError, match="没有现任领导职务"):
        measure(world.discipline_a, world.cadre_town, "removal", on=ON)
    assert not Measure.objects.exists()


def test_other_kinds_and_referrals_change_nothing(world: Any, chief: Cadre) -> None:
    before = _registry(chief)
    for kind, kw in [
        ("admonishment", {}),
        ("gov_demerit", {}),
        ("gov_grade_reduction", {}),
        ("referral", {"referral_to": "judicial"}),
    ]:
        m = measure(world.discipline_a, chief, kind, on=ON, **kw)
        assert m.registry_effect == ""
    assert _registry(chief) == before


def test_a_replacement_on_appeal_changes_no_post_again(world: Any, chief: Cadre) -> None:
    from cadre.accountability import services

    m = acc_measure(world.discipline_a, chief, "demotion")
    lighter = services.replace_measure(
        measure=m, by=world.discipline_a, kind="removal", reason="复审变更", must_be_lighter=True
    )
    assert "未自动调整" in lighter.registry_effect
    assert AuditEvent.objects.filter(action="post_changed").count() == 1


def acc_measure(by: Any, cadre: Cadre, kind: str, **kw: Any) -> Measure:
    from cadre.accountability import services

    position, rank = kw.pop("to_position", None), kw.pop("to_rank", "")
    return services.record_measure(
        by=by,
        cadre=cadre,
        data=services.MeasureInput(
            kind=kind,
            issuing_body="东湖县纪委",
            decided_on=ON,
            effective_on=ON,
            facts="推诿扯皮，贻误工作",
            article="组织处理规定",
            **kw,
        ),
        to_position=position,
        to_rank=rank,
    )


# ---- API and pages --------------------------------------------------------------------------

BODY = {
    "issuing_body": "东湖县委",
    "decided_on": "2026-03-10",
    "effective_on": "2026-03-10",
    "facts": "推诿扯皮",
    "article": "组织处理规定第七条",
}


def test_demotion_through_the_api(world: Any, chief: Cadre, as_user: Any) -> None:
    clerk = f.make_position(world.organ_a, "科员")
    client = as_user(world.discipline_a)
    ok = client.post(
        "/api/v1/accountability/measures",
        content_type="application/json",
        data={**BODY, "cadre_id": chief.pk, "kind": "demotion", "to_position_id": clerk.pk},
    )
    assert ok.status_code == 201, ok.content
    assert "任东湖县财政局科员" in ok.json()["registry_effect"]
    chief.refresh_from_db()
    assert (chief.current_title, chief.rank) == ("科员", "level1_clerk")


def test_an_out_of_scope_position_is_refused_by_the_api(
    world: Any, chief: Cadre, as_user: Any
) -> None:
    elsewhere = f.make_position(world.organ_b, "科员")
    client = as_user(world.discipline_a)
    before = _registry(chief)
    response = client.post(
        "/api/v1/accountability/measures",
        content_type="application/json",
        data={**BODY, "cadre_id": chief.pk, "kind": "demotion", "to_position_id": elsewhere.pk},
    )
    assert response.status_code == 404
    bad_rank = client.post(
        "/api/v1/accountability/measures",
        content_type="application/json",
        data={**BODY, "cadre_id": chief.pk, "kind": "demotion", "to_rank": "chief"},
    )
    assert bad_rank.status_code == 400
    assert bad_rank.json()["detail"] == "职级无效"
    assert (_registry(chief), Measure.objects.count()) == (before, 0)
    assert AuditEvent.objects.filter(action="authz_denied", actor_name="discipline_a").exists()


def test_expulsion_on_the_page_and_the_effect_on_the_measure_page(
    world: Any, chief: Cadre, as_user: Any
) -> None:
    client = as_user(world.discipline_a)
    response = client.post(
        "/accountability/measures/new/",
        {**BODY, "cadre": chief.pk, "kind": "gov_expulsion", "article": "政务处分法第七条"},
    )
    assert response.status_code == 302, response.content.decode()
    m = Measure.objects.get()
    chief.refresh_from_db()
    assert chief.status == "expelled"
    page = client.get(f"/accountability/measures/{m.pk}/").content.decode()
    assert "任职和职级变化" in page
    assert "干部状态改为“开除”" in page


def test_the_page_refuses_an_out_of_scope_or_refused_position(
    world: Any, chief: Cadre, as_user: Any
) -> None:
    client = as_user(world.discipline_a)
    elsewhere = f.make_position(world.organ_b, "科员")
    form = {**BODY, "cadre": chief.pk, "kind": "reassign_other_post"}
    assert (
        client.post(
            "/accountability/measures/new/", {**form, "to_position": elsewhere.pk}
        ).status_code
        == 404
    )
    missing = client.post("/accountability/measures/new/", form)
    assert missing.status_code == 400
    assert "改任其他职务请填写拟任职位" in missing.content.decode()
    same = Appointment.objects.get(cadre=chief).position
    refused = client.post("/accountability/measures/new/", {**form, "to_position": same.pk})
    assert refused.status_code == 400
    assert "拟任职位就是现任职位" in refused.content.decode()
    assert Measure.objects.count() == 0
    assert Appointment.objects.get(cadre=chief).ended_on is None
