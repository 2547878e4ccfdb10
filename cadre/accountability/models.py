"""The measures ladder (问责), 函询, rectification, appeals and notices (通报).

A Measure is a decision: it is never edited. It is lifted (at the end of its period, by the
nightly job, or when an open-ended one ends), revoked or replaced on appeal, or exempted by
a 容错免责 determination; each keeps its history and stops counting (`counting()`). An
exemption takes effect from its decision date (`exempted_on`): eligibility on earlier days
still sees the measure. Voiding a measure recomputes the periods chained on it
(`chained_measures`, 处分条例 第十条第二款).
"""

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from cadre.core.models import NoDeleteQuerySet, ScopedQuerySet, TimeStamped
from cadre.core.types import AnyUser

if TYPE_CHECKING:
    pass


class MeasureKind(models.TextChoices):
    TALK_REMINDER = "talk_reminder", "谈话提醒"
    CRITICISM_EDUCATION = "criticism_education", "批评教育"
    ORDERED_SELF_INSPECTION = "ordered_self_inspection", "责令检查"
    ADMONISHMENT = "admonishment", "诫勉"
    SUSPENSION_FOR_INSPECTION = "suspension_for_inspection", "停职检查"
    JOB_REASSIGNMENT = "job_reassignment", "调整职务（调离岗位）"
    REASSIGN_OTHER_POST = "reassign_other_post", "改任其他职务"
    ORDERED_RESIGNATION = "ordered_resignation", "责令辞职"
    REMOVAL = "removal", "免职"
    DEMOTION = "demotion", "降职"
    PARTY_WARNING = "party_warning", "党内警告"
    PARTY_SERIOUS_WARNING = "party_serious_warning", "党内严重警告"
    REMOVAL_FROM_PARTY_POST = "removal_from_party_post", "撤销党内职务"
    PARTY_PROBATION = "party_probation", "留党察看"
    EXPULSION_FROM_PARTY = "expulsion_from_party", "开除党籍"
    GOV_WARNING = "gov_warning", "警告（政务处分）"
    GOV_DEMERIT = "gov_demerit", "记过"
    GOV_MAJOR_DEMERIT = "gov_major_demerit", "记大过"
    GOV_GRADE_REDUCTION = "gov_grade_reduction", "降级"
    GOV_DISMISSAL = "gov_dismissal", "撤职"
    GOV_EXPULSION = "gov_expulsion", "开除"
    REFERRAL = "referral", "移送监察/司法机关"


class MeasureStatus(models.TextChoices):
    IN_FORCE = "in_force", "影响期内"
    EXECUTED = "executed", "已执行(无影响期)"
    LIFTED = "lifted", "已解除/期满"
    REVOKED = "revoked", "已撤销"
    SUPERSEDED = "superseded", "已变更"
    EXEMPTED = "exempted", "已免责"


class ReferralTarget(models.TextChoices):
    SUPERVISORY = "supervisory", "监察机关"
    JUDICIAL = "judicial", "司法机关"


class MeasureQuerySet(ScopedQuerySet):
    def counting(self) -> "MeasureQuerySet":
        """Measures with consequences: not exempted, not revoked, not superseded."""
        return self.filter(exempted=False).exclude(
            status__in=[MeasureStatus.REVOKED, MeasureStatus.SUPERSEDED]
        )

    def negative_evidence(self) -> "MeasureQuerySet":
        """What an assessment may count against a cadre (exempted measures never)."""
        return self.counting()

    def personnel_overdue(self, today: date) -> "MeasureQuerySet":
        """第五十四条 follow-ups still open whose deadline (extended or not) has passed."""
        deadline = Coalesce("personnel_extended_to", "personnel_due_on")
        return (
            self.counting()
            .filter(personnel_due_on__isnull=False, personnel_done_on__isnull=True)
            .alias(personnel_deadline=deadline)
            .filter(personnel_deadline__lt=today)
        )


class Measure(TimeStamped):
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="measures"
    )
    unit_at_decision = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="决定时所在单位",
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("处理措施", max_length=30, choices=MeasureKind.choices)
    issuing_body = models.CharField("决定机关", max_length=100)
    decided_on = models.DateField("决定日期", db_index=True)
    effective_on = models.DateField("生效日期")
    facts = models.TextField("事实")
    article = models.CharField("依据条款", max_length=200)
    probation_years = models.PositiveSmallIntegerField("留党察看期限(年)", null=True, blank=True)
    referral_to = models.CharField(
        "移送机关", max_length=20, choices=ReferralTarget.choices, blank=True
    )
    combined_count = models.PositiveSmallIntegerField("合并的相同处分数", default=1)
    period_months = models.PositiveSmallIntegerField("影响期(月)", null=True, blank=True)
    influence_until = models.DateField("影响期至(含)", null=True, blank=True, db_index=True)
    open_ended = models.BooleanField("无固定期限", default=False)
    period_basis = models.CharField("影响期计算依据", max_length=400)
    status = models.CharField(
        "状态", max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.IN_FORCE
    )
    ended_on = models.DateField("解除/结束日期", null=True, blank=True)
    exempted = models.BooleanField("容错免责", default=False)
    exemption_note = models.CharField("免责说明", max_length=200, blank=True)
    # The exemption's decision date: the measure has effect before it, none from it on.
    exempted_on = models.DateField("免责认定日期", null=True, blank=True)
    # 处分条例 第十条第二款: the running measure whose unserved rest this period includes.
    chained_on = models.ForeignKey(
        "self",
        verbose_name="与其未执行期相加的原处分",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chained_measures",
    )
    case = models.ForeignKey(
        "supervision.Case",
        verbose_name="来源案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    inquiry = models.ForeignKey(
        "WrittenInquiry",
        verbose_name="来源函询",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name="变更自",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name="登记人",
        null=True,
        blank=True,  # null: imported
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What recording it changed in the registry (免职, 降职, 撤职, 开除 ...; issue 11).
    registry_effect = models.CharField("任职和职级变化", max_length=500, blank=True)
    # 政务处分法 第五十四条: 降级以上 — post, rank and pay changed within a month of the decision
    # (extendable, at most six months).
    personnel_due_on = models.DateField("人事变更办理期限", null=True, blank=True, db_index=True)
    personnel_extended_to = models.DateField("延长办理期限至", null=True, blank=True)
    personnel_done_on = models.DateField("人事变更办结日期", null=True, blank=True)
    personnel_note = models.CharField("人事变更办理情况", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = verbose_name_plural = "处理措施"
        indexes = [
            models.Index(fields=["cadre", "effective_on"], name="measure_cadre_effective"),
            models.Index(fields=["unit_at_decision", "decided_on"], name="measure_unit_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_on__gte=models.F("decided_on")),
                name="measure_effective_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_kind_display()} {self.decided_on}"

    @property
    def category(self) -> str:
        from cadre.accountability.rules import KIND_CATEGORY

        return KIND_CATEGORY[self.kind]

    @property
    def category_label(self) -> str:
        from cadre.accountability.rules import CATEGORY_LABELS

        return CATEGORY_LABELS[self.category]

    @property
    def personnel_deadline(self) -> date | None:
        return self.personnel_extended_to or self.personnel_due_on

    @property
    def personnel_open(self) -> bool:
        return self.personnel_due_on is not None and self.personnel_done_on is None

    @property
    def counts(self) -> bool:
        return not self.exempted and self.status not in (
            MeasureStatus.REVOKED,
            MeasureStatus.SUPERSEDED,
        )


class RectificationStatus(models.TextChoices):
    OPEN = "open", "整改中"
    DONE = "done", "已完成"


class Rectification(TimeStamped):
    """整改要求 set with a 提醒 (seed 五.1: 指出存在问题，提出整改要求), tracked to done."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="rectifications")
    requirement = models.TextField("整改要求")
    due_on = models.DateField("整改期限")
    due_on_provisional = models.BooleanField("整改期限为推定", default=False)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    done_on = models.DateField("完成日期", null=True, blank=True)
    result = models.TextField("整改情况", blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["measure_id", "due_on", "id"]
        verbose_name = verbose_name_plural = "整改要求"

    def __str__(self) -> str:
        return self.requirement[:30]


class AppealKind(models.TextChoices):
    REVIEW = "review", "复审"
    RECHECK = "recheck", "复核"
    COMPLAINT = "complaint", "申诉"


class AppealResult(models.TextChoices):
    PENDING = "pending", "审理中"
    UPHELD = "upheld", "维持"
    CHANGED = "changed", "变更"
    REVOKED = "revoked", "撤销"


class MeasureAppeal(TimeStamped):
    """复审/复核 (政务处分法 第五十五条); it does not suspend the measure (第五十六条)."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField("类型", max_length=10, choices=AppealKind.choices)
    filed_on = models.DateField("申请日期")
    reasons = models.TextField("申请理由")
    result = models.CharField(
        "结果", max_length=10, choices=AppealResult.choices, default=AppealResult.PENDING
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_text = models.TextField("决定说明", blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["measure_id", "filed_on", "id"]
        verbose_name = verbose_name_plural = "复审复核"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on}"


class InquiryStatus(models.TextChoices):
    SENT = "sent", "已发函待回复"
    REPLIED = "replied", "已回复待处理"
    CLOSED = "closed", "已办结"


class InquiryOutcome(models.TextChoices):
    CLARIFIED = "clarified", "澄清了结"
    REMINDER = "reminder", "谈话提醒"
    ADMONISHMENT = "admonishment", "诫勉"
    FURTHER_VERIFICATION = "further_verification", "进一步核实"


class InquiryQuerySet(ScopedQuerySet):
    def overdue(self, today: Any) -> "InquiryQuerySet":
        return self.filter(status=InquiryStatus.SENT, due_on__lt=today)


class WrittenInquiry(TimeStamped):
    """函询 (seed 五.1, DOMAIN.md 2.3): letter, reply with the Party committee head's
    sign-off, outcome. The cadre sees and answers their own inquiries."""

    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name="被函询人",
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    clue = models.ForeignKey(
        "supervision.Clue",
        verbose_name="来源线索",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    issuing_body = models.CharField("发函机关", max_length=100)
    questions = models.TextField("函询问题")
    sent_on = models.DateField("发函日期")
    due_on = models.DateField("回复期限", db_index=True)
    due_on_provisional = models.BooleanField("回复期限为推定", default=False)
    status = models.CharField(
        "状态", max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.SENT
    )
    reply_text = models.TextField("说明材料", blank=True)
    replied_on = models.DateField("回复日期", null=True, blank=True)
    signoff_name = models.CharField("党委(党组)主要负责人", max_length=30, blank=True)
    signoff_opinion = models.TextField("签署意见", blank=True)
    signoff_on = models.DateField("签署日期", null=True, blank=True)
    outcome = models.CharField(
        "处理结果", max_length=30, choices=InquiryOutcome.choices, blank=True
    )
    outcome_note = models.TextField("处理说明", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    reminded_on = models.DateField("最近催复日期", null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField("催复次数", default=0)
    sent_by = models.ForeignKey(
        "accounts.User",
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = verbose_name_plural = "函询"

    def __str__(self) -> str:
        return f"函询 {self.cadre} {self.sent_on}"


class NoticeKind(models.TextChoices):
    NEGATIVE = "negative", "反面典型通报"
    POSITIVE = "positive", "正面典型通报"
    TOLERANCE = "tolerance", "容错免责公开"


class NoticeVisibility(models.TextChoices):
    INTERNAL = "internal", "内部通报"
    PUBLIC = "public", "公开通报"


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class NoticeQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> Any:
        """Staff of the issuing unit (scope), plus, for a published internal notice, anyone
        whose grant or own unit lies under one of its target units."""
        from cadre.accounts.access import scope

        managed = scope(self, user, write=write)
        if write:
            return managed
        prefixes = recipient_prefixes(user)
        received = (
            self.filter(status=NoticeStatus.PUBLISHED, target_units__path__in=prefixes)
            if prefixes
            else self.none()
        )
        return self.filter(Q(pk__in=managed.values("pk")) | Q(pk__in=received.values("pk")))

    def public(self) -> "NoticeQuerySet":
        return self.filter(status=NoticeStatus.PUBLISHED, visibility=NoticeVisibility.PUBLIC)


def recipient_prefixes(user: Any) -> list[str]:
    """Every ancestor path of the units the user works in or holds a grant on."""
    from cadre.accounts.access import grant_paths, own_cadre_id

    paths = grant_paths(user)
    cadre_id = own_cadre_id(user)
    if cadre_id:
        from cadre.cadres.models import Cadre

        own = Cadre.objects.filter(pk=cadre_id).values_list("org_unit__path", flat=True)
        paths += list(own)
    prefixes: set[str] = set()
    for path in paths:
        parts = [p for p in path.strip("/").split("/") if p]
        prefixes |= {"/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)}
    return sorted(prefixes)


class Notice(TimeStamped):
    """通报 (seed 五.2): internal to chosen units with read tracking, or public."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="发布单位", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=20, choices=NoticeKind.choices)
    visibility = models.CharField("范围", max_length=10, choices=NoticeVisibility.choices)
    title = models.CharField("标题", max_length=100)
    draft_body = models.TextField("原文(含姓名，仅经办人可见)")
    redact_names = models.JSONField("隐去的姓名", default=list, blank=True)
    redact_terms = models.JSONField("隐去的其他内容", default=list, blank=True)
    published_body = models.TextField("发布文本", blank=True)
    case = models.ForeignKey(
        "supervision.Case",
        verbose_name="来源案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_units = models.ManyToManyField(
        "orgs.OrgUnit", verbose_name="通报范围", blank=True, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="起草人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = verbose_name_plural = "通报"

    def __str__(self) -> str:
        return self.title


class NoticeRead(TimeStamped):
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    read_on = models.DateField("阅读日期")

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["notice_id", "read_on", "id"]
        verbose_name = verbose_name_plural = "通报阅读记录"
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.read_on}"
