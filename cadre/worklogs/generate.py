"""Synthetic daily logs, weekly reviews and quarter grades for every active cadre.

A year of logs per cadre (the 365 days up to yesterday, about 245 working days), with
realistic habits: most cadres log almost every day, some miss days or log late (within
the late window), a few copy yesterday's text, sometimes with a small edit. Weeks are
reviewed by the unit head (the last fortnight left in the queue); complete quarters get
proposals through the real service, mostly confirmed, a few changed with a reason and a
few under review (复核).

Set-based: rows are streamed per batch of cadres; on PostgreSQL they go in with COPY
(psycopg 3 `cursor.copy`), elsewhere with `executemany`. Deterministic for a seed on a
given day (the year ends yesterday, like the other apps' "today").
"""

import functools
import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from cadre.accounts.models import User
from cadre.cadres.models import Cadre, CadreStatus
from cadre.workdays import services as workdays
from cadre.workdays.rules import UnknownYearError
from cadre.worklogs import rules
from cadre.worklogs.models import GradeStatus, QuarterGrade, WeekReview, WorkLog
from cadre.worklogs.services import late_window, propose_quarter_grades

CADRES_PER_BATCH = 500
TEXT_POOL = 5_000  # distinct texts drawn from per seed (composing each log costs too much)
TZ = ZoneInfo("Asia/Shanghai")
REVIEWER = "worklogs-generator"

MORNING = [
    "参加{unit}党组(党委)理论学习中心组学习",
    "召开科室工作例会，部署本周重点工作",
    "审核{n}份来文并提出办理意见",
    "参加全{area}安全生产工作会议",
    "接待来访群众{n}批次并做好登记转办",
    "赴{town}调研农村饮用水工程建设进度",
    "起草{topic}工作方案",
    "参加“五水共治”专项督查",
    "审核{topic}资金拨付材料",
    "召开{topic}推进会，协调解决{n}个问题",
    "走访企业{n}家，了解生产经营困难",
    "参加“三改一拆”联合执法行动",
    "处理“最多跑一次”窗口咨询{n}件",
    "参加上级{topic}业务培训",
    "修改完善{topic}汇报材料",
    "陪同领导检查{topic}工作",
    "梳理“四张清单一张网”权力事项",
]
AFTERNOON = [
    "整理会议纪要并报送办公室",
    "到{town}开展{topic}专项检查",
    "对接{n}个在建项目政策处理问题",
    "审核{topic}统计报表",
    "参加浙商回归项目洽谈",
    "办理人大代表建议{n}件",
    "开展信访积案化解",
    "组织{topic}业务学习",
    "撰写{topic}调研报告",
    "核对{topic}台账数据",
    "参加民主生活会准备会",
    "与{unit}沟通{topic}工作衔接",
    "跟踪督办{topic}落实情况",
    "答复群众来信{n}件",
]
TOPICS = [
    "财政预算",
    "乡村振兴",
    "安全生产",
    "营商环境",
    "基层治理",
    "河长制",
    "垃圾分类",
    "疫情防控",
    "招商引资",
    "干部培训",
    "政务公开",
    "文明创建",
    "防汛防台",
    "数字化改革",
]
TOWNS = ["青石镇", "白沙镇", "东岙乡", "临溪街道", "桃源镇", "石门乡", "新港街道", "龙山镇"]
COMMENTS = [
    "本周工作扎实，继续保持",
    "日志记录具体，重点工作推进有力",
    "请注意按时提交日志",
    "日志内容过于简单，请写明具体事项",
    "与前几天日志雷同较多，请如实记录",
    "较好完成本周任务",
]
# (share of cadres, miss, late, copy, marks good/fairly_good/average/poor)
PROFILES = [
    (0.62, 0.01, 0.03, 0.02, (60, 35, 5, 0)),
    (0.28, 0.05, 0.10, 0.06, (25, 55, 18, 2)),
    (0.10, 0.18, 0.20, 0.35, (5, 35, 45, 15)),
]
LOG_COLUMNS = [
    "created_at",
    "updated_at",
    "cadre_id",
    "org_unit_id",
    "day",
    "text",
    "hours",
    "task_ids",
    "status",
    "is_late",
    "submitted_at",
    "reviewed_at",
    "version",
]
REVIEW_COLUMNS = [
    "created_at",
    "updated_at",
    "cadre_id",
    "org_unit_id",
    "week_start",
    "mark",
    "score",
    "comment",
    "reviewer_id",
    "reviewed_at",
    "version",
]


def generate(*, scale: str, seed: int, log: Callable[[str], None]) -> None:
    today = timezone.localdate()
    try:
        days = _working_days(today)
    except UnknownYearError as exc:
        log(f"  跳过工作日志：{exc}")
        return
    cadres = list(
        Cadre.objects.filter(status=CadreStatus.ACTIVE)
        .order_by("id")
        .values_list("id", "org_unit_id")
    )
    if not cadres:
        return
    reviewer = _reviewer()
    started = time.monotonic()
    with transaction.atomic():
        logs, reviews = _write(_Plan(seed, today, days, reviewer), cadres, log)
    log(f"  工作日志 {logs:,} 篇、周审阅 {reviews:,} 条，用时 {time.monotonic() - started:.1f} 秒")
    started = time.monotonic()
    grades = _grades(today, seed, reviewer, log)
    log(f"  季度平时考核 {grades:,} 条，用时 {time.monotonic() - started:.1f} 秒")


def _working_days(today: date) -> list[date]:
    end = today - timedelta(days=1)
    return workdays.workdays_in(end - timedelta(days=364), end)


def _reviewer() -> User:
    """Generated reviews need a reviewer account: one inactive account stands for them."""
    user, _ = User.objects.get_or_create(
        username=REVIEWER,
        defaults={"display_name": "（生成数据）单位负责人", "is_active": False},
    )
    return user


class _Plan:
    def __init__(self, seed: int, today: date, days: list[date], reviewer: User) -> None:
        self.seed, self.today, self.days, self.reviewer_id = seed, today, days, reviewer.pk
        self.window = late_window()
        self.monday = {d: rules.week_start(d) for d in days}
        # the last weeks stay in the review queue
        self.review_until = rules.week_start(today) - timedelta(days=14)
        self.now = timezone.now()
        pool_rng = random.Random(f"worklogs-texts:{seed}")
        self.texts = [_text(pool_rng) for _ in range(TEXT_POOL)]
        self._stamps: dict[tuple[date, int, int], datetime] = {}

    def stamp(self, day: date, hour: int, minute: int) -> datetime:
        key = (day, hour, minute)
        found = self._stamps.get(key)
        if found is None:
            found = self._stamps[key] = datetime.combine(day, dtime(hour, minute), TZ)
        return found


def _write(
    plan: _Plan, cadres: list[tuple[int, int]], log: Callable[[str], None]
) -> tuple[int, int]:
    """Per batch of cadres: one bulk write of their logs, then one of their reviews (a
    connection runs one COPY at a time)."""
    logs = reviews = 0
    for start in range(0, len(cadres), CADRES_PER_BATCH):
        log_rows: list[tuple] = []
        review_rows: list[tuple] = []
        for cadre_id, unit_id in cadres[start : start + CADRES_PER_BATCH]:
            mine, marks = _cadre_rows(plan, cadre_id, unit_id)
            log_rows += mine
            review_rows += marks
        _bulk_write(WorkLog, LOG_COLUMNS, log_rows)
        _bulk_write(WeekReview, REVIEW_COLUMNS, review_rows)
        logs, reviews = logs + len(log_rows), reviews + len(review_rows)
        done = min(start + CADRES_PER_BATCH, len(cadres))
        if done % 5000 < CADRES_PER_BATCH or done == len(cadres):
            log(f"  … 日志 {done:,}/{len(cadres):,} 名干部，{logs:,} 篇")
    return logs, reviews


HOURS = [Decimal(h) for h in ("7.5", "8", "8.5", "9", "10")]


def _cadre_rows(plan: _Plan, cadre_id: int, unit_id: int) -> tuple[list[tuple], list[tuple]]:
    rng = random.Random(f"worklogs:{plan.seed}:{cadre_id}")
    r = rng.random  # one uniform draw per decision: the hot loop of the generator
    _, miss, late, copy, marks = _profile(rng)
    rows: list[list[Any]] = []
    previous, texts, n_days = "", plan.texts, len(plan.days)
    for i, day in enumerate(plan.days):
        if r() < miss:
            continue
        lag = 1 + int(r() * plan.window) if r() < late else 0
        written = plan.days[i + lag] if i + lag < n_days else plan.today
        if written >= plan.today:
            continue  # not written yet: still open on the day of generation
        text = _copy(rng, previous) if previous and r() < copy else texts[int(r() * len(texts))]
        previous = text
        draft = r() < 0.003
        submitted = None if draft else plan.stamp(written, 9 if lag else 17, int(r() * 60))
        hours = HOURS[int(r() * len(HOURS))] if r() < 0.6 else None
        rows.append(
            [
                plan.now,
                plan.now,
                cadre_id,
                unit_id,
                day,
                text,
                hours,
                "[]",
                "draft" if draft else "submitted",
                bool(lag) and not draft,
                submitted,
                None,
                1,
            ]
        )
    reviews = _reviews(plan, rng, cadre_id, unit_id, rows, marks)
    return [tuple(row) for row in rows], reviews


def _profile(rng: random.Random) -> tuple:
    roll, acc = rng.random(), 0.0
    for profile in PROFILES:
        acc += profile[0]
        if roll < acc:
            return profile
    return PROFILES[-1]


def _reviews(
    plan: _Plan,
    rng: random.Random,
    cadre_id: int,
    unit_id: int,
    rows: list[list[Any]],
    marks: tuple,
) -> list[tuple]:
    by_week: dict[date, list[list[Any]]] = {}
    for row in rows:
        if row[8] == "submitted":
            by_week.setdefault(plan.monday[row[4]], []).append(row)
    reviews = []
    for monday, week_rows in by_week.items():
        if monday > plan.review_until or rng.random() > 0.88:
            continue
        at = datetime.combine(monday + timedelta(days=rng.randint(7, 11)), dtime(10), TZ)
        mark = rng.choices(rules.GRADES, weights=marks)[0]
        comment = rng.choice(COMMENTS) if rng.random() < 0.25 else ""
        reviews.append(
            (
                plan.now,
                plan.now,
                cadre_id,
                unit_id,
                monday,
                mark,
                None,
                comment,
                plan.reviewer_id,
                at,
                1,
            )
        )
        for row in week_rows:
            row[8], row[11] = "reviewed", at
    return reviews


def _text(rng: random.Random) -> str:
    def fill(template: str) -> str:
        return template.format(
            unit=rng.choice(["县财政局", "县发改局", "镇党委", "县委办"]),
            area=rng.choice(["县", "市", "镇"]),
            town=rng.choice(TOWNS),
            topic=rng.choice(TOPICS),
            n=rng.randint(2, 12),
        )

    return f"上午{fill(rng.choice(MORNING))}；下午{fill(rng.choice(AFTERNOON))}。"


def _copy(rng: random.Random, previous: str) -> str:
    """Yesterday's text again, half of the time with a small edit."""
    if rng.random() < 0.5:
        return previous
    for old in TOWNS + TOPICS:
        if old in previous:
            return previous.replace(old, rng.choice(TOWNS if old in TOWNS else TOPICS), 1)
    return previous + "，继续跟进。"


def _bulk_write(model: Any, columns: list[str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL (psycopg 3), executemany elsewhere."""
    if not rows:
        return
    table, cols = model._meta.db_table, ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608 (our own names)
        cursor.executemany(sql, [[_adapt(v) for v in row] for row in rows])


@functools.lru_cache(maxsize=100_000)
def _adapt_cached(value: Any) -> Any:
    ops = connection.ops
    if isinstance(value, datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return ops.adapt_datefield_value(value)
    return str(value)


def _adapt(value: Any) -> Any:
    return _adapt_cached(value) if isinstance(value, (date, Decimal)) else value


# ---------------------------------------------------------------- quarter grades


def _grades(today: date, seed: int, reviewer: User, log: Callable[[str], None]) -> int:
    first = today - timedelta(days=365)
    quarters = []
    year, quarter = first.year, rules.quarter_of(first) + 1
    while True:
        if quarter == 5:
            year, quarter = year + 1, 1
        if rules.quarter_bounds(year, quarter)[1] >= today:
            break
        quarters.append((year, quarter))
        quarter += 1
    rng = random.Random(f"worklogs-grades:{seed}")
    total = 0
    for n, (year, quarter) in enumerate(quarters):
        summary = propose_quarter_grades(
            by=None, year=year, quarter=quarter, cadres=Cadre.objects.all(), today=today
        )
        latest = n == len(quarters) - 1
        _confirm(rng, year, quarter, reviewer, share=0.7 if latest else 1.0, decide=not latest)
        total += summary.created + summary.updated
        log(f"  {year}年第{quarter}季度：{summary.cadres:,} 人等次建议")
    return total


def _confirm(
    rng: random.Random, year: int, quarter: int, reviewer: User, *, share: float, decide: bool
) -> None:
    """Confirms most proposals as proposed, some changed with a reason, a few reviewed;
    incomplete ones are graded by hand with a reason."""
    at = datetime.combine(
        rules.quarter_bounds(year, quarter)[1] + timedelta(days=10), dtime(10), TZ
    )
    ids = list(
        QuarterGrade.objects.of_quarter(year, quarter)
        .exclude(proposed_grade="")
        .order_by("id")
        .values_list("id", flat=True)
    )
    chosen = [i for i in ids if rng.random() < share]
    QuarterGrade.objects.filter(pk__in=chosen).update(
        status=GradeStatus.CONFIRMED,
        confirmed_grade=F("proposed_grade"),
        confirmed_by=reviewer,
        confirmed_at=at,
        notified_at=at,
        version=F("version") + 1,
    )
    # Incomplete proposals (an input missing, e.g. no target task): graded by hand.
    manual: dict[str, list[int]] = {g: [] for g in rules.GRADES}
    for i in (
        QuarterGrade.objects.of_quarter(year, quarter)
        .filter(proposed_grade="", incomplete=True)
        .order_by("id")
        .values_list("id", flat=True)
    ):
        if rng.random() < share:
            manual[rng.choices(rules.GRADES, weights=(30, 50, 15, 5))[0]].append(i)
    for grade, pks in manual.items():
        QuarterGrade.objects.filter(pk__in=pks).update(
            status=GradeStatus.CONFIRMED,
            confirmed_grade=grade,
            confirmed_by=reviewer,
            confirmed_at=at,
            notified_at=at,
            version=F("version") + 1,
            change_reason="依据不全，结合日志和周审阅情况人工评定",
        )
    changed = list(
        QuarterGrade.objects.filter(pk__in=[i for i in chosen if rng.random() < 0.05]).order_by(
            "id"
        )
    )
    for grade in changed:
        grade.confirmed_grade = rng.choice([g for g in rules.GRADES if g != grade.proposed_grade])
        grade.change_reason = "结合本季度重点工作完成情况和群众评价综合研究调整"
    QuarterGrade.objects.bulk_update(changed, ["confirmed_grade", "change_reason"], batch_size=1000)
    asked = [i for i in chosen if rng.random() < 0.02]
    QuarterGrade.objects.filter(pk__in=asked).update(
        status=GradeStatus.REVIEW_REQUESTED,
        review_reason="本人认为本季度承担任务较重，申请复核",
        review_requested_at=at + timedelta(days=3),
    )
    if decide:
        QuarterGrade.objects.filter(pk__in=asked).update(
            status=GradeStatus.REVIEW_DECIDED,
            review_grade=F("confirmed_grade"),
            review_note="经复核，维持原等次",
            review_decided_by=reviewer,
            review_decided_at=at + timedelta(days=10),
        )
