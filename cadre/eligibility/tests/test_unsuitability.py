"""不适宜担任现职 (推进领导干部能上能下规定 2022; DOMAIN.md 2.6): services, pages and API."""

from datetime import date
from typing import Any

import pytest

from cadre.audit.models import AuditEvent
from cadre.cadres.models import Appointment, RankRecord
from cadre.core.errors import Refused
from cadre.eligibility import services
from cadre.eligibility.models import Unsuitability
from cadre.eligibility.services import UnsuitabilityError
from tests import factories as f

GROUNDS = ["inaction", "weak_leadership"]


@pytest.fixture(autouse=True)
def _today(clock: Any) -> None:
    clock.move_to("2026-12-07")


def determine(world: Any, cadre: Any = None, on: date = date(2026, 3, 2)) -> Unsuitability:
    return services.determine_unsuitable(
        by=world.city_admin,
        cadre=cadre or world.cadre_a,
        determined_on=on,
        grounds=GROUNDS,
        facts="连续两年重点工作排名靠后，推诿扯皮",
    )


def talked(world: Any, cadre: Any = None) -> Unsuitability:
    item = determine(world, cadre)
    return services.record_talk(
        by=world.city_admin, item=item, talk_on=date(2026, 3, 9), note="本人表示服从组织安排"
    )


def written() -> tuple[int, int, int, int]:
    return (
        Unsuitability.objects.count(),
        AuditEvent.objects.count(),
        Appointment.objects.count(),
        RankRecord.objects.count(),
    )


# ---- services --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"grounds": []}, "请选择至少一项"),
        ({"grounds": ["lazy"]}, "认定情形无效"),
        ({"facts": "  "}, "请填写主要事实"),
        ({"determined_on": date(2026, 12, 8)}, "认定日期不能晚于今天"),
    ],
)
def test_a_bad_determination_is_refused_and_writes_nothing(
    world: Any, kw: dict[str, Any], message: str
) -> None:
    before = written()
    data: dict[str, Any] = {
        "determined_on": date(2026, 3, 2),
        "grounds": GROUNDS,
        "facts": "推诿扯皮",
        **kw,
    }
    with pytest.raises(UnsuitabilityError, match=message):
        services.determine_unsuitable(by=world.city_admin, cadre=world.cadre_a, **data)
    assert written() == before


def test_a_second_open_determination_is_refused(world: Any) -> None:
    determine(world)
    before = written()
    with pytest.raises(UnsuitabilityError, match="已有一项待调整"):
        determine(world, on=date(2026, 4, 1))
    assert written() == before


def test_the_talk_comes_after_the_determination(world: Any) -> None:
    item = determine(world)
    before = written()
    with pytest.raises(UnsuitabilityError, match="不能早于认定日期"):
        services.record_talk(by=world.city_admin, item=item, talk_on=date(2026, 3, 1), note="谈")
    with pytest.raises(UnsuitabilityError, match="请填写谈话情况"):
        services.record_talk(by=world.city_admin, item=item, talk_on=date(2026, 3, 3), note="")
    assert written() == before
    item.refresh_from_db()
    assert item.talk_on is None


def test_no_decision_before_the_talk(world: Any) -> None:
    item = determine(world)
    before = written()
    with pytest.raises(UnsuitabilityError, match="请先登记谈话"):
        services.decide_unsuitable(
            by=world.city_admin,
            item=item,
            decision="removal",
            decided_on=date(2026, 3, 20),
            effective_on=date(2026, 3, 20),
            basis="县委常委会2026年第5次会议",
        )
    assert written() == before
    item.refresh_from_db()
    assert item.status == "determined"


def test_removal_ends_the_post_in_the_same_transaction(world: Any) -> None:
    item = talked(world)
    done = services.decide_unsuitable(
        by=world.city_admin,
        item=item,
        decision="removal",
        decided_on=date(2026, 3, 20),
        effective_on=date(2026, 3, 23),
        basis="县委常委会2026年第5次会议",
    )
    assert done.status == "decided"
    appointment = Appointment.objects.get(cadre=world.cadre_a)
    assert appointment.ended_on == date(2026, 3, 23)
    assert done.effect.startswith("免职：2026-03-23起，免去")
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.current_title == ""
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"unsuitability_decided", "post_changed"} <= actions


def test_adjustment_starts_the_new_post_and_demotion_lowers_the_rank(world: Any) -> None:
    new_post = f.make_position(world.organ_a, "一级主任科员")
    adjust = services.decide_unsuitable(
        by=world.city_admin,
        item=talked(world),
        decision="adjust",
        decided_on=date(2026, 3, 20),
        effective_on=date(2026, 4, 1),
        basis="东组〔2026〕8号",
        to_position=new_post,
    )
    assert Appointment.objects.get(cadre=world.cadre_a, ended_on__isnull=True).position == new_post
    assert "任东湖县财政局一级主任科员" in adjust.effect

    f.make_appointment(world.cadre_town, f.make_position(world.town_a, "副镇长"), date(2020, 1, 1))
    f.make_rank(world.cadre_town, "level2_principal_clerk", date(2020, 1, 1))
    demote = services.decide_unsuitable(
        by=world.city_admin,
        item=talked(world, world.cadre_town),
        decision="demotion",
        decided_on=date(2026, 3, 20),
        effective_on=date(2026, 4, 1),
        basis="东组〔2026〕9号",
    )
    rank = RankRecord.objects.get(cadre=world.cadre_town, ended_on__isnull=True)
    assert rank.rank == "level3_principal_clerk"
    assert "职级由二级主任科员调整为三级主任科员" in demote.effect


def test_adjust_needs_a_new_post_and_a_registry_refusal_rolls_back(world: Any) -> None:
    item = talked(world, world.cadre_town)  # 李乙 holds no post at all
    before = written()
    with pytest.raises(UnsuitabilityError, match="请选择拟任职位"):
        services.decide_unsuitable(
            by=world.city_admin,
            item=item,
            decision="reassign",
            decided_on=date(2026, 3, 20),
            effective_on=date(2026, 3, 20),
            basis="东组〔2026〕9号",
        )
    with pytest.raises(Refused, match="没有现任领导职务"):
        services.decide_unsuitable(
            by=world.city_admin,
            item=item,
            decision="removal",
            decided_on=date(2026, 3, 20),
            effective_on=date(2026, 3, 20),
            basis="东组〔2026〕9号",
        )
    assert written() == before
    item.refresh_from_db()
    assert (item.status, item.decision, item.effect) == ("determined", "", "")


def test_the_block_holds_while_pending_and_for_the_period_after(world: Any) -> None:
    item = talked(world)
    cid = world.cadre_a.pk
    assert services.answers([cid], date(2026, 3, 1))[cid].eligible("promotion")
    pending = services.answers([cid], date(2026, 3, 15))[cid]
    assert not pending.eligible("promotion")
    assert not pending.eligible("excellent_grade")
    assert "待作出调整决定" in pending.blocks["promotion"][0].reason
    services.decide_unsuitable(
        by=world.city_admin,
        item=item,
        decision="removal",
        decided_on=date(2026, 3, 20),
        effective_on=date(2026, 3, 23),
        basis="县委常委会2026年第5次会议",
    )
    after = services.answers([cid], date(2026, 9, 1))[cid]
    [block] = after.blocks["promotion"]
    assert block.until == date(2027, 3, 22)  # 12 months (eligibility.unsuitable_months)
    assert "免职" in block.reason
    assert "能上能下" in block.source
    assert not after.eligible("leading_post")  # 免职: no leading post in the period
    assert services.answers([cid], date(2027, 3, 23))[cid].eligible("promotion")


def test_withdrawal_needs_a_reason_and_lifts_the_hold(world: Any) -> None:
    item = determine(world)
    with pytest.raises(UnsuitabilityError, match="请填写撤销理由"):
        services.withdraw_unsuitable(by=world.city_admin, item=item, reason=" ")
    done = services.withdraw_unsuitable(by=world.city_admin, item=item, reason="事实不清")
    assert done.status == "withdrawn"
    assert "事实不清" in done.effect
    cid = world.cadre_a.pk
    assert services.answers([cid], date(2026, 3, 15))[cid].eligible("promotion")
    with pytest.raises(UnsuitabilityError, match="已撤销认定，不能撤销"):
        services.withdraw_unsuitable(by=world.city_admin, item=done, reason="再撤")
    determine(world, on=date(2026, 5, 1))  # a new determination may follow


# ---- pages -----------------------------------------------------------------------------------


def test_the_pages_walk_the_whole_process(world: Any, as_user: Any) -> None:
    client = as_user(world.city_admin)
    new = client.get("/eligibility/unsuitability/new/")
    assert new.status_code == 200
    assert "认定不适宜担任现职" in new.content.decode()
    assert "为官不为" in new.content.decode()
    posted = client.post(
        "/eligibility/unsuitability/new/",
        {
            "cadre": world.cadre_a.pk,
            "determined_on": "2026-03-02",
            "grounds": GROUNDS,
            "facts": "推诿扯皮",
        },
    )
    item = Unsuitability.objects.get()
    assert posted.status_code == 302
    page = client.get(f"/eligibility/unsuitability/{item.pk}/").content.decode()
    assert "已认定，待调整" in page
    assert "登记谈话" in page
    assert "撤销认定" in page
    assert "待作出调整决定" in page  # the live hold
    early = client.post(
        f"/eligibility/unsuitability/{item.pk}/decide/",
        {"decision": "removal", "decided_on": "2026-03-20", "effective_on": "2026-03-20"},
    )
    assert early.status_code == 400
    assert (
        client.post(
            f"/eligibility/unsuitability/{item.pk}/talk/", {"talk_on": "2026-03-09", "note": "服从"}
        ).status_code
        == 302
    )
    page = client.get(f"/eligibility/unsuitability/{item.pk}/").content.decode()
    assert "作出调整决定" in page
    assert "拟任职位" in page
    decided = client.post(
        f"/eligibility/unsuitability/{item.pk}/decide/",
        {
            "decision": "removal",
            "decided_on": "2026-03-20",
            "effective_on": "2026-03-23",
            "basis": "县委常委会2026年第5次会议",
        },
    )
    assert decided.status_code == 302
    item.refresh_from_db()
    assert item.status == "decided"
    listing = client.get("/eligibility/unsuitability/?status=decided").content.decode()
    assert "王甲" in listing
    assert "免职" in listing
    assert "王甲" not in client.get("/eligibility/unsuitability/?status=withdrawn").content.decode()


def test_a_refusal_shows_on_the_form(world: Any, as_user: Any) -> None:
    determine(world)
    response = as_user(world.city_admin).post(
        "/eligibility/unsuitability/new/",
        {
            "cadre": world.cadre_a.pk,
            "determined_on": "2026-04-01",
            "grounds": GROUNDS,
            "facts": "x",
        },
    )
    assert response.status_code == 400
    assert "已有一项待调整" in response.content.decode()
    assert "依据：cadre" not in response.content.decode()  # the source names a rule, not a field
    assert Unsuitability.objects.count() == 1


def test_out_of_scope_and_wrong_roles_are_refused_on_the_pages(world: Any, as_user: Any) -> None:
    item = determine(world)
    org_b = as_user(f.make_user("org_b", role="org_admin", unit=world.county_b))
    assert org_b.get(f"/eligibility/unsuitability/{item.pk}/").status_code == 404
    assert (
        org_b.post(
            f"/eligibility/unsuitability/{item.pk}/withdraw/", {"reason": "越权"}
        ).status_code
        == 404
    )
    created = org_b.post(
        "/eligibility/unsuitability/new/",
        {
            "cadre": world.cadre_a.pk,
            "determined_on": "2026-03-02",
            "grounds": GROUNDS,
            "facts": "x",
        },
    )
    assert created.status_code == 404
    assert org_b.get("/eligibility/unsuitability/").context["page"].paginator.count == 0
    assert AuditEvent.objects.filter(action="authz_denied").count() >= 2
    discipline = as_user(world.discipline_a)
    assert discipline.get(f"/eligibility/unsuitability/{item.pk}/").status_code == 200
    assert (
        discipline.post(
            f"/eligibility/unsuitability/{item.pk}/withdraw/", {"reason": "越权"}
        ).status_code
        == 403
    )
    assert as_user(world.head_a).get("/eligibility/unsuitability/").status_code == 403
    item.refresh_from_db()
    assert item.status == "determined"


# ---- API -------------------------------------------------------------------------------------


def test_the_api_walks_the_process(world: Any, as_user: Any) -> None:
    client = as_user(world.city_admin)
    created = client.post(
        "/api/v1/eligibility/unsuitability",
        {
            "cadre_id": world.cadre_a.pk,
            "determined_on": "2026-03-02",
            "grounds": GROUNDS,
            "facts": "推诿扯皮",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    item_id = created.json()["id"]
    assert created.json()["grounds_labels"][0].startswith("事业心责任感不强")
    base = f"/api/v1/eligibility/unsuitability/{item_id}"
    early = client.post(
        f"{base}/decide",
        {
            "decision": "removal",
            "decided_on": "2026-03-20",
            "effective_on": "2026-03-20",
            "basis": "会议",
        },
        content_type="application/json",
    )
    assert early.status_code == 400
    assert "请先登记谈话" in early.json()["detail"]
    talk = client.post(
        f"{base}/talk", {"talk_on": "2026-03-09", "note": "服从"}, content_type="application/json"
    )
    assert talk.json()["talk_on"] == "2026-03-09"
    decided = client.post(
        f"{base}/decide",
        {
            "decision": "removal",
            "decided_on": "2026-03-20",
            "effective_on": "2026-03-23",
            "basis": "县委常委会2026年第5次会议",
        },
        content_type="application/json",
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "decided"
    assert decided.json()["effect"].startswith("免职")
    listing = client.get("/api/v1/eligibility/unsuitability?limit=10").json()
    assert listing["count"] == 1
    assert listing["items"][0]["id"] == item_id
    withdrawn = client.post(f"{base}/withdraw", {"reason": "x"}, content_type="application/json")
    assert withdrawn.status_code == 400
    assert "已作出调整决定" in withdrawn.json()["detail"]


def test_the_api_refuses_out_of_scope_and_bad_input(world: Any, as_user: Any) -> None:
    item = determine(world)
    org_b = as_user(f.make_user("org_b", role="org_admin", unit=world.county_b))
    assert org_b.get(f"/api/v1/eligibility/unsuitability/{item.pk}").status_code == 404
    assert (
        org_b.post(
            f"/api/v1/eligibility/unsuitability/{item.pk}/withdraw",
            {"reason": "越权"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        org_b.post(
            "/api/v1/eligibility/unsuitability",
            {
                "cadre_id": world.cadre_a.pk,
                "determined_on": "2026-03-02",
                "grounds": GROUNDS,
                "facts": "x",
            },
            content_type="application/json",
        ).status_code
        == 404
    )
    assert org_b.get("/api/v1/eligibility/unsuitability").json()["count"] == 0
    bad = as_user(world.city_admin).post(
        "/api/v1/eligibility/unsuitability",
        {
            "cadre_id": world.cadre_b.pk,
            "determined_on": "2026-03-02",
            "grounds": ["lazy"],
            "facts": "x",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "认定情形无效" in bad.json()["detail"]
    assert (
        as_user(world.discipline_a)
        .post(
            f"/api/v1/eligibility/unsuitability/{item.pk}/withdraw",
            {"reason": "x"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    assert Unsuitability.objects.count() == 1
