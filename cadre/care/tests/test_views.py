"""Care pages and API: render for the roles that use them, refuse bad input with the rule,
404 out of scope, 403 (audited) for a talk summary read by someone not allowed."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from cadre.audit.models import AuditEvent
from cadre.care import services as s
from cadre.care.models import Difficulty, HeartTalk, HonourKind, Visit
from tests import factories as f


@pytest.fixture
def data(world: Any) -> dict[str, Any]:
    talk = s.record_talk(
        by=world.head_a,
        talker=world.cadre_town,
        talkee=world.cadre_a,
        held_on=date(2024, 3, 1),
        kind="routine",
        summary="绝密摘要内容",
        today=date(2024, 6, 1),
    )
    difficulty = s.report_difficulty(
        by=world.head_a,
        cadre=world.cadre_a,
        category="住房",
        description="租房困难",
        source="talk",
        talk=talk,
        on=date(2024, 3, 2),
    )
    meeting = s.create_meeting(
        by=world.city_admin,
        title="县域经济现场会",
        kind="on_site",
        held_on=date(2024, 5, 1),
        place="东湖县",
        org_unit=world.county_a,
    )
    s.add_presentation(
        by=world.city_admin, meeting=meeting, unit=world.town_a, materials="产业园建设"
    )
    kind = HonourKind.objects.get(name="千名好支书")
    exemplar = s.award_exemplar(
        by=world.city_admin,
        cadre=world.cadre_a,
        kind=kind,
        year=2023,
        awarded_on=date(2024, 1, 5),
        citation="事迹",
    )
    admin_b = f.make_user("admin_b", role="org_admin", unit=world.county_b)
    return {
        "talk": talk,
        "difficulty": difficulty,
        "meeting": meeting,
        "exemplar": exemplar,
        "admin_b": admin_b,
    }


PAGES = [
    "/care/",
    "/care/?format=xlsx",
    "/care/talks/",
    "/care/talks/?format=xlsx",
    "/care/talks/must/",
    "/care/talks/due/",
    "/care/talks/due/?format=xlsx",
    "/care/oversight/",
    "/care/visits/",
    "/care/difficulties/",
    "/care/difficulties/?format=xlsx",
    "/care/exemplars/",
    "/care/exemplars/?format=xlsx",
    "/care/rank/?only=all",
    "/care/rank/?format=xlsx",
    "/care/meetings/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_for_org_staff(world: Any, data: dict, as_user: Any, url: str) -> None:
    assert as_user(world.city_admin).get(url).status_code == 200, url


def test_object_pages_render(world: Any, data: dict, as_user: Any) -> None:
    client = as_user(world.city_admin)
    for url in (
        f"/care/talks/{data['talk'].pk}/",
        f"/care/difficulties/{data['difficulty'].pk}/",
        f"/care/meetings/{data['meeting'].pk}/",
        f"/care/meetings/{data['meeting'].pk}/?format=xlsx",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/cadres/{world.cadre_a.pk}/").content.decode()
    assert "千名好支书" in page
    assert "经常性谈心谈话" in page
    assert "绝密摘要内容" not in page  # the timeline never shows the summary


@pytest.mark.parametrize(
    "url",
    [
        "/care/talks/{talk}/",
        "/care/difficulties/{difficulty}/",
        "/care/meetings/{meeting}/",
        "/care/talks/{talk}/summary/",
    ],
)
def test_out_of_scope_is_404(world: Any, data: dict, as_user: Any, url: str) -> None:
    ids = {k: v.pk for k, v in data.items() if hasattr(v, "pk")}
    assert as_user(data["admin_b"]).get(url.format(**ids)).status_code == 404


def test_summary_shown_to_org_staff_and_refused_to_discipline(
    world: Any, data: dict, as_user: Any
) -> None:
    url = f"/care/talks/{data['talk'].pk}/"
    assert "绝密摘要内容" in as_user(world.city_admin).get(url).content.decode()
    page = as_user(world.discipline_a).get(url)
    assert page.status_code == 200
    assert "绝密摘要内容" not in page.content.decode()
    refused = as_user(world.discipline_a).get(url + "summary/")
    assert refused.status_code == 403
    api = as_user(world.discipline_a).get(f"/api/v1/care/talks/{data['talk'].pk}/summary")
    assert api.status_code == 403
    assert "谈话摘要仅限谈话人" in api.json()["detail"]
    assert AuditEvent.objects.filter(action="authz_denied", actor_name="discipline_a").exists()


def test_the_talkee_sees_the_talk_but_not_its_summary(world: Any, data: dict, as_user: Any) -> None:
    client = as_user(world.cadre_user)
    page = client.get(f"/care/talks/{data['talk'].pk}/")
    assert page.status_code == 200
    assert "绝密摘要内容" not in page.content.decode()
    assert client.get(f"/api/v1/care/talks/{data['talk'].pk}/summary").status_code == 403


def test_unit_head_of_another_county_cannot_record_a_talk_there(
    world: Any, data: dict, as_user: Any
) -> None:
    response = as_user(world.head_b).post(
        "/care/talks/",
        {
            "talker": world.cadre_b.pk,
            "talkee": world.cadre_a.pk,
            "held_on": "2024-05-01",
            "kind": "routine",
            "summary": "x",
        },
    )
    assert response.status_code == 404
    assert HeartTalk.objects.count() == 1


def test_visit_and_difficulty_forms_refuse_bad_input(world: Any, data: dict, as_user: Any) -> None:
    client = as_user(world.head_a)
    future = client.post(
        "/care/visits/",
        {
            "cadre": world.cadre_a.pk,
            "visited_on": "2999-01-01",
            "occasion": "festival",
            "visitors": "县委组织部",
        },
        follow=True,
    )
    assert "走访日期不能晚于今天" in future.content.decode()
    assert not Visit.objects.exists()
    bad = client.post(
        f"/care/difficulties/{data['difficulty'].pk}/",
        {"status": "resolved", "resolution": "已解决", "version": data["difficulty"].version},
        follow=True,
    )
    assert "不能变为" in bad.content.decode()
    assert Difficulty.objects.get().status == "open"


def test_a_cadre_reports_a_difficulty(world: Any, as_user: Any) -> None:
    client = as_user(world.cadre_user)
    client.post("/care/my/difficulty/", {"category": "身体健康", "description": "需要体检"})
    assert Difficulty.objects.get().source == "self"


def test_api_rank_promotion_not_yet_eligible_is_400(world: Any, data: dict, as_user: Any) -> None:
    f.make_rank(world.cadre_b, "level2_clerk", date(2023, 5, 1))
    response = as_user(world.city_admin).post(
        "/api/v1/care/rank-promotions",
        {
            "cadre_id": world.cadre_b.pk,
            "to_rank": "level1_clerk",
            "effective_on": "2024-05-01",
            "basis": "部务会",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "尚不符合晋升职级条件" in response.json()["detail"]
    one = (
        as_user(world.city_admin)
        .get(f"/api/v1/care/cadres/{world.cadre_b.pk}/rank-eligibility?on=2025-05-01")
        .json()
    )
    assert one["eligible"] is True
    assert one["next_rank"] == "level1_clerk"


def test_api_coverage_talks_and_out_of_scope(world: Any, data: dict, as_user: Any) -> None:
    client = as_user(world.city_admin)
    rows = client.get("/api/v1/care/coverage?year=2024").json()["items"]
    assert any(r["unit"] == "东湖县财政局" and r["talked"] == 1 for r in rows)
    created = client.post(
        "/api/v1/care/talks",
        {
            "talker_id": world.cadre_a.pk,
            "talkee_id": world.cadre_b.pk,
            "held_on": "2024-05-01",
            "kind": "difficulty",
            "summary": "了解困难",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert as_user(data["admin_b"]).get(f"/api/v1/care/talks/{data['talk'].pk}").status_code == 404
    comment = as_user(world.head_a).post(
        f"/api/v1/care/presentations/{data['meeting'].presentations.get().pk}/comments",
        {"commenter_unit_id": world.organ_a.pk, "comment": "好", "score": 95},
        content_type="application/json",
    )
    assert comment.status_code == 201
    assert Decimal(comment.json()["score"]) == 95


def test_every_form_flow_works(world: Any, data: dict, as_user: Any) -> None:
    """Each POST path once (catches broken wiring)."""
    admin, head = as_user(world.city_admin), as_user(world.head_a)
    head.post(
        "/care/talks/",
        {
            "talker": world.cadre_a.pk,
            "talkee": world.cadre_town.pk,
            "held_on": "2024-05-01",
            "kind": "post_change",
            "summary": "任前谈话",
            "follow_up": "安排培训",
        },
    )
    talk = HeartTalk.objects.get(talkee=world.cadre_town)
    head.post(f"/care/talks/{talk.pk}/follow-up-done/", {"done_on": "2024-05-20", "note": "已报名"})
    assert HeartTalk.objects.get(pk=talk.pk).follow_up_done_on == date(2024, 5, 20)
    admin.post(
        "/care/oversight/",
        {"leader": world.cadre_a.pk, "unit": world.town_a.pk, "started_on": "2024-01-01"},
    )
    head.post(
        "/care/visits/",
        {
            "cadre": world.cadre_town.pk,
            "visited_on": "2024-02-01",
            "occasion": "festival",
            "visitors": "镇党委",
        },
    )
    assert Visit.objects.count() == 1
    head.post(
        "/care/difficulties/",
        {
            "cadre": world.cadre_town.pk,
            "source": "visit",
            "category": "身体健康",
            "description": "需要体检",
        },
    )
    d = Difficulty.objects.get(cadre=world.cadre_town)
    head.post(
        f"/care/difficulties/{d.pk}/",
        {"status": "assigned", "assignee": "县卫健局", "version": d.version},
    )
    assert Difficulty.objects.get(pk=d.pk).status == "assigned"
    admin.post("/care/honours/new/", {"name": "担当作为好干部", "level": "市级"})
    kind = HonourKind.objects.get(name="担当作为好干部")
    admin.post(
        "/care/exemplars/",
        {
            "cadre": world.cadre_town.pk,
            "kind": kind.pk,
            "year": 2024,
            "awarded_on": "2024-06-01",
            "citation": "敢于担当",
        },
    )
    dup = admin.post(
        "/care/exemplars/",
        {
            "cadre": world.cadre_town.pk,
            "kind": kind.pk,
            "year": 2024,
            "awarded_on": "2024-06-01",
            "citation": "再次",
        },
        follow=True,
    )
    assert "已获2024年度" in dup.content.decode()
    f.make_rank(world.cadre_b, "level2_clerk", date(2019, 1, 1))
    admin.post(
        f"/care/rank/{world.cadre_b.pk}/promote/",
        {"to_rank": "level1_clerk", "effective_on": "2024-06-01", "basis": "部务会"},
    )
    world.cadre_b.refresh_from_db()
    assert world.cadre_b.rank == "level1_clerk"
    admin.post(
        "/care/meetings/",
        {
            "title": "点评会",
            "kind": "review",
            "held_on": "2024-06-01",
            "place": "市委",
            "org_unit": world.city.pk,
        },
    )
    meeting = data["meeting"]
    admin.post(
        f"/care/meetings/{meeting.pk}/present/", {"unit": world.organ_a.pk, "materials": "财政改革"}
    )
    presentation = meeting.presentations.get(unit=world.organ_a)
    head.post(
        f"/care/presentations/{presentation.pk}/comment/",
        {"commenter_unit": world.town_a.pk, "comment": "好", "score": "90"},
    )
    assert presentation.comments.count() == 1


def test_out_of_scope_writes_are_404_and_write_nothing(
    world: Any, data: dict, as_user: Any
) -> None:
    f.make_rank(world.cadre_a, "level2_clerk", date(2019, 1, 1))
    client = as_user(data["admin_b"])
    promote = client.post(
        f"/care/rank/{world.cadre_a.pk}/promote/",
        {"to_rank": "level1_clerk", "effective_on": "2024-06-01", "basis": "越权"},
    )
    move = client.post(
        f"/care/difficulties/{data['difficulty'].pk}/",
        {"status": "assigned", "assignee": "x", "version": data["difficulty"].version},
    )
    visit = client.post(
        "/care/visits/",
        {
            "cadre": world.cadre_a.pk,
            "visited_on": "2024-01-01",
            "occasion": "festival",
            "visitors": "x",
        },
    )
    assert (promote.status_code, move.status_code, visit.status_code) == (404, 404, 404)
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.rank != "level1_clerk"
    assert Difficulty.objects.get(pk=data["difficulty"].pk).status == "open"
    assert not Visit.objects.exists()


def test_exemplar_links_to_its_notice(world: Any, data: dict, as_user: Any) -> None:
    data["exemplar"].__class__.objects.filter(pk=data["exemplar"].pk).update(notice_ref="7")
    page = as_user(world.city_admin).get("/care/exemplars/").content.decode()
    assert "/accountability/notices/7/" in page
