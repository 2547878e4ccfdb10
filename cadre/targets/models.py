"""目标管理责任制: task books, tracking, reconciliation, key projects, special inspections."""

from typing import TYPE_CHECKING, Any, ClassVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from cadre.core.models import NoDeleteQuerySet, ScopedQuerySet, TimeStamped
from cadre.core.types import AnyUser
from cadre.targets import rules

if TYPE_CHECKING:
    pass


class BookKind(models.TextChoices):
    ANNUAL = "annual", "年度工作"
    KEY = "key", "重点工作"


class BookStatus(models.TextChoices):
    DRAFT = rules.DRAFT, "草稿"
    SUBMITTED = rules.SUBMITTED, "已提交"
    RETURNED = rules.RETURNED, "已退回"
    APPROVED = rules.APPROVED, "已审批"
    SIGNED = rules.SIGNED, "已签订"
    RECONCILED = rules.RECONCILED, "已对账"
    CANCELLED = rules.CANCELLED, "已作废"


class TaskBookQuerySet(ScopedQuerySet):
    def for_year(self, year: int) -> "TaskBookQuerySet":
        return self.filter(year=year)

    def live(self) -> "TaskBookQuerySet":
        return self.exclude(status=BookStatus.CANCELLED)


class TaskBook(TimeStamped):
    """目标责任书/任务书 of a unit (owner_cadre empty) or of one leading cadre."""

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="单位", on_delete=models.PROTECT, related_name="task_books"
    )
    owner_cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name="责任领导干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_books",
    )
    kind = models.CharField("类别", max_length=10, choices=BookKind.choices)
    title = models.CharField("名称", max_length=120)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=BookStatus.choices,
        default=BookStatus.DRAFT,
        db_index=True,
    )
    version = models.PositiveIntegerField("版本", default=1)
    review_comment = models.TextField("审批意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User",
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField("签订时间", null=True, blank=True)
    reconciled_at = models.DateTimeField("对账完成时间", null=True, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = TaskBookQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit_id", "owner_cadre_id", "kind"]
        verbose_name = verbose_name_plural = "目标任务书"
        indexes = [models.Index(fields=["year", "unit"], name="book_year_unit")]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "kind"],
                condition=Q(owner_cadre__isnull=True) & ~Q(status="cancelled"),
                name="one_live_unit_book_per_kind",
            ),
            models.UniqueConstraint(
                fields=["year", "owner_cadre", "kind"],
                condition=Q(owner_cadre__isnull=False) & ~Q(status="cancelled"),
                name="one_live_cadre_book_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def in_force(self) -> bool:
        return self.status in rules.IN_FORCE

    @property
    def editable(self) -> bool:
        return self.status in rules.EDITABLE


class TaskCategory(models.TextChoices):
    KEY = "key", "重点工作"
    ROUTINE = "routine", "常规工作"
    SPECIAL = "special", "专项任务"


class IndicatorKind(models.TextChoices):
    NUMERIC = "numeric", "数值指标"
    MILESTONES = "milestones", "节点指标"


class ProgressStatus(models.TextChoices):
    ON_TRACK = rules.ON_TRACK, "正常推进"
    LAGGING = rules.LAGGING, "滞后"
    AT_RISK = rules.AT_RISK, "严重滞后"


class Outcome(models.TextChoices):
    EXCEEDED = rules.EXCEEDED, "超额完成"
    COMPLETED = rules.COMPLETED, "完成"
    BASIC = rules.BASIC, "基本完成"
    INCOMPLETE = rules.INCOMPLETE, "未完成"


class TaskQuerySet(ScopedQuerySet):
    def live(self) -> "TaskQuerySet":
        return self.filter(withdrawn=False)


class Task(TimeStamped):
    book = models.ForeignKey(
        TaskBook, verbose_name="任务书", on_delete=models.PROTECT, related_name="tasks"
    )
    seq = models.PositiveSmallIntegerField("序号", default=1)
    title = models.CharField("任务名称", max_length=200)
    category = models.CharField("类别", max_length=10, choices=TaskCategory.choices)
    indicator_kind = models.CharField("指标类型", max_length=12, choices=IndicatorKind.choices)
    indicator_unit = models.CharField("计量单位", max_length=20, blank=True)
    target_value = models.DecimalField(
        "目标值", max_digits=14, decimal_places=2, null=True, blank=True
    )
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2)
    owners = models.ManyToManyField(
        "cadres.Cadre", verbose_name="责任人", related_name="target_tasks", blank=True
    )
    due_date = models.DateField("完成时限")
    key_project = models.ForeignKey(
        "targets.KeyProject",
        verbose_name="服务重点项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    reward_rule = models.TextField("奖惩认定", blank=True)
    # Denormalised by services.record_progress, for lists at scale.
    actual_value = models.DecimalField(
        "最新完成值", max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual_pct = models.DecimalField("实际进度%", max_digits=5, decimal_places=1, default=0)
    last_progress_on = models.DateField("最近填报", null=True, blank=True)
    # A draft's task taken out before approval (records are never deleted).
    withdrawn = models.BooleanField("已撤回", default=False)

    objects: ClassVar[Any] = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["book_id", "seq", "id"]
        verbose_name = verbose_name_plural = "目标任务"
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="task_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(TimeStamped):
    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.PROTECT, related_name="milestones"
    )
    seq = models.PositiveSmallIntegerField("序号", default=1)
    title = models.CharField("节点", max_length=200)
    due_date = models.DateField("计划完成日期")
    reached_on = models.DateField("实际完成日期", null=True, blank=True)
    withdrawn = models.BooleanField("已撤回", default=False)

    objects: ClassVar[Any] = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["task_id", "due_date", "seq"]
        verbose_name = verbose_name_plural = "任务节点"

    def __str__(self) -> str:
        return self.title


class Amendment(TimeStamped):
    """The only way an approved book changes: what changed, why, by whom."""

    book = models.ForeignKey(
        TaskBook, verbose_name="任务书", on_delete=models.PROTECT, related_name="amendments"
    )
    reason = models.TextField("调整理由")
    before = models.JSONField("调整前")
    after = models.JSONField("调整后")
    by = models.ForeignKey(
        "accounts.User", verbose_name="调整人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("调整时间", auto_now_add=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["book_id", "at"]
        verbose_name = verbose_name_plural = "任务书调整记录"

    def __str__(self) -> str:
        return f"{self.book} 调整"


class ProgressUpdate(TimeStamped):
    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.PROTECT, related_name="progress_updates"
    )
    on = models.DateField("进展日期")
    value = models.DecimalField(
        "累计完成值", max_digits=14, decimal_places=2, null=True, blank=True
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name="完成节点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pct = models.DecimalField("进度%", max_digits=5, decimal_places=1)
    narrative = models.TextField("进展情况")
    lag_reason = models.TextField("滞后原因", blank=True)
    by = models.ForeignKey(
        "accounts.User",
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["task_id", "-on", "-id"]
        verbose_name = verbose_name_plural = "任务进展"
        indexes = [models.Index(fields=["task", "on"], name="progress_task_on")]

    def __str__(self) -> str:
        return f"{self.task} {self.on}"


class Reconciliation(TimeStamped):
    """年末对账 of one task: the owner proposes, the reviewer confirms or changes."""

    task = models.OneToOneField(
        Task, verbose_name="任务", on_delete=models.PROTECT, related_name="reconciliation"
    )
    proposed_outcome = models.CharField("自评结果", max_length=12, choices=Outcome.choices)
    actual_value = models.DecimalField(
        "实际完成值", max_digits=14, decimal_places=2, null=True, blank=True
    )
    evidence = models.TextField("佐证材料说明", blank=True)
    shortfall_reason = models.TextField("未完成原因", blank=True)
    proposed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="自评人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField("自评时间", null=True, blank=True)
    outcome = models.CharField("认定结果", max_length=12, choices=Outcome.choices, blank=True)
    review_reason = models.TextField("审核说明", blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("审核时间", null=True, blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["task_id"]
        verbose_name = verbose_name_plural = "年末对账"

    def __str__(self) -> str:
        return f"{self.task} 对账"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class MidYearReview(TimeStamped):
    """年中跟踪检查: a frozen snapshot of every book of the scope on a date."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="检查范围", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    as_of = models.DateField("检查日期")
    summary = models.JSONField("汇总")
    opinion = models.TextField("检查意见", blank=True)
    finalized_at = models.DateTimeField("定稿时间", null=True, blank=True)
    by = models.ForeignKey(
        "accounts.User",
        verbose_name="检查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "-id"]
        verbose_name = verbose_name_plural = "年中跟踪检查"

    def __str__(self) -> str:
        return f"{self.unit} {self.as_of} 年中检查"


class Utf8JSONEncoder(DjangoJSONEncoder):
    """Chinese text as UTF-8 rather than \\uXXXX escapes: snapshots half the size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class SnapshotJSONField(models.JSONField):
    """A JSONField that bulk-inserts row by row on PostgreSQL.

    Django 5.2 bulk-inserts through UNNEST(arrays) there, and psycopg escapes every quote of
    every JSON document into the array literal with a regex: 4 MB of snapshots took 6 s.
    Having `get_placeholder` makes Django use plain VALUES rows instead (same SQL as before
    5.2), where each document goes as its own parameter.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("encoder", Utf8JSONEncoder)
        super().__init__(*args, **kwargs)

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        return "%s"


class ReviewEntry(models.Model):
    """One book's frozen state in a mid-year review (never recomputed, never edited)."""

    review = models.ForeignKey(
        MidYearReview, verbose_name="检查", on_delete=models.PROTECT, related_name="entries"
    )
    book = models.ForeignKey(
        TaskBook, verbose_name="任务书", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    tasks_total = models.PositiveIntegerField("任务数")
    tasks_lagging = models.PositiveIntegerField("滞后数")
    tasks_at_risk = models.PositiveIntegerField("严重滞后数")
    expected_pct = models.DecimalField("应有进度%", max_digits=5, decimal_places=1)
    actual_pct = models.DecimalField("实际进度%", max_digits=5, decimal_places=1)
    data = SnapshotJSONField("快照")

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["review_id", "id"]
        verbose_name = verbose_name_plural = "年中检查快照"

    def __str__(self) -> str:
        return f"{self.review_id}/{self.book_id}"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        from cadre.core.models import HardDeleteForbidden

        raise HardDeleteForbidden("快照不能删除")


# --- key projects ---------------------------------------------------------------------------


class KeyProject(TimeStamped):
    """重点项目 with the leaders linked to it (联系或领办, seed 四.1)."""

    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="责任单位",
        on_delete=models.PROTECT,
        related_name="key_projects",
    )
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("项目名称", max_length=150)
    description = models.TextField("项目内容", blank=True)
    budget = models.DecimalField("投资额（万元）", max_digits=14, decimal_places=2, default=0)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("计划完成日期")
    closed_on = models.DateField("完成日期", null=True, blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit_id", "id"]
        verbose_name = verbose_name_plural = "重点项目"

    def __str__(self) -> str:
        return self.name


class LinkRole(models.TextChoices):
    CONTACT = "contact", "联系"
    LEAD = "lead", "领办"


class ProjectLink(TimeStamped):
    project = models.ForeignKey(
        KeyProject, verbose_name="项目", on_delete=models.PROTECT, related_name="links"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name="领导干部",
        on_delete=models.PROTECT,
        related_name="project_links",
    )
    role = models.CharField("方式", max_length=10, choices=LinkRole.choices)
    since = models.DateField("起始日期")
    until = models.DateField("终止日期", null=True, blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project_id", "role", "id"]
        verbose_name = verbose_name_plural = "联系领办"

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_role_display()} {self.project}"


class ProjectMilestone(TimeStamped):
    project = models.ForeignKey(
        KeyProject, verbose_name="项目", on_delete=models.PROTECT, related_name="milestones"
    )
    title = models.CharField("节点", max_length=150)
    due_date = models.DateField("计划日期")
    done_on = models.DateField("完成日期", null=True, blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project_id", "due_date", "id"]
        verbose_name = verbose_name_plural = "项目节点"

    def __str__(self) -> str:
        return self.title


class ProjectVisit(TimeStamped):
    project = models.ForeignKey(
        KeyProject, verbose_name="项目", on_delete=models.PROTECT, related_name="visits"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name="领导干部", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField("日期")
    note = models.TextField("情况")

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project_id", "-on", "-id"]
        verbose_name = verbose_name_plural = "项目走访"

    def __str__(self) -> str:
        return f"{self.cadre} {self.on}"


class ProblemStatus(models.TextChoices):
    OPEN = "open", "待解决"
    IN_PROGRESS = "in_progress", "推进中"
    SOLVED = "solved", "已解决"


class ProjectProblem(TimeStamped):
    project = models.ForeignKey(
        KeyProject, verbose_name="项目", on_delete=models.PROTECT, related_name="problems"
    )
    title = models.CharField("问题", max_length=200)
    raised_on = models.DateField("提出日期")
    status = models.CharField(
        "状态", max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    solved_on = models.DateField("解决日期", null=True, blank=True)
    solved_by = models.ForeignKey(
        "cadres.Cadre",
        verbose_name="协调解决领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField("处理情况", blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project_id", "status", "raised_on", "id"]
        verbose_name = verbose_name_plural = "项目问题"

    def __str__(self) -> str:
        return self.title


# --- special inspections --------------------------------------------------------------------


class TopicQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> "TopicQuerySet":
        """Reference data: every staff user reads it, org_admin edits it."""
        from cadre.accounts.access import has_role, is_staff

        allowed = has_role(user, "org_admin") if write else is_staff(user)
        return self if allowed else self.none()

    def active(self) -> "TopicQuerySet":
        return self.filter(active=True)


class InspectionTopic(TimeStamped):
    name = models.CharField("督查专题", max_length=60, unique=True)
    description = models.TextField("说明", blank=True)
    active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects: ClassVar[Any] = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = verbose_name_plural = "督查专题"

    def __str__(self) -> str:
        return self.name


class InspectionStatus(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class SpecialInspection(TimeStamped):
    """专项督查 (seed 三.4) organised by a unit over units and tasks in its subtree."""

    topic = models.ForeignKey(
        InspectionTopic, verbose_name="专题", on_delete=models.PROTECT, related_name="inspections"
    )
    title = models.CharField("督查名称", max_length=150)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    units = models.ManyToManyField(
        "orgs.OrgUnit", verbose_name="督查对象单位", related_name="special_inspections"
    )
    tasks = models.ManyToManyField(Task, verbose_name="督查任务", blank=True, related_name="+")
    status = models.CharField(
        "状态", max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.OPEN
    )
    by = models.ForeignKey(
        "accounts.User",
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = verbose_name_plural = "专项督查"

    def __str__(self) -> str:
        return self.title


class InspectionVisit(TimeStamped):
    inspection = models.ForeignKey(
        SpecialInspection, verbose_name="督查", on_delete=models.PROTECT, related_name="visits"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="被督查单位", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField("日期")
    inspectors = models.CharField("督查人员", max_length=200)
    note = models.TextField("情况")

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["inspection_id", "-on", "-id"]
        verbose_name = verbose_name_plural = "督查走访"

    def __str__(self) -> str:
        return f"{self.unit} {self.on}"


class FindingStatus(models.TextChoices):
    NONE = "none", "无需整改"
    OPEN = "open", "整改中"
    CLOSED = "closed", "已销号"


class FindingQuerySet(ScopedQuerySet):
    def open_rectifications(self) -> "FindingQuerySet":
        return self.filter(status=FindingStatus.OPEN)


class Finding(TimeStamped):
    inspection = models.ForeignKey(
        SpecialInspection, verbose_name="督查", on_delete=models.PROTECT, related_name="findings"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name="干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_findings",
    )
    positive = models.BooleanField("正面发现", default=False)
    found_on = models.DateField("发现日期")
    description = models.TextField("情况")
    evidence = models.TextField("证据")
    requirement = models.TextField("整改要求", blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True)
    status = models.CharField("整改状态", max_length=10, choices=FindingStatus.choices)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    by = models.ForeignKey(
        "accounts.User",
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = verbose_name_plural = "督查发现"
        indexes = [models.Index(fields=["cadre", "found_on"], name="finding_cadre_on")]

    def __str__(self) -> str:
        return f"{self.unit} {self.found_on}"


class FollowUp(TimeStamped):
    finding = models.ForeignKey(
        Finding, verbose_name="发现", on_delete=models.PROTECT, related_name="follow_ups"
    )
    on = models.DateField("日期")
    note = models.TextField("整改进展")
    closes = models.BooleanField("验收销号", default=False)
    by = models.ForeignKey(
        "accounts.User",
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["finding_id", "on", "id"]
        verbose_name = verbose_name_plural = "整改跟踪"

    def __str__(self) -> str:
        return f"{self.finding} {self.on}"


# --- evidence files --------------------------------------------------------------------------


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is generated (uploads.store_name); the user's name is metadata only.
    return f"targets/{filename}"


class Attachment(TimeStamped):
    """An evidence file; served only through the scoped download view, as an attachment."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    progress = models.ForeignKey(
        ProgressUpdate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    reconciliation = models.ForeignKey(
        Reconciliation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=_attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=120)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    by = models.ForeignKey(
        "accounts.User",
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "佐证附件"

    def __str__(self) -> str:
        return self.original_name
