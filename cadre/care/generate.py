"""Synthetic talks, oversight, visits, difficulties, exemplars and exchange meetings.

Reads the generated registry and bulk-creates in batches; no query per cadre. Talks cover
about 85% of cadres last year and a growing share this year; most 必谈 pairs are done.
Deterministic for a seed.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cadre.cadres.models import Cadre, CadreStatus, TeamMembership
from cadre.care.models import (
    Difficulty,
    DifficultyStatus,
    ExchangeMeeting,
    Exemplar,
    HeartTalk,
    HonourKind,
    MeetingKind,
    Oversight,
    PeerComment,
    Presentation,
    TalkKind,
    Visit,
    VisitOccasion,
)
from cadre.orgs.models import OrgUnit

BATCH = 2000
SEED_OFFSET = 13
SUMMARIES = [
    "交流近期工作思路，肯定成绩，指出不足",
    "了解思想动态和家庭情况，鼓励担当作为",
    "就分管工作推进情况交换意见",
    "提醒注意工作方法，加强与群众沟通",
    "听取对班子建设的意见建议",
]
ISSUES = ["", "", "工作压力较大", "希望参加专业培训", "家中老人需要照顾", "子女就学问题"]
CATEGORIES = ["住房", "子女就学", "身体健康", "家庭照护", "夫妻两地分居"]


def generate(*, scale: str, seed: int, log: Callable[[str], None]) -> None:
    rng = random.Random(seed + SEED_OFFSET)
    today = timezone.localdate()
    with transaction.atomic():
        cadres = list(
            Cadre.objects.filter(status=CadreStatus.ACTIVE).values_list("id", "org_unit_id")
        )
        if not cadres:
            log("  没有干部数据，跳过")
            return
        heads, members = _teams()
        paths = dict(OrgUnit.objects.values_list("id", "path"))
        n = _talks(rng, today, cadres, heads, members, paths)
        log(f"  谈心谈话 {n:,} 次")
        n = _oversight(rng, heads, members, paths)
        log(f"  分管联系 {n:,} 条")
        n = _visits_and_difficulties(rng, today, cadres)
        log(f"  走访与困难 {n:,} 条")
        n = _exemplars(rng, today, heads)
        log(f"  先进典型 {n:,} 人")
        n = _meetings(rng, today, paths)
        log(f"  交流会 {n:,} 场")


def _teams() -> tuple[dict[int, int], dict[int, list[int]]]:
    """Team head per unit, and the team's other members per unit (current memberships)."""
    heads: dict[int, int] = {}
    members: dict[int, list[int]] = defaultdict(list)
    for uid, cid, role in TeamMembership.objects.filter(ended_on__isnull=True).values_list(
        "team__org_unit_id", "cadre_id", "role"
    ):
        if role == "head":
            heads[uid] = cid
        else:
            members[uid].append(cid)
    return heads, members


def _talker_for(uid: int, cid: int, heads: dict[int, int], paths: dict[int, str]) -> int | None:
    for part in reversed(paths[uid].strip("/").split("/")):
        head = heads.get(int(part))
        if head is not None and head != cid:
            return head
    return None


def _talks(
    rng: random.Random,
    today: date,
    cadres: list,
    heads: dict[int, int],
    members: dict[int, list[int]],
    paths: dict[int, str],
) -> int:
    rows = []
    for year, share in ((today.year - 1, 0.85), (today.year, 0.6)):
        last = date(year, 12, 31) if year < today.year else today
        span = (last - date(year, 1, 1)).days
        for cid, uid in cadres:
            talker = _talker_for(uid, cid, heads, paths)
            if talker is None or rng.random() > share:
                continue
            rows.append(
                HeartTalk(
                    talker_id=talker,
                    talkee_id=cid,
                    held_on=date(year, 1, 1) + timedelta(days=rng.randint(0, max(span, 0))),
                    kind=rng.choices(
                        [
                            TalkKind.ROUTINE,
                            TalkKind.ENCOURAGEMENT,
                            TalkKind.REMINDER,
                            TalkKind.DIFFICULTY,
                        ],
                        [8, 2, 1, 1],
                    )[0],
                    summary=rng.choice(SUMMARIES),
                    issues_raised=rng.choice(ISSUES),
                    follow_up="",
                    recorded_by=None,
                )
            )
        for uid, head in heads.items():  # the secretary with each team member
            for cid in members.get(uid, []):
                if rng.random() < 0.8:
                    rows.append(
                        HeartTalk(
                            talker_id=head,
                            talkee_id=cid,
                            kind=TalkKind.ROUTINE,
                            held_on=date(year, 1, 1) + timedelta(days=rng.randint(0, max(span, 0))),
                            summary=rng.choice(SUMMARIES),
                            recorded_by=None,
                        )
                    )
    HeartTalk.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _oversight(
    rng: random.Random, heads: dict[int, int], members: dict[int, list[int]], paths: dict[int, str]
) -> int:
    rows = []
    for uid in heads:
        parts = paths[uid].strip("/").split("/")
        parent = int(parts[-2]) if len(parts) > 1 else None
        deputies = members.get(parent, []) if parent else []
        if deputies:
            rows.append(
                Oversight(leader_id=rng.choice(deputies), unit_id=uid, started_on=date(2020, 1, 1))
            )
    Oversight.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _visits_and_difficulties(rng: random.Random, today: date, cadres: list) -> int:
    visits, problems = [], []
    for cid, _ in rng.sample(cadres, max(1, len(cadres) // 20)):
        visits.append(
            Visit(
                cadre_id=cid,
                visited_on=today - timedelta(days=rng.randint(1, 500)),
                occasion=rng.choice(VisitOccasion.values),
                visitors="组织部、单位党组织",
                notes="送去组织关怀",
                recorded_by=None,
            )
        )
    for cid, _ in rng.sample(cadres, max(1, len(cadres) // 50)):
        reported = today - timedelta(days=rng.randint(1, 400))
        status = rng.choices(DifficultyStatus.values, [1, 2, 5, 1])[0]
        assigned = status != DifficultyStatus.OPEN
        finished = status in (DifficultyStatus.RESOLVED, DifficultyStatus.CLOSED)
        problems.append(
            Difficulty(
                cadre_id=cid,
                reported_on=reported,
                source=rng.choice(["self", "talk", "visit"]),
                category=rng.choice(CATEGORIES),
                description="需要组织协调解决",
                status=status,
                assignee="单位党组织" if assigned else "",
                assigned_on=reported + timedelta(days=3) if assigned else None,
                due_on=reported + timedelta(days=33) if assigned else None,
                resolved_on=min(today, reported + timedelta(days=rng.randint(5, 60)))
                if finished
                else None,
                resolution="已协调解决" if finished else "",
            )
        )
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    Difficulty.objects.bulk_create(problems, batch_size=BATCH)
    return len(visits) + len(problems)


def _exemplars(rng: random.Random, today: date, heads: dict[int, int]) -> int:
    kinds = list(HonourKind.objects.all())
    chosen = rng.sample(sorted(heads.values()), max(1, len(heads) // 25))
    rows = [
        Exemplar(
            cadre_id=cid,
            kind=rng.choice(kinds),
            year=today.year - 1,
            awarded_on=date(today.year, 1, 15)
            if today >= date(today.year, 1, 15)
            else date(today.year - 1, 12, 20),
            citation="勇于担当、实绩突出，带领干部群众攻坚克难",
            publicity="在组工信息、当地媒体宣传报道",
        )
        for cid in set(chosen)
    ]
    Exemplar.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _meetings(rng: random.Random, today: date, paths: dict[int, str]) -> int:
    children: dict[int, list[int]] = defaultdict(list)
    for uid, path in paths.items():
        parts = path.strip("/").split("/")
        if len(parts) > 1:
            children[int(parts[-2])].append(uid)
    hosts = [u for u, kids in children.items() if len(kids) >= 4 and paths[u].count("/") <= 3]
    meetings, presentations, comments = [], [], []
    for uid in hosts[:60]:
        kind = rng.choice(["exchange", "on_site", "review"])
        meeting = ExchangeMeeting(
            title=f"{today.year}年“晒实绩、比业绩”{MeetingKind(kind).label}",
            kind=kind,
            held_on=today - timedelta(days=rng.randint(10, 200)),
            place="会议中心",
            theme="比学赶超、争先创优",
            org_unit_id=uid,
        )
        meetings.append(meeting)
        units = rng.sample(children[uid], min(5, len(children[uid])))
        for unit in units:
            p = Presentation(
                meeting=meeting,
                unit_id=unit,
                materials="年度重点工作推进情况",
                results="主要指标完成进度领先",
            )
            presentations.append(p)
            for other in units:
                if other != unit:
                    comments.append(
                        PeerComment(
                            presentation=p,
                            commenter_unit_id=other,
                            comment="做法扎实，可复制推广",
                            recorded_by=None,
                            score=Decimal(rng.randint(75, 98)),
                        )
                    )
    ExchangeMeeting.objects.bulk_create(meetings, batch_size=BATCH)
    Presentation.objects.bulk_create(presentations, batch_size=BATCH)
    PeerComment.objects.bulk_create(comments, batch_size=BATCH)
    return len(meetings)
