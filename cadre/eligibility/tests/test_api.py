"""GET /api/v1/cadres/{id}/eligibility[?on=YYYY-MM-DD][&position=ID]: the one answer, in the
shape every reader gets (cadre.cadres.decisions.Answer.as_json()), scoped like the cadre."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from cadre.cadres.decisions import Decision
from cadre.core import contracts
from cadre.development.models import Relative
from cadre.supervision.tests.helpers import measure
from tests import factories as f

PROMOTION_SOURCE = "党政领导干部选拔任用工作条例(2019) 第二十四条(六)"
EXCELLENT_SOURCE = "党政领导干部考核工作条例(2019)、公务员考核规定(2020) [U]"
RANK_SOURCE = "公务员职务与职级并行规定(2019)、选拔任用条例 第二十四条(六) 参照 [U]"


def _url(cadre: Any, query: str = "") -> str:
    return f"/api/v1/cadres/{cadre.pk}/eligibility" + (f"?{query}" if query else "")


def _admonishment(source: str, until: str) -> dict[str, Any]:
    return {
        "reason": "诫勉（2024-03-10起）影响期内",
        "source": source,
        "until": until,
        "ends": "",
        "fact": "measure",
        "overridable": False,
    }


def test_the_answer_has_every_decision_with_its_blocks_and_the_proposals(
    world: Any, as_user: Any
) -> None:
    measure(world.city_admin, world.cadre_town, "admonishment")  # 2024-03-10, six months
    response = as_user(world.city_admin).get(_url(world.cadre_town, "on=2024-05-01"))
    assert response.status_code == 200
    promotion = {"eligible": False, "blocks": [_admonishment(PROMOTION_SOURCE, "2024-09-09")]}
    excellent = {"eligible": False, "blocks": [_admonishment(EXCELLENT_SOURCE, "2024-12-31")]}
    free: dict[str, Any] = {"eligible": True, "blocks": []}
    assert response.json() == {
        "cadre": world.cadre_town.pk,
        "on": "2024-05-01",
        "promotion": promotion,
        "leading_post": free,  # 诫勉 bars a higher post, not the one held
        "appointment": free,
        "excellent_grade": excellent,
        "rank_promotion": {
            "eligible": False,
            "blocks": [_admonishment(RANK_SOURCE, "2024-09-09")],
        },
        "honour": excellent,
        "reserve": promotion,
        "key_secondment": promotion,
        "proposals": [],
    }
    assert set(response.json()) == {"cadre", "on", "proposals", *Decision.values}


def test_two_years_incompetent_proposes_demotion_and_dismissal(world: Any, as_user: Any) -> None:
    def grades(cadre_ids: Iterable[int], year: Any) -> dict[int, Any]:
        return {c: {2024: "incompetent", 2025: "incompetent"} for c in cadre_ids}

    with contracts.replaced("eligibility.annual_grades", grades):
        body = as_user(world.city_admin).get(_url(world.cadre_town, "on=2026-06-01")).json()
    assert [p["action"] for p in body["proposals"]] == ["降职", "辞退"]
    assert body["proposals"][1]["source"].startswith("公务员法 第八十八条")
    assert "2025年度考核不称职" in body["promotion"]["blocks"][0]["reason"]
    assert not body["rank_promotion"]["eligible"]


def test_a_day_in_an_unknown_format_is_refused(world: Any, as_user: Any) -> None:
    bad = as_user(world.city_admin).get(_url(world.cadre_town, "on=2024-13-01"))
    assert bad.status_code == 400
    assert "日期格式应为 YYYY-MM-DD" in bad.json()["detail"]


def test_a_day_before_the_cadres_birth_is_refused(world: Any, as_user: Any) -> None:
    day = world.cadre_town.birth_date - timedelta(days=1)
    bad = as_user(world.city_admin).get(_url(world.cadre_town, f"on={day.isoformat()}"))
    assert bad.status_code == 400
    assert "早于李乙的出生日期" in bad.json()["detail"]
    born = world.cadre_town.birth_date.isoformat()
    assert as_user(world.city_admin).get(_url(world.cadre_town, f"on={born}")).status_code == 200


def test_the_answer_is_scoped_like_the_cadre(world: Any, as_user: Any) -> None:
    url = _url(world.cadre_town, "on=2024-05-01")
    assert as_user(world.head_b).get(url).status_code == 404  # another county
    org_b = f.make_user("org_b", role="org_admin", unit=world.county_b)
    assert as_user(org_b).get(url).status_code == 404  # the right role, out of scope
    assert as_user(world.head_a).get(url).status_code == 403  # in scope, wrong role
    assert as_user(world.discipline_a).get(url).status_code == 200


def test_a_cadre_reads_their_own_answer_and_no_one_elses(world: Any, as_user: Any) -> None:
    client = as_user(world.cadre_user)  # 王甲
    own = client.get(_url(world.cadre_a))
    assert own.status_code == 200
    assert own.json()["cadre"] == world.cadre_a.pk
    assert client.get(_url(world.cadre_town)).status_code == 404
    assert client.get(_url(world.cadre_b)).status_code == 404


def test_a_target_post_adds_its_qualifications_and_avoidance(world: Any, as_user: Any) -> None:
    # 李乙's spouse 王甲 heads 东湖县财政局; the post asked about is its deputy head.
    Relative.objects.create(cadre=world.cadre_town, relative=world.cadre_a, relation="spouse")
    post = f.make_position(
        world.organ_a, "副局长", is_leadership=True, leadership_level="section_deputy"
    )
    client = as_user(world.city_admin)
    plain = client.get(_url(world.cadre_town, "on=2026-05-01")).json()
    assert all(plain[d]["eligible"] for d in Decision.values)
    body = client.get(_url(world.cadre_town, f"on=2026-05-01&position={post.pk}")).json()
    facts = {d: {b["fact"] for b in body[d]["blocks"]} for d in Decision.values}
    assert facts["appointment"] == facts["leading_post"] == {"avoidance"}
    assert facts["promotion"] == {"avoidance", "qualification"}
    avoidance, training = body["promotion"]["blocks"]
    assert "第七十四条" in avoidance["source"]
    assert "亲属：王甲" in avoidance["reason"]
    assert not avoidance["overridable"]
    assert training["reason"] == "近五年培训0学时，不足550学时"
    assert training["source"].startswith("党政领导干部选拔任用工作条例(2019) 第七条(五)")
    assert training["overridable"]  # 破格 (第八条) may pass over a qualification only
    assert body["excellent_grade"]["eligible"]


def test_a_post_out_of_scope_is_not_found(world: Any, as_user: Any) -> None:
    post = f.make_position(
        world.organ_b, "副局长", is_leadership=True, leadership_level="section_deputy"
    )
    org_a = f.make_user("org_a", role="org_admin", unit=world.county_a)
    assert as_user(org_a).get(_url(world.cadre_town, f"position={post.pk}")).status_code == 404


def test_today_when_no_day_is_asked(world: Any, as_user: Any, clock: Any) -> None:
    body = as_user(world.city_admin).get(_url(world.cadre_town)).json()
    assert body["on"] == clock.today.isoformat()
