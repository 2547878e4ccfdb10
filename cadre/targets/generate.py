"""Synthetic task books, progress, reconciliations, key projects and inspections.

Reads the generated registry and writes everything with bulk_create in batches: no query per
unit or cadre. Two years: last year reconciled and scored, this year in progress up to today
(about 15-20% of tasks lagging or at risk), with a few books still unapproved after the
start-of-year deadline. Deterministic for a seed.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.cadres.models import Cadre, CadreStatus
from cadre.orgs.models import OrgUnit
from cadre.targets import rules
from cadre.targets.models import (
    Finding,
    FollowUp,
    InspectionTopic,
    InspectionVisit,
    KeyProject,
    Milestone,
    ProgressUpdate,
    ProjectLink,
    ProjectMilestone,
    ProjectProblem,
    ProjectVisit,
    Reconciliation,
    SpecialInspection,
    Task,
    TaskBook,
)

BATCH = 2000
SEED_OFFSET = 3  # this app's own random stream

NUMERIC = [
    ("招商引资到位资金", "亿元", (5, 60)),
    ("固定资产投资", "亿元", (10, 200)),
    ("新增就业人数", "人", (300, 5000)),
    ("城镇污水管网建设", "公里", (5, 80)),
    ("拆除违法建筑", "万平方米", (2, 40)),
    ("完成旧住宅区改造", "万平方米", (3, 50)),
    ("浙商回归项目引进", "个", (2, 20)),
    ("农村生活污水治理行政村", "个", (5, 60)),
    ("办结信访事项", "件", (50, 800)),
    ("培训干部", "人次", (100, 2000)),
    ("新增市场主体", "户", (200, 3000)),
    ("完成绿化造林", "亩", (100, 3000)),
]
MILESTONE_TASKS = [
    "“五水共治”河道综合整治",
    "“三改一拆”三年行动收官",
    "政务服务“一网通办”建设",
    "重点工程项目推进",
    "基层治理“四个平台”建设",
    "“四张清单一张网”梳理",
    "美丽乡村示范村创建",
    "安全生产专项整治",
    "营商环境优化提升",
    "干部教育培训计划",
]
STONE_STEPS = ["方案制定", "立项审批", "启动实施", "中期推进", "主体完工", "验收总结"]
PROJECTS = [
    "产业园区基础设施",
    "城市有机更新",
    "综合交通枢纽",
    "污水处理厂提标",
    "智慧城市平台",
    "文旅融合示范区",
    "未来社区",
    "高标准农田",
    "人才创新中心",
]
PROBLEMS = ["用地指标不足", "政策处理进度慢", "资金拨付滞后", "审批手续繁琐", "施工协调困难"]
CATEGORIES = ["key", "routine", "routine", "special"]
KIND_NAMES = {"annual": "年度工作", "key": "重点工作"}
RULE_TEXT = "完成目标按权重计分；未完成的扣减相应分值并说明原因"
SHORTFALL = "受客观因素影响未能全部完成"


def _weights(rng: random.Random, n: int) -> list[Decimal]:
    """n positive weights, multiples of 5, summing to 100."""
    cuts = sorted(rng.sample(range(1, 20), n - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 20], strict=True)]
    return [Decimal(p * 5) for p in parts]


def _performance(rng: random.Random) -> float:
    """Points behind (negative) or ahead of the expected progress; ~18% lag past 10 points."""
    r = rng.random()
    if r < 0.06:
        return -rng.uniform(27, 60)
    if r < 0.18:
        return -rng.uniform(12, 24)
    return rng.uniform(-8, 12)


def _bulk(model: Any, objs: list[Any]) -> list[Any]:
    return model.objects.bulk_create(objs, batch_size=BATCH)


class _Gen:
    def __init__(self, seed: int, log: Callable[[str], None]) -> None:
        self.rng = random.Random(seed * 1000 + SEED_OFFSET)
        self.log = log
        self.today = timezone.localdate()
        self.limits = rules.Thresholds(Decimal(10), Decimal(25))

    def load(self) -> None:
        self.units = list(
            OrgUnit.objects.active()
            .exclude(kind="internal")
            .order_by("id")
            .values("id", "path", "name", "parent_id")
        )
        self.people: dict[int, list[int]] = defaultdict(list)
        self.leaders: dict[int, list[int]] = defaultdict(list)
        self.names: dict[int, str] = {}
        rows = (
            Cadre.objects.filter(status=CadreStatus.ACTIVE)
            .order_by("id")
            .values_list("id", "org_unit_id", "is_leader", "name")
        )
        for pk, unit_id, leader, name in rows.iterator(chunk_size=10000):
            self.people[unit_id].append(pk)
            if leader:
                self.leaders[unit_id].append(pk)
                self.names[pk] = name

    # --- books -------------------------------------------------------------------------
    def books(self, year: int) -> list[TaskBook]:
        current = year == self.today.year
        books = []
        for u in self.units:
            kinds = ["annual"] + (["key"] if self.rng.random() < 0.3 else [])
            books += [
                TaskBook(
                    year=year,
                    unit_id=u["id"],
                    kind=k,
                    title=f"{year}年度{u['name']}{KIND_NAMES[k]}目标责任书",
                    status=self._status(current),
                )
                for k in kinds
            ]
            books += [
                TaskBook(
                    year=year,
                    unit_id=u["id"],
                    owner_cadre_id=c,
                    kind="annual",
                    title=f"{year}年度{self.names[c]}年度工作目标责任书",
                    status=self._status(current),
                )
                for c in self.leaders.get(u["id"], [])
            ]
        for b in books:
            self._stamp(b, year)
        return _bulk(TaskBook, books)

    def _status(self, current: bool) -> str:
        if not current:
            return rules.RECONCILED
        r = self.rng.random()
        return (
            rules.DRAFT
            if r < 0.02
            else rules.SUBMITTED
            if r < 0.04
            else rules.APPROVED
            if r < 0.10
            else rules.SIGNED
        )

    def _stamp(self, b: TaskBook, year: int) -> None:
        from datetime import datetime, time

        tz = timezone.get_current_timezone()
        if b.status in rules.APPROVED_OR_LATER:
            day = date(year, 1, 1) + timedelta(days=self.rng.randint(5, 85))
            b.approved_at = datetime.combine(day, time(10), tz)
            b.submitted_at = b.approved_at - timedelta(days=3)
            if b.status in (rules.SIGNED, rules.RECONCILED):
                b.signed_at = b.approved_at + timedelta(days=2)
            b.version = 4
        elif b.status == rules.SUBMITTED:
            b.submitted_at = datetime.combine(date(year, 3, 28), time(9), tz)
            b.version = 2

    # --- tasks ---------------------------------------------------------------------------
    def tasks(self, books: list[TaskBook]) -> list[tuple[Task, list[int], float]]:
        planned: list[tuple[Task, list[int], float]] = []
        for b in books:
            n = self.rng.randint(4, 7)
            for seq, weight in enumerate(_weights(self.rng, n), start=1):
                task = self._task(b, seq, weight)
                owners = [b.owner_cadre_id] if b.owner_cadre_id else self._owners(b.unit_id)
                planned.append((task, owners, _performance(self.rng)))
        created = _bulk(Task, [t for t, _, _ in planned])
        through = Task.owners.through
        _bulk(
            through,
            [
                through(task_id=t.pk, cadre_id=c)
                for t, (_, owners, _) in zip(created, planned, strict=True)
                for c in owners
            ],
        )
        return [(t, o, p) for t, (_, o, p) in zip(created, planned, strict=True)]

    def _owners(self, unit_id: int) -> list[int]:
        pool = self.leaders.get(unit_id) or self.people.get(unit_id) or []
        return self.rng.sample(pool, min(len(pool), self.rng.randint(1, 2))) if pool else []

    def _task(self, b: TaskBook, seq: int, weight: Decimal) -> Task:
        due = date(b.year, 12, 31) - timedelta(days=self.rng.choice([0, 0, 0, 31, 92, 184]))
        if self.rng.random() < 0.7:
            title, unit, (lo, hi) = self.rng.choice(NUMERIC)
            return Task(
                book=b,
                seq=seq,
                title=title,
                category=self.rng.choice(CATEGORIES),
                indicator_kind="numeric",
                indicator_unit=unit,
                target_value=Decimal(self.rng.randint(lo, hi)),
                weight=weight,
                due_date=due,
                reward_rule=RULE_TEXT,
            )
        return Task(
            book=b,
            seq=seq,
            title=self.rng.choice(MILESTONE_TASKS),
            category=self.rng.choice(CATEGORIES),
            indicator_kind="milestones",
            weight=weight,
            due_date=due,
            reward_rule="按节点完成情况认定",
        )

    # --- progress ------------------------------------------------------------------------
    def track(self, planned: list[tuple[Task, list[int], float]], year: int) -> None:
        """Milestones, progress updates and the denormalised progress columns."""
        on = min(self.today, date(year, 12, 31))
        stones, updates, touched = [], [], []
        for task, _, perf in planned:
            if task.book.status not in rules.APPROVED_OR_LATER:
                continue
            start = date(year, 1, 1)
            if task.indicator_kind == "milestones":
                dues = self._stone_dues(task.due_date, year)
                expected = float(rules.expected_by_milestones(dues, on))
                reached = max(0, min(len(dues), round((expected + perf) / 100 * len(dues))))
                for i, d in enumerate(dues):
                    reached_on = min(d, on) if i < reached else None
                    stone = Milestone(
                        task=task,
                        seq=i + 1,
                        title=STONE_STEPS[i],
                        due_date=d,
                        reached_on=reached_on,
                    )
                    stones.append(stone)
                    if reached_on is not None:
                        updates.append(
                            ProgressUpdate(
                                task=task,
                                on=reached_on,
                                milestone=stone,
                                pct=rules.actual_by_milestones(i + 1, len(dues)),
                                narrative=f"完成节点：{stone.title}",
                            )
                        )
                pct = rules.actual_by_milestones(reached, len(dues))
                task.actual_pct = pct
                task.last_progress_on = min(dues[max(reached - 1, 0)], on) if reached else None
            else:
                series = self._updates(
                    task, perf, start, on - timedelta(days=self.rng.randint(0, 20))
                )
                task.actual_value, task.actual_pct = series[-1].value, series[-1].pct
                task.last_progress_on = series[-1].on
                updates += series
            touched.append(task)
        _bulk(Milestone, stones)
        ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH)
        Task.objects.bulk_update(
            touched, ["actual_value", "actual_pct", "last_progress_on"], batch_size=BATCH
        )
        self.log(
            f"  {year}年：任务 {len(planned):,} 项，节点 {len(stones):,} 个，"
            f"进展 {len(updates):,} 条"
        )

    def _stone_dues(self, due: date, year: int) -> list[date]:
        n = self.rng.randint(3, 5)
        span = (due - date(year, 1, 31)).days
        return [date(year, 1, 31) + timedelta(days=span * (i + 1) // n) for i in range(n)]

    def _updates(self, task: Task, perf: float, start: date, last: date) -> list[ProgressUpdate]:
        """Quarterly reports (the mid-year review sees the 30 June one) and a latest one,
        each on the task's own curve."""
        days = [
            d
            for d in (date(start.year, 3, 31), date(start.year, 6, 30), date(start.year, 9, 30))
            if d < last
        ] + [last]
        target = task.target_value
        assert target is not None  # generated numeric tasks always have a target (see _task)
        step = Decimal("0.1") if target < 50 else Decimal("1")
        out = []
        for i, day in enumerate(days):
            expected = float(rules.expected_linear(start, task.due_date, day))
            frac = max(0.0, min(1.15, (expected + perf + self.rng.uniform(-3, 3)) / 100))
            v = (target * Decimal(str(round(frac, 4)))).quantize(step)
            out.append(
                ProgressUpdate(
                    task=task,
                    on=day,
                    value=v,
                    pct=rules.actual_numeric(v, task.target_value),
                    narrative=f"累计完成{v}{task.indicator_unit}",
                    lag_reason="要素保障不到位，进度滞后"
                    if perf < -10 and i == len(days) - 1
                    else "",
                )
            )
        return out

    # --- reconciliation ------------------------------------------------------------------
    def reconcile(self, planned: list[tuple[Task, list[int], float]], year: int) -> None:
        from datetime import datetime, time

        tz = timezone.get_current_timezone()
        at = datetime.combine(date(year, 12, 28), time(15), tz)
        points = rules.OUTCOME_POINTS.default
        recs, by_book = [], defaultdict(list)
        for task, _, perf in planned:
            outcome = self._outcome(task, perf)
            recs.append(
                Reconciliation(
                    task=task,
                    proposed_outcome=outcome,
                    actual_value=task.actual_value,
                    evidence="年度工作总结及统计数据",
                    proposed_at=at,
                    outcome=outcome,
                    shortfall_reason="" if outcome in ("completed", "exceeded") else SHORTFALL,
                    confirmed_at=at + timedelta(days=1),
                )
            )
            by_book[task.book_id].append((task.weight, outcome))
        _bulk(Reconciliation, recs)
        books = []
        for book_id, items in by_book.items():
            b = TaskBook(
                pk=book_id,
                score=rules.book_score(items, points),
                reconciled_at=at + timedelta(days=2),
            )
            books.append(b)
        TaskBook.objects.bulk_update(books, ["score", "reconciled_at"], batch_size=BATCH)

    def _outcome(self, task: Task, perf: float) -> str:
        if perf < -25:
            return "incomplete" if self.rng.random() < 0.5 else "basic"
        if perf < -10:
            return "basic"
        if task.indicator_kind == "numeric" and perf > 8:
            assert task.target_value is not None  # generated numeric tasks always have one
            task.actual_value = (task.target_value * Decimal("1.1")).quantize(Decimal("1"))
            return "exceeded"
        return "completed"

    # --- key projects and inspections ------------------------------------------------------
    def projects(self, year: int) -> None:
        candidates = [u for u in self.units if self.leaders.get(u["id"])]
        k = min(len(candidates), max(1, round(len(candidates) * 0.12)))
        chosen = sorted(self.rng.sample(candidates, k), key=lambda u: u["id"])
        projects = _bulk(
            KeyProject,
            [
                KeyProject(
                    unit_id=u["id"],
                    year=year,
                    name=f"{u['name']}{self.rng.choice(PROJECTS)}项目",
                    budget=Decimal(self.rng.randint(500, 200000)),
                    starts_on=date(year, 1, 1),
                    ends_on=date(year, 12, 31),
                )
                for u in chosen
            ],
        )
        links, visits, problems, stones = [], [], [], []
        for p, u in zip(projects, chosen, strict=True):
            for i, c in enumerate(
                self.rng.sample(self.leaders[u["id"]], min(2, len(self.leaders[u["id"]])))
            ):
                links.append(
                    ProjectLink(
                        project=p,
                        cadre_id=c,
                        since=date(year, 1, 15),
                        role="lead" if i == 0 else "contact",
                    )
                )
                visits += [
                    ProjectVisit(
                        project=p, cadre_id=c, on=self._day(year), note="实地走访，协调推进项目建设"
                    )
                    for _ in range(self.rng.randint(0, 3))
                ]
            for _ in range(self.rng.randint(0, 3)):
                raised = self._day(year)
                solved = self.rng.random() < 0.6
                problems.append(
                    ProjectProblem(
                        project=p,
                        title=self.rng.choice(PROBLEMS),
                        raised_on=raised,
                        status="solved" if solved else "in_progress",
                        solved_on=min(raised + timedelta(days=30), self.today) if solved else None,
                    )
                )
            stones += [
                ProjectMilestone(
                    project=p,
                    title=t,
                    due_date=date(year, m, 28),
                    done_on=date(year, m, 28) if date(year, m, 28) < self.today else None,
                )
                for t, m in (("开工", 3), ("主体施工", 7), ("竣工验收", 12))
            ]
        for model, objs in (
            (ProjectLink, links),
            (ProjectVisit, visits),
            (ProjectProblem, problems),
            (ProjectMilestone, stones),
        ):
            _bulk(model, objs)
        self.log(f"  {year}年：重点项目 {len(projects):,} 个，联系领办 {len(links):,} 人次")

    def _day(self, year: int) -> date:
        last = min(self.today, date(year, 12, 31))
        first = date(year, 1, 10)
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def inspections(self, year: int) -> None:
        topics = list(InspectionTopic.objects.filter(active=True).order_by("id"))
        roots = [u for u in self.units if u["parent_id"] is None]
        if not topics or not roots:
            return
        n_units = max(3, len(self.units) // 60)
        findings, follow_ups, visit_rows = [], [], []
        for root in roots:
            pool = [u for u in self.units if u["path"].startswith(root["path"]) and u is not root]
            for topic in topics[:3]:
                start = date(year, self.rng.randint(3, 9), 1)
                if start > self.today:
                    continue
                insp = SpecialInspection.objects.create(
                    topic=topic,
                    title=f"{year}年{topic.name}专项督查",
                    unit_id=root["id"],
                    starts_on=start,
                    ends_on=start + timedelta(days=45),
                    status="closed" if year < self.today.year else "open",
                )
                targets = self.rng.sample(pool, min(n_units, len(pool)))
                insp.units.set([u["id"] for u in targets])
                for u in targets:
                    on = min(start + timedelta(days=self.rng.randint(0, 30)), self.today)
                    visit_rows.append(
                        InspectionVisit(
                            inspection=insp,
                            unit_id=u["id"],
                            on=on,
                            inspectors="督查组",
                            note="听取汇报，现场查看",
                        )
                    )
                    findings += self._findings(insp, u, on)
        created = _bulk(Finding, findings)
        _bulk(InspectionVisit, visit_rows)
        for f in created:
            if f.status == "closed":
                follow_ups.append(
                    FollowUp(finding=f, on=f.closed_on, note="整改到位，验收销号", closes=True)
                )
        _bulk(FollowUp, follow_ups)
        self.log(f"  {year}年：督查发现 {len(created):,} 条")

    def _findings(self, insp: SpecialInspection, u: dict[str, Any], on: date) -> list[Finding]:
        out = []
        for _ in range(self.rng.randint(0, 2)):
            people = self.leaders.get(u["id"]) or []
            cadre = self.rng.choice(people) if people and self.rng.random() < 0.4 else None
            positive = self.rng.random() < 0.35
            deadline = on + timedelta(days=60)
            closed = not positive and deadline < self.today and self.rng.random() < 0.8
            out.append(
                Finding(
                    inspection=insp,
                    unit_id=u["id"],
                    cadre_id=cadre,
                    positive=positive,
                    found_on=on,
                    description="工作推进有力，成效明显"
                    if positive
                    else "工作推进不力，存在明显短板",
                    evidence="督查组现场核查记录",
                    requirement="" if positive else "限期整改，报送整改情况",
                    deadline=None if positive else deadline,
                    status="none" if positive else ("closed" if closed else "open"),
                    closed_on=deadline - timedelta(days=5) if closed else None,
                )
            )
        return out

    def reviews(self) -> None:
        """A mid-year review of this year for each root unit, once 30 June has passed."""
        from cadre.targets.services.tracking import build_review

        as_of = date(self.today.year, 6, 30)
        if as_of >= self.today:
            return
        for root in OrgUnit.objects.filter(
            pk__in=[u["id"] for u in self.units if u["parent_id"] is None]
        ):
            review = build_review(by=None, unit=root, as_of=as_of)
            if review is not None:
                self.log(f"  年中检查快照：{root.name} {review.summary['books']:,} 本任务书")


def _analyze() -> None:
    """Fresh statistics after a bulk load, so the planner sees the real table sizes."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (
            TaskBook,
            Task,
            Milestone,
            ProgressUpdate,
            Reconciliation,
            KeyProject,
            Finding,
        ):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def generate(*, scale: str, seed: int, log: Callable[[str], None]) -> None:
    gen = _Gen(seed, log)
    gen.load()
    if not gen.units:
        log("  没有单位，跳过目标管理数据")
        return
    with transaction.atomic():
        for year in (gen.today.year - 1, gen.today.year):
            books = gen.books(year)
            log(f"  {year}年：任务书 {len(books):,} 本")
            planned = gen.tasks(books)
            gen.track(planned, year)
            if year < gen.today.year:
                gen.reconcile(planned, year)
            gen.projects(year)
            gen.inspections(year)
        _analyze()
        gen.reviews()
