"""Annual assessment (年度考核 / 实绩考核): cycles, participants, evidence, democratic and
satisfaction evaluation, disclosure, decisions and review.

Anonymity by construction (TRUST.md AN-07): a rater token row holds only a keyed hash of the
token, its category and whether it was used; ballots and survey answers carry no token
reference, no user, no IP or user agent, and only the day they were cast.
"""

from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models import Q

from cadre.assessments import rules
from cadre.core.models import NoDeleteModel, ScopedQuerySet, TimeStamped
from cadre.core.types import AnyUser

if TYPE_CHECKING:
    pass

USER = "accounts.User"


class CycleKind(models.TextChoices):
    CIVIL_SERVANTS = "civil_servants", rules.CYCLE_KINDS["civil_servants"]
    LEADERS = "leaders", rules.CYCLE_KINDS["leaders"]
    HEAD = "head", rules.CYCLE_KINDS["head"]
    NEW_HEAD = "new_head", rules.CYCLE_KINDS["new_head"]
    TERM = "term", rules.CYCLE_KINDS["term"]


# The stubs lack the functional API with (value, label) members.
Phase = models.TextChoices(  # type: ignore[call-overload]
    "Phase", [(p, (p, rules.PHASE_LABELS[p])) for p in rules.PHASES]
)
Stage = models.TextChoices(  # type: ignore[call-overload]
    "Stage", [(s, (s, label)) for s, label in rules.STAGES.items()]
)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basically_competent", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class QuotaPool(models.TextChoices):
    UNIT = "unit", "按单位核定优秀名额"
    CYCLE = "cycle", "全周期统一核定优秀名额"


class CycleQuerySet(ScopedQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> Any:
        """Cycles over the user's subtree, plus (read) cycles with participants they may see:
        a unit head below a county-wide cycle reaches it through their unit's cadres."""
        from cadre.accounts.access import scope

        own = scope(self, user, write=write)
        if write:
            return own
        via = Participant.objects.visible_to(user).values("cycle_id")
        return self.filter(Q(pk__in=own.values("pk")) | Q(pk__in=via))


class Cycle(TimeStamped):
    year = models.PositiveSmallIntegerField("考核年度")
    kind = models.CharField("考核类别", max_length=20, choices=CycleKind.choices)
    title = models.CharField("名称", max_length=100)
    scope_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="考核范围（单位及下级）",
        on_delete=models.PROTECT,
        related_name="+",
    )
    phase = models.CharField(
        "当前阶段", max_length=20, choices=Phase.choices, default=rules.PREPARATION
    )
    quota_pool = models.CharField(
        "优秀名额核定方式", max_length=10, choices=QuotaPool.choices, default=QuotaPool.UNIT
    )
    disclose_summaries = models.BooleanField("公示领导干部述职（个人总结）", default=False)
    term_start_year = models.PositiveSmallIntegerField("任期起始年度", null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    evidence_compiled_at = models.DateTimeField("实绩证据汇集时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "scope_unit_id", "kind"]
        verbose_name = verbose_name_plural = "考核周期"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "scope_unit"], name="assessment_cycle_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_annual(self) -> bool:
        return self.kind in rules.ANNUAL_KINDS


class ChildOfCycleQuerySet(ScopedQuerySet):
    pass


class PhaseStep(TimeStamped):
    """The plan of one phase (dates, who acts) and when it was actually entered."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="steps")
    phase = models.CharField("阶段", max_length=20, choices=Phase.choices)
    planned_start = models.DateField("计划开始", null=True, blank=True)
    planned_end = models.DateField("计划结束", null=True, blank=True)
    actor = models.CharField("实施主体", max_length=60)
    entered_at = models.DateTimeField("实际进入时间", null=True, blank=True)
    entered_by = models.ForeignKey(
        USER,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ChildOfCycleQuerySet.as_manager()

    class Meta:
        ordering = ["cycle_id", "id"]
        verbose_name = verbose_name_plural = "考核阶段"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "phase"], name="assessment_step_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.get_phase_display()}"


class QuotaApproval(TimeStamped):
    """A raised 优秀 ratio for one unit in one cycle, with the approval on record (V3)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="quota_approvals")
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    ratio = models.DecimalField("批准的优秀比例", max_digits=4, decimal_places=2)
    reason = models.TextField("理由（完成重大任务等特殊情况）")
    approval_document = models.CharField("批准文件", max_length=100)
    approved_on = models.DateField("批准日期")
    recorded_by = models.ForeignKey(
        USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[Any] = ChildOfCycleQuerySet.as_manager()

    class Meta:
        ordering = ["cycle_id", "org_unit_id"]
        verbose_name = verbose_name_plural = "优秀比例提高批准"
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "org_unit"], name="assessment_quota_approval_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.org_unit} {self.ratio}"


class Participant(TimeStamped):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="participants")
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="assessments"
    )
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    quota_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="优秀名额核定单位", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("职务", max_length=60, blank=True)
    is_leader = models.BooleanField("领导干部", default=False)
    stage = models.CharField(
        "进度", max_length=20, choices=Stage.choices, default="enrolled", db_index=True
    )
    summary = models.TextField("个人总结（述职）", blank=True)
    summary_submitted_at = models.DateTimeField("总结提交时间", null=True, blank=True)
    evidence_compiled_at = models.DateTimeField("证据汇集时间", null=True, blank=True)
    # Facts staff record for the ungraded and dismissal rules (DOMAIN.md 1.4, 1.5).
    under_investigation = models.BooleanField("正在接受立案审查调查（未结案）", default=False)
    leave_days = models.PositiveSmallIntegerField("本年度病事假天数", default=0)
    protected_from_dismissal = models.BooleanField(
        "属于不得辞退情形（公务员法第八十九条）", default=False
    )
    facts_note = models.CharField("情况说明", max_length=200, blank=True)
    proposed_grade = models.CharField("建议等次", max_length=20, choices=Grade.choices, blank=True)
    ungraded_reason = models.CharField("不定等次原因", max_length=200, blank=True)
    evaluation_text = models.TextField("综合评价意见", blank=True)
    justice_note = models.TextField("主持公道说明", blank=True)
    proposed_by = models.ForeignKey(
        USER,
        verbose_name="建议人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField("建议时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["cycle_id", "org_unit_id", "-is_leader", "cadre_id"]
        verbose_name = verbose_name_plural = "考核对象"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "cadre"], name="assessment_participant_unique")
        ]
        indexes = [
            models.Index(fields=["cycle", "org_unit"], name="participant_cycle_unit"),
            models.Index(fields=["cycle", "quota_unit"], name="participant_cycle_quota"),
            models.Index(fields=["cycle", "stage"], name="participant_cycle_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.cadre}"

    @property
    def evidence(self) -> dict[str, Any]:
        """The evidence snapshot (select_related("snapshot") when listing many)."""
        try:
            return self.snapshot.data
        except EvidenceSnapshot.DoesNotExist:
            return {}

    @property
    def proposed(self) -> bool:
        return bool(self.proposed_grade or self.ungraded_reason)


class EvidenceSnapshot(NoDeleteModel):
    """The compiled evidence panel of one participant: its own narrow table, so that the
    large JSON neither widens the participant rows every list scans nor bloats them when
    the evidence is compiled again."""

    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, primary_key=True, related_name="snapshot"
    )
    compiled_at = models.DateTimeField("汇集时间")
    data = models.JSONField("实绩证据（汇集快照）", default=dict)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["participant_id"]
        verbose_name = verbose_name_plural = "实绩证据快照"


class Decision(TimeStamped):
    """The grade decided (or 不定等次), the written notification and the acknowledgement."""

    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="decision"
    )
    # Denormalised for the results functions (one query for any set of cadres and years).
    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("考核年度")
    annual = models.BooleanField("年度考核结果", default=True)
    grade = models.CharField("确定等次", max_length=20, choices=Grade.choices, blank=True)
    ungraded_reason = models.CharField("不定等次原因", max_length=200, blank=True)
    final_grade = models.CharField(
        "最终等次（含复核）", max_length=20, choices=Grade.choices, blank=True
    )
    note = models.TextField("决定说明", blank=True)
    decided_on = models.DateField("决定日期")
    decided_by = models.ForeignKey(
        USER, verbose_name="决定人", on_delete=models.PROTECT, related_name="+"
    )
    consequences = models.JSONField("后果（依规则）", default=list, blank=True)
    notified_on = models.DateField("书面通知日期", null=True, blank=True)
    notified_by = models.ForeignKey(
        USER,
        verbose_name="通知人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField("本人签收时间", null=True, blank=True)
    acknowledgement_text = models.CharField("本人意见", max_length=500, blank=True)
    review_waived = models.BooleanField("本人表示不申请复核", default=False)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "participant_id"]
        verbose_name = verbose_name_plural = "考核结果"
        indexes = [models.Index(fields=["cadre", "year"], name="decision_cadre_year")]

    def __str__(self) -> str:
        return f"{self.participant} {rules.grade_label(self.final_grade or None)}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待复核"
    UPHELD = "upheld", "维持原等次"
    CHANGED = "changed", "变更等次"


class ReviewRequest(TimeStamped):
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="review")
    reason = models.TextField("申请理由")
    requested_on = models.DateField("申请日期")
    decide_by = models.DateField("复核决定期限")
    status = models.CharField(
        "状态", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    new_grade = models.CharField("变更后等次", max_length=20, choices=Grade.choices, blank=True)
    decision_text = models.TextField("复核决定", blank=True)
    decided_on = models.DateField("复核决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        USER,
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = verbose_name_plural = "复核申请"

    def __str__(self) -> str:
        return f"{self.decision} 复核"


# ---- democratic evaluation (民主测评) ------------------------------------------------------


class RaterCategory(models.TextChoices):
    SUPERIOR = "superior", "上级"
    PEER = "peer", "同级"
    SUBORDINATE = "subordinate", "下级"
    SERVICE = "service", "服务对象"


class TeamChoice(models.TextChoices):
    GOOD = "good", "好"
    FAIRLY_GOOD = "fairly_good", "较好"
    AVERAGE = "average", "一般"
    POOR = "poor", "较差"


class EvaluationSession(TimeStamped):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="sessions")
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="测评单位", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("名称", max_length=100)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("结束时间")
    rates_team = models.BooleanField("同时测评领导班子", default=False)
    closed_at = models.DateTimeField("结束确认时间", null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["cycle_id", "org_unit_id", "id"]
        verbose_name = verbose_name_plural = "民主测评"

    def __str__(self) -> str:
        return self.title


class RaterToken(NoDeleteModel):
    """One-time anonymous token: a keyed hash only, never linked to a person or a ballot."""

    session = models.ForeignKey(EvaluationSession, on_delete=models.PROTECT, related_name="tokens")
    category = models.CharField("测评人类别", max_length=20, choices=RaterCategory.choices)
    token_hash = models.CharField("凭证哈希", max_length=64, unique=True)
    used = models.BooleanField("已使用", default=False)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session_id", "id"]
        verbose_name = verbose_name_plural = "测评凭证"


class Ballot(NoDeleteModel):
    """One rater's grade for one cadre; no token, user, IP or time finer than the day."""

    session = models.ForeignKey(EvaluationSession, on_delete=models.PROTECT, related_name="ballots")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    category = models.CharField("测评人类别", max_length=20, choices=RaterCategory.choices)
    choice = models.CharField("等次", max_length=20, choices=Grade.choices)
    cast_on = models.DateField("投票日期")

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session_id", "id"]
        verbose_name = verbose_name_plural = "测评票"
        indexes = [models.Index(fields=["participant", "category"], name="ballot_subject")]


class TeamBallot(NoDeleteModel):
    session = models.ForeignKey(
        EvaluationSession, on_delete=models.PROTECT, related_name="team_ballots"
    )
    category = models.CharField("测评人类别", max_length=20, choices=RaterCategory.choices)
    choice = models.CharField("班子等次", max_length=20, choices=TeamChoice.choices)
    cast_on = models.DateField("投票日期")

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session_id", "id"]
        verbose_name = verbose_name_plural = "班子测评票"


class PaperTurnout(TimeStamped):
    session = models.ForeignKey(
        EvaluationSession, on_delete=models.PROTECT, related_name="paper_turnouts"
    )
    category = models.CharField("测评人类别", max_length=20, choices=RaterCategory.choices)
    issued = models.PositiveIntegerField("发放张数")
    returned = models.PositiveIntegerField("收回张数")
    entered_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session_id", "category"]
        verbose_name = verbose_name_plural = "纸质测评票发放回收"
        constraints = [
            models.UniqueConstraint(fields=["session", "category"], name="paper_turnout_unique")
        ]


class PaperTally(TimeStamped):
    """Counts from paper ballots for one cadre (or the team, participant empty)."""

    session = models.ForeignKey(
        EvaluationSession, on_delete=models.PROTECT, related_name="paper_tallies"
    )
    category = models.CharField("测评人类别", max_length=20, choices=RaterCategory.choices)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counts = models.JSONField("各等次票数")
    entered_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session_id", "participant_id", "category"]
        verbose_name = verbose_name_plural = "纸质测评票统计"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "category", "participant"], name="paper_tally_unique"
            ),
            models.UniqueConstraint(
                fields=["session", "category"],
                condition=Q(participant__isnull=True),
                name="paper_tally_team_unique",
            ),
        ]


# ---- satisfaction evaluation (满意不满意单位评议) ---------------------------------------------


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "准备中"
    OPEN = "open", "评议中"
    CLOSED = "closed", "评议结束"
    PUBLISHED = "published", "已发布报告"


class SurveyQuerySet(ScopedQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> Any:
        """Surveys over the user's subtree, plus (read) surveys evaluating a unit the user may
        see: a county's unit head reaches a city-wide survey for their own units' results and
        comments."""
        from cadre.accounts.access import scope

        own = scope(self, user, write=write)
        if write:
            return own
        via = SurveyUnit.objects.visible_to(user).values("survey_id")
        return self.filter(Q(pk__in=own.values("pk")) | Q(pk__in=via))


class Survey(TimeStamped):
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=100)
    scope_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+"
    )
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("结束日期")
    status = models.CharField(
        "状态", max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    report = models.JSONField("汇总报告数据", default=dict, blank=True)
    report_text = models.TextField("社会评价意见报告", blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = "满意度评议"

    def __str__(self) -> str:
        return self.title


class SurveyUnit(TimeStamped):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="units")
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="被评议单位", on_delete=models.PROTECT, related_name="+"
    )
    veto_item = models.CharField("一票否决事项", max_length=100, blank=True)
    veto_note = models.CharField("否决依据", max_length=200, blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["survey_id", "org_unit_id"]
        verbose_name = verbose_name_plural = "被评议单位"
        constraints = [
            models.UniqueConstraint(fields=["survey", "org_unit"], name="survey_unit_unique")
        ]

    def __str__(self) -> str:
        return str(self.org_unit)


class SurveyTier(TimeStamped):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="tiers")
    name = models.CharField("评议层面", max_length=30)
    quota = models.PositiveIntegerField("名额")
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2, default=1)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["survey_id", "id"]
        verbose_name = verbose_name_plural = "评议层面"
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="survey_tier_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SurveyToken(NoDeleteModel):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="tokens")
    tier = models.ForeignKey(SurveyTier, on_delete=models.PROTECT, related_name="tokens")
    token_hash = models.CharField("链接凭证哈希", max_length=64, unique=True)
    used = models.BooleanField("已使用", default=False)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["survey_id", "id"]
        verbose_name = verbose_name_plural = "评议链接凭证"


class SurveyResponse(NoDeleteModel):
    """One rater's ratings of one unit: no token, person, IP or user agent; the day only."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    tier = models.ForeignKey(SurveyTier, on_delete=models.PROTECT, related_name="+")
    survey_unit = models.ForeignKey(SurveyUnit, on_delete=models.PROTECT, related_name="responses")
    attitude_efficiency = models.PositiveSmallIntegerField("服务态度和工作效率")
    fairness_integrity = models.PositiveSmallIntegerField("办事公正和廉洁自律")
    effectiveness_impact = models.PositiveSmallIntegerField("工作实效和社会影响")
    submitted_on = models.DateField("评议日期")

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["survey_id", "id"]
        verbose_name = verbose_name_plural = "评议答卷"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    attitude_efficiency__gte=1,
                    attitude_efficiency__lte=5,
                    fairness_integrity__gte=1,
                    fairness_integrity__lte=5,
                    effectiveness_impact__gte=1,
                    effectiveness_impact__lte=5,
                ),
                name="survey_rating_range",
            )
        ]


class CommentStatus(models.TextChoices):
    ROUTED = "routed", rules.COMMENT_STATUSES["routed"]
    RESPONDED = "responded", rules.COMMENT_STATUSES["responded"]
    RECTIFIED = "rectified", rules.COMMENT_STATUSES["rectified"]
    CLOSED = "closed", rules.COMMENT_STATUSES["closed"]


class SurveyComment(TimeStamped):
    """A free comment routed to its unit: written answer → rectification → closed."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="comments")
    survey_unit = models.ForeignKey(SurveyUnit, on_delete=models.PROTECT, related_name="comments")
    tier_name = models.CharField("评议层面", max_length=30)
    text = models.TextField("意见建议")
    submitted_on = models.DateField("提出日期")
    status = models.CharField(
        "处理状态", max_length=10, choices=CommentStatus.choices, default=CommentStatus.ROUTED
    )
    response_text = models.TextField("单位书面答复", blank=True)
    responded_by = models.ForeignKey(
        USER,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_on = models.DateField("答复日期", null=True, blank=True)
    rectification_text = models.TextField("整改情况", blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        USER,
        verbose_name="办结人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField("办结日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["survey_id", "survey_unit_id", "id"]
        verbose_name = verbose_name_plural = "评议意见"


# ---- public disclosure (实绩公示公议) -------------------------------------------------------


class Disclosure(TimeStamped):
    cycle = models.OneToOneField(Cycle, on_delete=models.PROTECT, related_name="disclosure")
    opens_on = models.DateField("公示开始")
    closes_on = models.DateField("公示结束（含）")
    closes_on_provisional = models.BooleanField("公示结束日为推定", default=False)
    entries = models.JSONField("公示内容（发布时快照）", default=list)
    published_by = models.ForeignKey(
        USER, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = verbose_name_plural = "实绩公示"

    def __str__(self) -> str:
        return f"{self.cycle}公示"


class DisclosureComment(NoDeleteModel):
    """A comment from anyone, named or anonymous; no IP, no user agent, the day only."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="comments")
    participant = models.ForeignKey(
        Participant,
        verbose_name="所涉干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("署名（可不填）", max_length=30, blank=True)
    contact = models.CharField("联系方式（可不填）", max_length=60, blank=True)
    text = models.TextField("意见")
    submitted_on = models.DateField("提出日期")
    response_text = models.TextField("书面答复", blank=True)
    responded_by = models.ForeignKey(
        USER,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_on = models.DateField("答复日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["disclosure_id", "id"]
        verbose_name = verbose_name_plural = "公示意见"


# ---- the unit (team) result (单位（班子）考核结果) ----------------------------------------------


class UnitTier(models.TextChoices):
    GOOD = "good", rules.TEAM_CHOICES["good"]
    FAIRLY_GOOD = "fairly_good", rules.TEAM_CHOICES["fairly_good"]
    AVERAGE = "average", rules.TEAM_CHOICES["average"]
    POOR = "poor", rules.TEAM_CHOICES["poor"]


class TargetStatus(models.TextChoices):
    RECONCILED = "reconciled", "已完成年末对账"
    PENDING = "pending", "尚未完成年末对账"
    NONE = "none", "本年度无单位目标任务书"


class UnitResult(TimeStamped):
    """A unit's result for a year: its year-end target reconciliation (年末对账) and its
    satisfaction evaluation (满意不满意单位评议), combined by rules.unit_outcome. Computed for
    all units of a cycle at once and recomputed in place (each computation audited); it is
    evidence for the unit's 一把手 (seed 四.4). A missing part stays empty, never zero."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    cycle = models.ForeignKey(
        Cycle,
        verbose_name="计算所在考核周期",
        on_delete=models.PROTECT,
        related_name="unit_results",
    )
    target_status = models.CharField("目标考核情况", max_length=12, choices=TargetStatus.choices)
    target_score = models.DecimalField(
        "目标考核得分", max_digits=6, decimal_places=2, null=True, blank=True
    )
    target_outcomes = models.JSONField("任务对账结果（项数）", default=dict, blank=True)
    survey = models.ForeignKey(
        Survey,
        verbose_name="满意度评议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    satisfaction_verdict = models.CharField("满意度评议结论", max_length=12, blank=True)
    satisfaction_score = models.DecimalField(
        "满意度评议得分", max_digits=5, decimal_places=2, null=True, blank=True
    )
    satisfaction_rate = models.DecimalField(
        "总体满意率（%）", max_digits=4, decimal_places=1, null=True, blank=True
    )
    score = models.DecimalField("综合得分", max_digits=6, decimal_places=2, null=True, blank=True)
    tier = models.CharField("考核等次", max_length=12, choices=UnitTier.choices, blank=True)
    basis = models.CharField("评定依据", max_length=200)
    computed_at = models.DateTimeField("计算时间")
    computed_by = models.ForeignKey(
        USER, verbose_name="计算人", on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "org_unit_id"]
        verbose_name = verbose_name_plural = "单位（班子）考核结果"
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "year"], name="unit_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}年度 {self.tier_label}"

    @property
    def tier_label(self) -> str:
        return self.get_tier_display() if self.tier else "暂不评定"

    @property
    def satisfaction_label(self) -> str:
        if not self.satisfaction_verdict:
            return "缺失（本年度未列入满意不满意单位评议）"
        return rules.VERDICT_LABELS.get(self.satisfaction_verdict, self.satisfaction_verdict)
