"""Care services against the database: confidentiality of talk summaries, coverage and
must-talk pairs, triggered talks, difficulties, exemplars, rank promotion, meetings."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from cadre.audit.models import AuditEvent
from cadre.cadres.models import Cadre, LeadershipTeam, RankRecord, TeamMembership
from cadre.cadres.services import refresh_current_post
from cadre.care import services as s
from cadre.care.models import Difficulty, Exemplar, HonourKind, PeerComment, RankPromotion
from cadre.core.models import RuleSetting
from cadre.orgs.models import OrgUnit
from tests import factories as f

TODAY = date(2024, 6, 30)


@pytest.fixture
def talk(world: Any) -> Any:
    talker = f.make_cadre(world.county_a, "县委书记")
    f.make_user("secretary", cadre=talker)
    return s.record_talk(
        by=world.head_a,
        talker=talker,
        talkee=world.cadre_a,
        held_on=date(2024, 3, 1),
        kind="routine",
        summary="家中老人患病，思想压力较大",
        issues_raised="希望调整值班",
        follow_up="协调值班",
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("city_admin", True),
        ("head_a", True),
        ("discipline_a", False),
        ("auditor", False),
        ("cadre_user", False),
    ],  # cadre_user is the talkee: the summary is not theirs to read
)
def test_who_may_read_a_talk_summary(world: Any, talk: Any, persona: str, allowed: bool) -> None:
    user = getattr(world, persona)
    if allowed:
        assert s.read_summary(user=user, talk=talk) == talk.summary
        assert AuditEvent.objects.filter(action="view_summary").exists()
    else:
        with pytest.raises(PermissionDenied, match="谈话摘要仅限谈话人"):
            s.read_summary(user=user, talk=talk)
        assert AuditEvent.objects.filter(action="authz_denied", object_id=str(talk.pk)).exists()


def test_the_talker_reads_and_the_chain_setting_is_honoured(world: Any, talk: Any) -> None:
    from cadre.accounts.models import User

    talker_user = User.objects.get(username="secretary")
    assert s.read_summary(user=talker_user, talk=talk)
    RuleSetting.objects.create(key="care.talk.summary_chain", value=False)
    with pytest.raises(PermissionDenied):
        s.read_summary(user=world.head_a, talk=talk)


def test_a_talk_with_oneself_or_in_the_future_is_refused(world: Any) -> None:
    with pytest.raises(s.CareError, match="同一人"):
        s.record_talk(
            by=world.head_a,
            talker=world.cadre_a,
            talkee=world.cadre_a,
            held_on=TODAY,
            kind="routine",
            summary="x",
            today=TODAY,
        )
    with pytest.raises(s.CareError, match="不能晚于今天"):
        s.record_talk(
            by=world.head_a,
            talker=world.cadre_town,
            talkee=world.cadre_a,
            held_on=date(2024, 7, 1),
            kind="routine",
            summary="x",
            today=TODAY,
        )


def test_coverage_by_unit(world: Any, talk: Any) -> None:
    rows = {r["unit"]: r for r in s.coverage_by_unit(Cadre.objects.all(), 2024)}
    assert (rows["东湖县财政局"]["talked"], rows["东湖县财政局"]["share"]) == (1, Decimal(100))
    assert rows["东湖县青石镇"]["share"] == Decimal(0)
    assert s.talked_to([world.cadre_a.pk, world.cadre_b.pk], 2024) == {
        world.cadre_a.pk: 1,
        world.cadre_b.pk: 0,
    }


def test_must_talk_pairs_not_yet_done(world: Any, talk: Any) -> None:
    team = LeadershipTeam.objects.create(org_unit=world.county_a, name="东湖县委班子")
    secretary = talk.talker
    deputy = f.make_cadre(world.county_a, "副书记")
    for cadre, role in ((secretary, "head"), (deputy, "deputy"), (world.cadre_a, "member")):
        TeamMembership.objects.create(
            team=team, cadre=cadre, role=role, started_on=date(2020, 1, 1)
        )
    organ_team = LeadershipTeam.objects.create(org_unit=world.town_a, name="青石镇班子")
    TeamMembership.objects.create(
        team=organ_team, cadre=world.cadre_town, role="head", started_on=date(2020, 1, 1)
    )
    s.assign_oversight(
        by=world.city_admin, leader=deputy, unit=world.town_a, started_on=date(2020, 1, 1)
    )
    missing = s.missing_must_talks(OrgUnit.objects.all(), 2024)
    pairs = {(p.a_name, p.b_name, p.label) for p in missing}
    assert pairs == {
        ("县委书记", "副书记", "书记（主要负责人）与班子成员"),
        ("李乙", "副书记", "班子成员与分管单位主要负责人"),
    }


def test_talks_due_after_a_new_post(world: Any) -> None:
    pos = f.make_position(world.town_a, "副镇长")
    f.make_appointment(world.cadre_town, pos, date(2024, 6, 1))
    due = s.talks_due(Cadre.objects.all(), TODAY)
    assert [(d.event.cadre_id, d.due_on, d.overdue) for d in due] == [
        (world.cadre_town.pk, date(2024, 7, 1), False)
    ]
    s.record_talk(
        by=world.head_a,
        talker=world.cadre_a,
        talkee=world.cadre_town,
        held_on=date(2024, 6, 10),
        kind="post_change",
        summary="任职谈话",
        today=TODAY,
    )
    assert s.talks_due(Cadre.objects.all(), TODAY) == []


def test_difficulty_followed_to_resolution(world: Any) -> None:
    d = s.report_difficulty(
        by=world.cadre_user,
        cadre=world.cadre_a,
        category="子女就学",
        description="子女转学",
        source="self",
        on=TODAY,
    )
    with pytest.raises(s.CareError, match="只能由干部本人"):
        s.report_difficulty(
            by=world.head_a,
            cadre=world.cadre_a,
            category="住房",
            description="x",
            source="self",
            on=TODAY,
        )
    with pytest.raises(s.CareError, match="不能变为"):
        s.move_difficulty(
            by=world.head_a,
            difficulty=d,
            status="resolved",
            version=d.version,
            on=TODAY,
            resolution="已解决",
        )
    d = s.move_difficulty(
        by=world.head_a,
        difficulty=d,
        status="assigned",
        version=d.version,
        on=TODAY,
        assignee="县教育局",
        due_on=date(2024, 7, 30),
    )
    with pytest.raises(s.CareError, match="已被他人处理"):
        s.move_difficulty(
            by=world.head_a, difficulty=d, status="resolved", version=1, on=TODAY, resolution="x"
        )
    d = s.move_difficulty(
        by=world.head_a,
        difficulty=d,
        status="resolved",
        version=d.version,
        on=date(2024, 7, 10),
        resolution="已协调转学",
    )
    assert (d.status, d.resolved_on) == ("resolved", date(2024, 7, 10))
    assert Difficulty.objects.count() == 1


def test_exemplar_kinds_seeded_and_duplicates_refused(world: Any) -> None:
    assert set(HonourKind.objects.values_list("name", flat=True)) >= {
        "千名好支书",
        "优秀乡镇党委书记",
        "优秀县委书记",
    }
    kind = HonourKind.objects.get(name="优秀乡镇党委书记")
    s.award_exemplar(
        by=world.city_admin,
        cadre=world.cadre_town,
        kind=kind,
        year=2023,
        awarded_on=date(2024, 1, 10),
        citation="带领群众脱贫",
    )
    with pytest.raises(s.CareError, match="已获2023年度"):
        s.award_exemplar(
            by=world.city_admin,
            cadre=world.cadre_town,
            kind=kind,
            year=2023,
            awarded_on=date(2024, 1, 10),
            citation="重复",
        )
    assert Exemplar.objects.count() == 1


def test_rank_promotion_refused_before_eligible_then_done(world: Any) -> None:
    f.make_rank(world.cadre_b, "level4_principal_clerk", date(2022, 9, 1))
    refresh_current_post(world.cadre_b)
    cadre = Cadre.objects.get(pk=world.cadre_b.pk)
    with pytest.raises(s.CareError, match=r"尚不符合晋升职级条件.*2024-09-01"):
        s.promote_rank(
            by=world.city_admin,
            cadre=cadre,
            to_rank="level3_principal_clerk",
            effective_on=date(2024, 6, 30),
            basis="部务会研究",
        )
    with pytest.raises(s.CareError, match="逐级晋升"):
        s.promote_rank(
            by=world.city_admin,
            cadre=cadre,
            to_rank="level2_principal_clerk",
            effective_on=date(2024, 9, 2),
            basis="部务会研究",
        )
    assert RankRecord.objects.filter(cadre=cadre).count() == 1
    assert not RankPromotion.objects.exists()
    s.promote_rank(
        by=world.city_admin,
        cadre=cadre,
        to_rank="level3_principal_clerk",
        effective_on=date(2024, 9, 2),
        basis="部务会研究",
    )
    cadre.refresh_from_db()
    assert cadre.rank == "level3_principal_clerk"
    assert RankRecord.objects.get(cadre=cadre, rank="level4_principal_clerk").ended_on == date(
        2024, 9, 2
    )


def test_rank_eligibility_list_per_unit(world: Any) -> None:
    f.make_rank(world.cadre_a, "level1_clerk", date(2019, 1, 1))
    f.make_rank(world.cadre_b, "level1_clerk", date(2023, 1, 1))
    rows = {r.cadre_id: r for r in s.rank_eligibility_for(Cadre.objects.all(), TODAY)}
    assert rows[world.cadre_a.pk].result.eligible
    assert rows[world.cadre_a.pk].result.next_rank == "level4_principal_clerk"
    assert not rows[world.cadre_b.pk].result.eligible
    assert rows[world.cadre_town.pk].result.next_rank is None


def test_peer_comment_rules(world: Any) -> None:
    meeting = s.create_meeting(
        by=world.city_admin,
        title="乡镇工作点评会",
        kind="review",
        held_on=TODAY,
        place="县会议中心",
        org_unit=world.county_a,
    )
    p = s.add_presentation(
        by=world.city_admin, meeting=meeting, unit=world.town_a, materials="美丽乡村建设经验"
    )
    with pytest.raises(s.CareError, match="不能点评本单位"):
        s.add_peer_comment(
            by=world.head_a,
            presentation=p,
            commenter_unit=world.town_a,
            comment="好",
            score=Decimal(90),
        )
    with pytest.raises(s.CareError, match="0至100"):
        s.add_peer_comment(
            by=world.head_a,
            presentation=p,
            commenter_unit=world.organ_a,
            comment="好",
            score=Decimal(101),
        )
    s.add_peer_comment(
        by=world.head_a,
        presentation=p,
        commenter_unit=world.organ_a,
        comment="做法可复制",
        score=Decimal(92),
    )
    with pytest.raises(s.CareError, match="已点评过"):
        s.add_peer_comment(
            by=world.head_a,
            presentation=p,
            commenter_unit=world.organ_a,
            comment="再评",
            score=Decimal(80),
        )
    assert PeerComment.objects.count() == 1


def test_a_measure_triggers_a_talk_and_blocks_rank_promotion(world: Any) -> None:
    # 五必谈 after a sanction (DOMAIN.md 7); no rank promotion inside an influence period
    # (DOMAIN.md 5) — both read from the accountability app where it exists.
    acc = pytest.importorskip("cadre.accountability.services")
    f.make_rank(world.cadre_b, "level1_clerk", date(2019, 1, 1))
    before = s.rank_eligibility_for(Cadre.objects.filter(pk=world.cadre_b.pk), TODAY)[0]
    assert before.result.eligible
    acc.record_measure(
        by=world.city_admin,
        cadre=world.cadre_b,
        data=acc.MeasureInput(
            kind="admonishment",
            issuing_body="西山县纪委",
            decided_on=date(2024, 6, 1),
            effective_on=date(2024, 6, 1),
            facts="推诿扯皮",
            article="问责条例",
        ),
    )
    after = s.rank_eligibility_for(Cadre.objects.filter(pk=world.cadre_b.pk), TODAY)[0]
    assert not after.result.eligible
    assert any("影响期" in r for r in after.result.reasons)
    due = s.talks_due(Cadre.objects.all(), TODAY)
    assert any(d.event.cadre_id == world.cadre_b.pk and "问责处理" in d.event.label for d in due)


def test_coverage_rolls_up_to_the_units_below_the_scope(world: Any, talk: Any) -> None:
    by_county = {
        r["unit"]: (r["total"], r["talked"])
        for r in s.coverage_by_unit(Cadre.objects.all(), 2024, world.city)
    }
    assert by_county == {"东湖县": (3, 1), "西山县": (1, 0)}  # 县委书记, 王甲, 李乙 | 赵丙
