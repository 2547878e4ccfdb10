"""Daily logs (日志式管理), weekly review marks and quarterly routine grades (平时考核).

Every table carries the org unit (DESIGN.md 4): a log stays with the unit its cadre served in
when it was written, so the unit head who reviewed it keeps it in scope after a transfer.
Task links are a JSON list of task ids: the targets app had no Task model when this app was
written; see `task_ids` below.
"""

from datetime import date
from typing import Any, ClassVar, cast

from django.db import models
from django.db.models import Q

from cadre.cadres.models import Cadre
from cadre.core.models import NoDeleteQuerySet, TimeStamped
from cadre.core.types import AnyUser
from cadre.orgs.models import OrgUnit
from cadre.worklogs import rules


class LogStatus(models.TextChoices):
    DRAFT = rules.DRAFT, "草稿"
    SUBMITTED = rules.SUBMITTED, "已提交"
    REVIEWED = rules.REVIEWED, "已审阅"


class RoutineGrade(models.TextChoices):
    """DOMAIN.md 1.6 RoutineGrade."""

    GOOD = rules.GOOD, "好"
    FAIRLY_GOOD = rules.FAIRLY_GOOD, "较好"
    AVERAGE = rules.AVERAGE, "一般"
    POOR = rules.POOR, "较差"


class GradeStatus(models.TextChoices):
    PROPOSED = rules.PROPOSED, "待确认"
    CONFIRMED = rules.CONFIRMED, "已确认"
    REVIEW_REQUESTED = rules.REVIEW_REQUESTED, "复核中"
    REVIEW_DECIDED = rules.REVIEW_DECIDED, "已复核"


def _delegated_units(user: AnyUser) -> list[str]:
    """Unit paths whose logs `user` reviews by delegation (today, not revoked)."""
    from cadre.accounts.models import User

    if not isinstance(user, User):  # anonymous: no delegation
        return []
    cached = getattr(user, "_worklog_delegations", None)
    if cached is None:
        from django.utils import timezone

        today = timezone.localdate()
        cached = list(
            ReviewerDelegation.objects.filter(
                delegate=user, revoked_at__isnull=True, starts_on__lte=today
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .values_list("org_unit__path", flat=True)
        )
        user._worklog_delegations = cached  # type: ignore[attr-defined]  # per-request cache
    return cached


class ReviewScopedQuerySet(NoDeleteQuerySet):
    """Scope through the scoping module, plus the units delegated to the user for review.

    A unit head may delegate log review (ReviewerDelegation) to another staff member; the
    delegate then reads and reviews that unit's logs and week marks, nothing else.
    """

    unit_lookup = "org_unit__path"

    def visible_to(self, user: "AnyUser", *, write: bool = False) -> Any:
        from cadre.accounts.access import scope

        scoped = scope(self, user, write=write)
        paths = _delegated_units(user)
        if not paths:
            return scoped
        delegated = Q()
        for path in paths:
            delegated |= Q(**{f"{self.unit_lookup}__startswith": path})
        return scoped | self.filter(delegated)


class WorkLogQuerySet(ReviewScopedQuerySet):
    def between(self, start: date, end: date) -> "WorkLogQuerySet":
        return self.filter(day__gte=start, day__lte=end)

    def handed_in(self) -> "WorkLogQuerySet":
        return self.filter(status__in=[LogStatus.SUBMITTED, LogStatus.REVIEWED])


class WorkLog(TimeStamped):
    cadre = models.ForeignKey(
        Cadre,
        verbose_name="干部",
        on_delete=models.PROTECT,
        related_name="worklogs",
        db_index=False,  # the unique constraint below starts with cadre
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所在单位",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (org_unit, …) index below starts with it
    )
    day = models.DateField("日期")
    text = models.TextField("工作内容")
    hours = models.DecimalField(
        "工作时长（小时）", max_digits=3, decimal_places=1, null=True, blank=True
    )
    # Links to the cadre's tasks (targets app). A JSON list of task ids rather than a M2M:
    # targets.Task did not exist when this app was built; switch to a M2M once it does.
    task_ids = models.JSONField("关联任务", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=LogStatus.choices, default=LogStatus.DRAFT
    )
    is_late = models.BooleanField("补填", default=False)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审阅时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = WorkLogQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "cadre_id"]
        verbose_name = verbose_name_plural = "工作日志"
        constraints = [
            models.UniqueConstraint(fields=["cadre", "day"], name="worklog_one_per_cadre_day"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0, hours__lte=24),
                name="worklog_hours_in_day",
            ),
        ]
        indexes = [models.Index(fields=["org_unit", "day"], name="worklog_unit_day")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.day}"

    @property
    def is_editable(self) -> bool:
        return self.status != LogStatus.REVIEWED


class AnnotationQuerySet(ReviewScopedQuerySet):
    unit_lookup = "log__org_unit__path"


class Annotation(TimeStamped):
    """Appended to a log; after review this is the only way to add to it."""

    log = models.ForeignKey(
        WorkLog, verbose_name="日志", on_delete=models.PROTECT, related_name="annotations"
    )
    author = models.ForeignKey(
        "accounts.User", verbose_name="批注人", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("批注")

    objects: ClassVar[Any] = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["log_id", "created_at", "id"]
        verbose_name = verbose_name_plural = "日志批注"

    def __str__(self) -> str:
        return f"{self.log_id} {self.created_at:%Y-%m-%d}"


class WeekReview(TimeStamped):
    cadre = models.ForeignKey(
        Cadre,
        verbose_name="干部",
        on_delete=models.PROTECT,
        related_name="week_reviews",
        db_index=False,  # the unique constraint below starts with cadre
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所在单位",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (org_unit, …) index below starts with it
    )
    week_start = models.DateField("周起始日（周一）")
    mark = models.CharField("评价", max_length=12, choices=RoutineGrade.choices, blank=True)
    score = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    comment = models.CharField("评语", max_length=500, blank=True)
    reviewer = models.ForeignKey(
        "accounts.User", verbose_name="审阅人", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("审阅时间")
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = ReviewScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start", "cadre_id"]
        verbose_name = verbose_name_plural = "周审阅"
        constraints = [
            models.UniqueConstraint(fields=["cadre", "week_start"], name="weekreview_one_per_week"),
            models.CheckConstraint(
                condition=~Q(mark="") & Q(score__isnull=True)
                | Q(mark="", score__isnull=False, score__lte=100),
                name="weekreview_mark_or_score",
            ),
        ]
        indexes = [models.Index(fields=["org_unit", "week_start"], name="weekreview_unit_week")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.week_start}"

    @property
    def mark_display(self) -> str:
        return self.get_mark_display() if self.mark else f"{self.score}分"


class DelegationQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> "DelegationQuerySet":
        from cadre.accounts.access import scope

        return cast("DelegationQuerySet", scope(self, user, write=write))  # filter() keeps it

    def current(self, today: date) -> "DelegationQuerySet":
        return self.filter(revoked_at__isnull=True, starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )


class ReviewerDelegation(TimeStamped):
    """A unit head lets another staff member review the unit's logs for a period."""

    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="委托审阅的单位", on_delete=models.PROTECT, related_name="+"
    )
    delegate = models.ForeignKey(
        "accounts.User", verbose_name="受托审阅人", on_delete=models.PROTECT, related_name="+"
    )
    granted_by = models.ForeignKey(
        "accounts.User", verbose_name="委托人", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects: ClassVar[Any] = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["org_unit_id", "-starts_on"]
        verbose_name = verbose_name_plural = "日志审阅委托"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="delegation_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_unit_id} → {self.delegate_id}"


class QuarterGradeQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> "QuarterGradeQuerySet":
        from cadre.accounts.access import scope

        return cast("QuarterGradeQuerySet", scope(self, user, write=write))  # filter() keeps it

    def of_quarter(self, year: int, quarter: int) -> "QuarterGradeQuerySet":
        return self.filter(year=year, quarter=quarter)


class QuarterGrade(TimeStamped):
    """A quarter's routine grade: proposed by rule, confirmed (or changed with a reason) by
    the unit head, and open to one review (复核) asked by the cadre."""

    cadre = models.ForeignKey(
        Cadre,
        verbose_name="干部",
        on_delete=models.PROTECT,
        related_name="quarter_grades",
        db_index=False,  # the unique constraint below starts with cadre
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所在单位",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (org_unit, …) index below starts with it
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    status = models.CharField(
        "状态", max_length=20, choices=GradeStatus.choices, default=GradeStatus.PROPOSED
    )
    proposed_grade = models.CharField(
        "建议等次", max_length=12, choices=RoutineGrade.choices, blank=True
    )
    proposed_score = models.DecimalField(
        "综合得分", max_digits=4, decimal_places=1, null=True, blank=True
    )
    # A weighted input (or the inspections) was missing for the cadre: no proposal was
    # computed from the rest; the missing inputs are listed in inputs["missing"].
    incomplete = models.BooleanField("依据不全", default=False)
    inputs = models.JSONField("评定依据", default=dict)
    proposed_at = models.DateTimeField("建议时间")
    confirmed_grade = models.CharField(
        "确认等次", max_length=12, choices=RoutineGrade.choices, blank=True
    )
    change_reason = models.CharField("调整理由", max_length=500, blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    notified_at = models.DateTimeField("告知本人时间", null=True, blank=True)
    review_reason = models.CharField("复核申请理由", max_length=500, blank=True)
    review_requested_at = models.DateTimeField("申请复核时间", null=True, blank=True)
    review_grade = models.CharField(
        "复核等次", max_length=12, choices=RoutineGrade.choices, blank=True
    )
    review_note = models.CharField("复核意见", max_length=500, blank=True)
    review_decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_decided_at = models.DateTimeField("复核时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = QuarterGradeQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "org_unit_id", "cadre_id"]
        verbose_name = verbose_name_plural = "季度平时考核"
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "year", "quarter"], name="quartergrade_one_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="quartergrade_quarter_1_4"
            ),
        ]
        indexes = [
            models.Index(fields=["org_unit", "year", "quarter"], name="quartergrade_unit_q"),
            models.Index(fields=["year", "quarter"], name="quartergrade_q"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.year}Q{self.quarter}"

    @property
    def final_grade(self) -> str:
        """The grade in force: the review's, else the confirmed one ("" while proposed)."""
        return self.review_grade or self.confirmed_grade

    @property
    def final_grade_display(self) -> str:
        return rules.GRADE_LABELS.get(self.final_grade, "")

    @property
    def review_requested(self) -> bool:
        return self.review_requested_at is not None
