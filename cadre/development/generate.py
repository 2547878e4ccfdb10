"""Synthetic training, secondments, kinship records and a draft rotation plan.

Reads the generated registry and bulk-creates in batches; no query per cadre. Two years:
last year's sessions closed with attendance, results, evaluations and most follow-ups;
this year's partly held. About 1.5 enrolments per cadre and year; about 1% of cadres out on
a secondment, some with overdue reports. Deterministic for a seed.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.cadres.models import Appointment, Cadre, CadreStatus
from cadre.development import rules
from cadre.development.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    Placement,
    PlacementKind,
    PlacementReport,
    PlacementStatus,
    Relative,
    RotationMove,
    RotationPlan,
    SessionStatus,
    TrainingEvaluation,
    TrainingFollowUp,
    TrainingKind,
    TrainingProgramme,
    TrainingSession,
    TrainingTopic,
)
from cadre.orgs.models import OrgUnit, Position

BATCH = 2000
SEED_OFFSET = 11
TRAINERS = [
    "省委党校",
    "市委党校",
    "县委党校",
    "浙江大学",
    "浙江行政学院",
    "中国浦东干部学院",
    "井冈山干部学院",
    "延安干部学院",
    "省财政厅",
    "省发展改革委",
]
PLACES = ["省委党校", "市委党校", "县委党校", "浙江大学紫金港校区", "干部教育基地"]
KIND_WEIGHTS = [
    (TrainingKind.IN_SERVICE, 5),
    (TrainingKind.SPECIALIZED, 4),
    (TrainingKind.SEMINAR, 2),
    (TrainingKind.APPOINTMENT, 1),
    (TrainingKind.INITIAL, 1),
]
HOSTS = [
    "长三角一体化示范区",
    "山海协作产业园",
    "省重点项目指挥部",
    "信访局接待大厅",
    "乡村振兴重点帮扶村",
    "省发展改革委",
    "数字经济改革专班",
    "海岛乡镇",
]
PROGRAMMES = ["新百人计划", "", "", "年轻干部递进培养计划", "山海协作干部互派"]


def generate(*, scale: str, seed: int, log: Callable[[str], None]) -> None:
    rng = random.Random(seed + SEED_OFFSET)
    today = timezone.localdate()
    with transaction.atomic():
        cadres = list(
            Cadre.objects.filter(status=CadreStatus.ACTIVE).values_list(
                "id", "org_unit_id", "joined_work_on"
            )
        )
        if not cadres:
            log("  没有干部数据，跳过")
            return
        paths = dict(OrgUnit.objects.values_list("id", "path"))
        sessions = _catalogue(rng, today, cadres, paths)
        log(f"  培训项目 {TrainingProgramme.objects.count():,} 个，班次 {len(sessions):,} 个")
        n = _enrolments(rng, today, cadres, paths, sessions)
        log(f"  培训报名 {n:,} 人次")
        n = _placements(rng, today, cadres, paths)
        log(f"  挂职 {n:,} 人")
        n = _relatives(rng, cadres)
        log(f"  亲属关系 {n:,} 对")
        n = _plan(rng, today, paths)
        log(f"  轮岗交流方案（草拟）人选 {n:,} 人")


# --- training ----------------------------------------------------------------------------------


def _organisers(paths: dict[int, str]) -> list[int]:
    """Units that run training: the root and the units one level down that have children."""
    depth = {u: p.count("/") - 2 for u, p in paths.items()}
    parents = {int(p.strip("/").split("/")[-2]) for p in paths.values() if p.count("/") > 2}
    return sorted(
        (u for u, d in depth.items() if d == 0 or (d == 1 and u in parents)),
        key=lambda u: (depth[u], u),
    )


def _catalogue(
    rng: random.Random, today: date, cadres: list, paths: dict[int, str]
) -> list[TrainingSession]:
    topics = list(TrainingTopic.objects.all())
    organisers = _organisers(paths)
    per_year = max(4, round(len(cadres) * 1.5 / 45))
    programmes = []
    for i in range(max(6, per_year // 3)):
        kind = rng.choices([k for k, _ in KIND_WEIGHTS], [w for _, w in KIND_WEIGHTS])[0]
        chosen = rng.sample(topics, rng.randint(1, 2))
        programmes.append(
            (
                TrainingProgramme(
                    name=f"{chosen[0].name}{TrainingKind(kind).label}（第{i + 1}期）",
                    kind=kind,
                    trainer=rng.choice(TRAINERS),
                    org_unit_id=organisers[0] if rng.random() < 0.5 else rng.choice(organisers),
                    description=f"围绕{'、'.join(t.name for t in chosen)}开展专业化能力培训",
                ),
                chosen,
            )
        )
    TrainingProgramme.objects.bulk_create([p for p, _ in programmes], batch_size=BATCH)
    through = TrainingProgramme.topics.through
    through.objects.bulk_create(
        [
            through(trainingprogramme_id=p.pk, trainingtopic_id=t.pk)
            for p, chosen in programmes
            for t in chosen
        ],
        batch_size=BATCH,
    )
    sessions = []
    for year in (today.year - 1, today.year):
        for k in range(per_year):
            programme = programmes[k % len(programmes)][0]
            start = date(year, 1, 8) + timedelta(days=rng.randint(0, 330))
            days = rng.randint(2, 5)
            end = start + timedelta(days=days - 1)
            sessions.append(
                TrainingSession(
                    programme=programme,
                    title=f"{year}年第{k // len(programmes) + 1}期",
                    starts_on=start,
                    ends_on=end,
                    place=rng.choice(PLACES),
                    capacity=rng.randint(30, 60),
                    hours=Decimal(8 * days),
                    status=SessionStatus.CLOSED if end < today else SessionStatus.OPEN,
                )
            )
    TrainingSession.objects.bulk_create(sessions, batch_size=BATCH)
    return sessions


def _enrolments(
    rng: random.Random,
    today: date,
    cadres: list,
    paths: dict[int, str],
    sessions: list[TrainingSession],
) -> int:
    under: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    organisers = {s.programme.org_unit_id for s in sessions}
    for cid, uid, joined in cadres:
        for part in paths[uid].strip("/").split("/"):
            if int(part) in organisers:
                under[int(part)].append((cid, joined))
    rows, plans = [], []
    for s in sessions:
        pool = under.get(s.programme.org_unit_id, [])
        if s.programme.kind == TrainingKind.INITIAL:
            pool = [c for c in pool if c[1] and c[1] >= s.starts_on - timedelta(days=365)] or pool
        chosen = rng.sample(pool, min(len(pool), round(s.capacity * rng.uniform(0.7, 1.0))))
        for cid, _ in chosen:
            plans.append((s, _status(rng, s, today)))
            rows.append(Enrolment(session=s, cadre_id=cid, year=s.starts_on.year))
    for (s, (status, result)), e in zip(plans, rows, strict=True):
        e.status, e.result = status, result
        held = min(s.ends_on, today) - s.starts_on
        days = max(held.days + 1, 0) if status != EnrolmentStatus.WITHDRAWN else 0
        e.hours = Decimal(8 * days) if status == EnrolmentStatus.COMPLETED else Decimal(0)
    Enrolment.objects.bulk_create(rows, batch_size=BATCH)
    _attendance_and_feedback(rng, today, rows)
    return len(rows)


def _status(rng: random.Random, s: TrainingSession, today: date) -> tuple[str, str]:
    if s.ends_on >= today:
        return EnrolmentStatus.ENROLLED, ""
    roll = rng.random()
    if roll < 0.04:
        return EnrolmentStatus.WITHDRAWN, ""
    result = rng.choices(["excellent", "passed", "failed"], [2, 10, 0.3])[0]
    return EnrolmentStatus.COMPLETED, result


def _attendance_and_feedback(rng: random.Random, today: date, rows: list[Enrolment]) -> None:
    attendance, evaluations, follow_ups = [], [], []
    months = int(rules.FOLLOW_UP_MONTHS.default)
    for e in rows:
        if e.status != EnrolmentStatus.COMPLETED:
            continue
        s = e.session
        for i in range((s.ends_on - s.starts_on).days + 1):
            attendance.append(
                Attendance(
                    enrolment=e, day=s.starts_on + timedelta(days=i), hours=Decimal(8), present=True
                )
            )
        if rng.random() < 0.7:
            evaluations.append(
                TrainingEvaluation(
                    enrolment=e,
                    content_score=rng.randint(3, 5),
                    trainer_score=rng.randint(3, 5),
                    usefulness_score=rng.randint(2, 5),
                    comment="",
                )
            )
        due = rules.add_months(s.ends_on, months)
        if due <= today and rng.random() < 0.6:
            follow_ups.append(
                TrainingFollowUp(
                    enrolment=e,
                    due_on=due,
                    supervisor=None,
                    applied=rng.random() < 0.8,
                    rating=rng.randint(2, 5),
                    how="培训所学已运用于日常工作",
                )
            )
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)
    TrainingEvaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    TrainingFollowUp.objects.bulk_create(follow_ups, batch_size=BATCH)


# --- secondments, kinship, rotation ------------------------------------------------------------


def _placements(rng: random.Random, today: date, cadres: list, paths: dict[int, str]) -> int:
    units = list(paths)
    rows, reports = [], []
    for cid, uid, _ in rng.sample(cadres, max(1, len(cadres) // 60)):
        start = today - timedelta(days=rng.randint(30, 900))
        end = rules.add_months(start, rng.choice([6, 12, 24]))
        done = end < today
        host = rng.choice(units) if rng.random() < 0.5 else None
        rows.append(
            Placement(
                cadre_id=cid,
                home_unit_id=uid,
                host_unit_id=host,
                host_name=rng.choice(HOSTS),
                post_title=rng.choice(["挂职副县长", "挂职副镇长", "项目副指挥", "挂职副主任", ""]),
                kind=rng.choice(PlacementKind.values),
                programme=rng.choice(PROGRAMMES),
                started_on=start,
                planned_end_on=end,
                ended_on=end if done else None,
                status=PlacementStatus.ENDED if done else PlacementStatus.ACTIVE,
                report_every_months=3,
                host_grade=rng.choice(["excellent", "good", "good"]) if done else "",
                host_comment="表现突出，完成挂职任务" if done else "",
                evaluated_on=end if done else None,
            )
        )
    Placement.objects.bulk_create(rows, batch_size=BATCH)
    for p in rows:
        for period_end in rules.report_period_ends(p.started_on, min(p.planned_end_on, today), 3):
            if rng.random() < 0.85:
                reports.append(
                    PlacementReport(
                        placement=p,
                        period_end=period_end,
                        submitted_on=period_end + timedelta(days=3),
                        text="本期挂职工作情况报告",
                    )
                )
    PlacementReport.objects.bulk_create(reports, batch_size=BATCH)
    return len(rows)


def _relatives(rng: random.Random, cadres: list) -> int:
    by_unit: dict[int, list[int]] = defaultdict(list)
    for cid, uid, _ in cadres:
        by_unit[uid].append(cid)
    pairs: set[tuple[int, int]] = set()
    ids = [c[0] for c in cadres]
    for _ in range(max(1, len(cadres) // 200)):
        a = rng.choice(ids)
        b = rng.choice(ids)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    rows = [
        Relative(
            cadre_id=a,
            relative_id=b,
            relation=rng.choice(["spouse", "direct_blood", "collateral", "close_in_law"]),
        )
        for a, b in sorted(pairs)
    ]
    Relative.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _plan(rng: random.Random, today: date, paths: dict[int, str]) -> int:
    root = min(paths, key=lambda u: (paths[u].count("/"), u))
    cutoff = today.replace(year=today.year - 8)
    current = list(
        Appointment.objects.filter(
            ended_on__isnull=True,
            is_primary=True,
            started_on__lte=cutoff,
            cadre__status=CadreStatus.ACTIVE,
        ).values_list("id", "cadre_id", "position_id")[:2000]
    )
    positions = list(
        Position.objects.filter(abolished_on__isnull=True, is_leadership=False).values_list(
            "id", flat=True
        )[:5000]
    )
    if not current or not positions:
        return 0
    plan = RotationPlan.objects.create(
        year=today.year,
        title=f"{today.year}年度干部轮岗交流方案（草案）",
        org_unit_id=root,
        effective_on=date(today.year, 12, 1) if today < date(today.year, 12, 1) else today,
    )
    chosen = rng.sample(current, min(20, len(current)))
    moves = [
        RotationMove(
            plan=plan,
            cadre_id=cid,
            from_appointment_id=aid,
            to_position_id=rng.choice([p for p in positions if p != pid] or [pid]),
            reason="同一职位任职时间较长",
        )
        for aid, cid, pid in chosen
    ]
    RotationMove.objects.bulk_create(moves, batch_size=BATCH)
    return len(moves)
