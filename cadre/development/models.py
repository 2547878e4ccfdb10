"""能力提升: training (培训), secondments (挂职) and rotation (轮岗交流)."""

from datetime import date
from typing import Any, ClassVar, cast

from django.db import models
from django.db.models import Q

from cadre.cadres.models import Cadre
from cadre.core.models import CatalogueQuerySet, NoDeleteQuerySet, ScopedQuerySet, TimeStamped
from cadre.core.types import AnyUser
from cadre.orgs.models import OrgUnit, Position


class OfferedQuerySet(NoDeleteQuerySet):
    """Programmes and sessions: a unit's own offer, plus what units above it offer (read)."""

    unit_field = "org_unit"

    def visible_to(self, user: "AnyUser", *, write: bool = False) -> "OfferedQuerySet":
        from cadre.accounts.access import grant_paths, is_superuser, scope

        own = cast("OfferedQuerySet", scope(self, user, write=write))  # filter() keeps the class
        if write or is_superuser(user):
            return own
        above: set[int] = set()
        for path in grant_paths(user):
            above |= {int(p) for p in path.strip("/").split("/") if p}
        return self.filter(Q(pk__in=own.values("pk")) | Q(**{f"{self.unit_field}_id__in": above}))


class SessionQuerySet(OfferedQuerySet):
    unit_field = "programme__org_unit"


# --- training --------------------------------------------------------------------------------


class TrainingKind(models.TextChoices):
    """公务员法 第六十七条 (V1) plus the seed's 专题研讨班."""

    INITIAL = "initial", "初任培训"
    APPOINTMENT = "appointment", "任职培训"
    SPECIALIZED = "specialized", "专门业务培训"
    IN_SERVICE = "in_service", "在职培训"
    SEMINAR = "seminar", "专题研讨班"


class TrainingTopic(TimeStamped):
    """专业化能力培训 topics; the seed's list is loaded by a migration, staff may add more."""

    name = models.CharField("专题名称", max_length=40, unique=True)
    # Which post fields of work (orgs.WorkField codes) call for this topic (干什么学什么).
    work_fields = models.JSONField("对应工作领域", default=list, blank=True)
    is_active = models.BooleanField("启用", default=True)

    objects: ClassVar[Any] = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "培训专题"

    def __str__(self) -> str:
        return self.name


class TrainingProgramme(TimeStamped):
    name = models.CharField("培训项目", max_length=100)
    kind = models.CharField("培训类别", max_length=20, choices=TrainingKind.choices)
    topics = models.ManyToManyField(
        TrainingTopic, verbose_name="专题", blank=True, related_name="programmes"
    )
    trainer = models.CharField("授课教师/承办机构", max_length=100)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="主办单位",
        on_delete=models.PROTECT,
        related_name="training_programmes",
    )
    description = models.TextField("简介", blank=True)
    is_active = models.BooleanField("启用", default=True)

    objects: ClassVar[Any] = OfferedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "培训项目"

    def __str__(self) -> str:
        return self.name


class SessionStatus(models.TextChoices):
    OPEN = "open", "报名中"
    CLOSED = "closed", "已结束"
    CANCELLED = "cancelled", "已取消"


class TrainingSession(TimeStamped):
    programme = models.ForeignKey(
        TrainingProgramme,
        verbose_name="培训项目",
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField("班次名称", max_length=100)
    starts_on = models.DateField("开班日期")
    ends_on = models.DateField("结业日期")
    place = models.CharField("培训地点", max_length=100)
    capacity = models.PositiveIntegerField("计划人数")
    hours = models.DecimalField("计划学时", max_digits=6, decimal_places=1)
    status = models.CharField(
        "状态", max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )

    objects: ClassVar[Any] = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = verbose_name_plural = "培训班次"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="session_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
        ]
        indexes = [models.Index(fields=["starts_on"], name="session_starts")]

    def __str__(self) -> str:
        return self.title


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "已报名"
    COMPLETED = "completed", "已结业"
    WITHDRAWN = "withdrawn", "已退训"


class TrainingResult(models.TextChoices):
    PENDING = "", "未评定"
    EXCELLENT = "excellent", "优秀"
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"


class Enrolment(TimeStamped):
    session = models.ForeignKey(
        TrainingSession, verbose_name="班次", on_delete=models.PROTECT, related_name="enrolments"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name="学员", on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(
        "状态", max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    hours = models.DecimalField("实得学时", max_digits=6, decimal_places=1, default=0)
    result = models.CharField(
        "培训结果", max_length=10, choices=TrainingResult.choices, blank=True, default=""
    )
    # Year of the session, denormalised for the hours-by-year sums over large tables.
    year = models.PositiveSmallIntegerField("年度", db_index=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session_id", "cadre_id"]
        verbose_name = verbose_name_plural = "培训报名"
        constraints = [
            models.UniqueConstraint(fields=["session", "cadre"], name="one_enrolment_per_session"),
        ]
        indexes = [models.Index(fields=["cadre", "year"], name="enrolment_cadre_year")]

    def __str__(self) -> str:
        return f"{self.cadre} @ {self.session}"


class Attendance(TimeStamped):
    enrolment = models.ForeignKey(
        Enrolment, verbose_name="报名", on_delete=models.PROTECT, related_name="attendances"
    )
    day = models.DateField("日期")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1)
    present = models.BooleanField("出勤", default=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enrolment_id", "day"]
        verbose_name = verbose_name_plural = "考勤"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "day"], name="one_attendance_per_day"),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=12), name="attendance_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.day}"


class TrainingEvaluation(TimeStamped):
    """The trainee's own evaluation of the session (跟踪反馈, first half)."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name="报名", on_delete=models.PROTECT, related_name="evaluation"
    )
    content_score = models.PositiveSmallIntegerField("内容评分(1-5)")
    trainer_score = models.PositiveSmallIntegerField("师资评分(1-5)")
    usefulness_score = models.PositiveSmallIntegerField("实用性评分(1-5)")
    comment = models.TextField("意见建议", blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "学员评估"

    def __str__(self) -> str:
        return f"评估 {self.enrolment}"


class TrainingFollowUp(TimeStamped):
    """The supervisor's follow-up some months after the session (跟踪反馈, second half)."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name="报名", on_delete=models.PROTECT, related_name="follow_up"
    )
    due_on = models.DateField("应回访日期")
    # Empty only for imported or generated records.
    supervisor = models.ForeignKey(
        "accounts.User",
        verbose_name="回访人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applied = models.BooleanField("培训成果已运用于工作")
    rating = models.PositiveSmallIntegerField("运用效果(1-5)")
    how = models.TextField("具体表现")

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "培训跟踪回访"

    def __str__(self) -> str:
        return f"回访 {self.enrolment}"


# --- secondment ------------------------------------------------------------------------------


class PlacementKind(models.TextChoices):
    NATIONAL_STRATEGY = "national_strategy", "国家战略"
    MAJOR_REFORM = "major_reform", "重大改革"
    KEY_PROJECT = "key_project", "重点项目"
    MOUNTAIN_SEA = "mountain_sea", "山海协作产业园"
    HARD_AREA = "hard_area", "艰苦地区"
    PETITION = "petition", "信访一线"
    UPWARD = "upward", "上挂省级部门"


class PlacementStatus(models.TextChoices):
    ACTIVE = "active", "挂职中"
    ENDED = "ended", "已期满"
    CANCELLED = "cancelled", "已撤销"


class HostGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    ADEQUATE = "adequate", "一般"
    POOR = "poor", "较差"


class Placement(TimeStamped):
    """挂职: the personnel relationship stays with the home unit (公务员法 第七十二条)."""

    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="placements"
    )
    home_unit = models.ForeignKey(
        OrgUnit, verbose_name="人事关系所在单位", on_delete=models.PROTECT, related_name="+"
    )
    host_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="挂职单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_placements",
    )
    host_name = models.CharField("挂职单位或项目", max_length=100)
    post_title = models.CharField("挂任职务", max_length=60, blank=True)
    kind = models.CharField("挂职类别", max_length=20, choices=PlacementKind.choices)
    programme = models.CharField("选派计划", max_length=60, blank=True, help_text="如：新百人计划")
    started_on = models.DateField("挂职开始")
    planned_end_on = models.DateField("计划结束")
    ended_on = models.DateField("实际结束", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=PlacementStatus.choices, default=PlacementStatus.ACTIVE
    )
    report_every_months = models.PositiveSmallIntegerField("报告周期(月)", default=3)
    host_grade = models.CharField(
        "接收单位评价", max_length=10, choices=HostGrade.choices, blank=True
    )
    host_comment = models.TextField("接收单位鉴定意见", blank=True)
    evaluated_on = models.DateField("鉴定日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    # Not a field: the report dates still missing, set by api.py before PlacementOut reads it.
    overdue_reports: list[date]

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = verbose_name_plural = "挂职"
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_on__gt=models.F("started_on")),
                name="placement_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["status", "planned_end_on"], name="placement_status_end")]

    def __str__(self) -> str:
        return f"{self.cadre} 挂职 {self.host_name}"


class PlacementReport(TimeStamped):
    placement = models.ForeignKey(
        Placement, verbose_name="挂职", on_delete=models.PROTECT, related_name="reports"
    )
    period_end = models.DateField("报告期截止")
    submitted_on = models.DateField("提交日期")
    text = models.TextField("思想工作情况报告")

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["placement_id", "period_end"]
        verbose_name = verbose_name_plural = "挂职报告"
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "period_end"], name="one_report_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.period_end}"


# --- rotation --------------------------------------------------------------------------------


class Relation(models.TextChoices):
    """The kinships of 公务员法 第七十四条 第一款 (V1)."""

    SPOUSE = "spouse", "夫妻关系"
    DIRECT_BLOOD = "direct_blood", "直系血亲关系"
    COLLATERAL = "collateral", "三代以内旁系血亲关系"
    CLOSE_IN_LAW = "close_in_law", "近姻亲关系"


class Relative(TimeStamped):
    """Kinship between two cadres (stored once; read in both directions)."""

    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="+"
    )
    relative = models.ForeignKey(
        Cadre, verbose_name="亲属", on_delete=models.PROTECT, related_name="+"
    )
    relation = models.CharField("关系", max_length=20, choices=Relation.choices)
    ended_on = models.DateField("关系终止", null=True, blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["cadre_id", "relative_id"]
        verbose_name = verbose_name_plural = "干部亲属关系"
        constraints = [
            models.UniqueConstraint(fields=["cadre", "relative"], name="relative_pair_unique"),
            models.CheckConstraint(
                condition=~Q(cadre=models.F("relative")), name="relative_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre}—{self.relative}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    APPROVED = "approved", "已批准"
    EXECUTED = "executed", "已执行"
    CANCELLED = "cancelled", "已撤销"


class RotationPlan(TimeStamped):
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("方案名称", max_length=100)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="范围单位", on_delete=models.PROTECT, related_name="rotation_plans"
    )
    effective_on = models.DateField("交流生效日期")
    status = models.CharField(
        "状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        "accounts.User",
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    executed_at = models.DateTimeField("执行时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = "轮岗交流方案"

    def __str__(self) -> str:
        return self.title


class RotationMove(TimeStamped):
    plan = models.ForeignKey(
        RotationPlan, verbose_name="方案", on_delete=models.PROTECT, related_name="moves"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="+"
    )
    from_appointment = models.ForeignKey(
        "cadres.Appointment", verbose_name="原任职", on_delete=models.PROTECT, related_name="+"
    )
    to_position = models.ForeignKey(
        Position, verbose_name="拟任职位", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("交流理由", max_length=200, blank=True)
    new_appointment = models.ForeignKey(
        "cadres.Appointment",
        verbose_name="新任职",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn = models.BooleanField("已撤回", default=False)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = verbose_name_plural = "交流人选"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "cadre"],
                condition=Q(withdrawn=False),
                name="one_move_per_cadre_in_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.to_position_id}"
