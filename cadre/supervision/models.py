"""Report intake, clues, cases and unannounced inspections (监督).

Reports and anything that names their subject go through `visible_to(user)`, which adds the
conflict-of-interest exclusion (TRUST.md G-AC2) on top of the org-unit scope: the person
reported on and those who lead them never see the report, its clue or its case.

Anonymous reports carry no timestamp finer than a day and nothing about the client
(TRUST.md G-AN1): they are NoDeleteModel without created_at/updated_at.
"""

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q

from cadre.core.models import NoDeleteModel, NoDeleteQuerySet, TimeStamped
from cadre.core.types import AnyUser


class Channel(models.TextChoices):
    ONLINE = "online", "网上举报"
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    PHONE = "phone", "来电"
    HOTLINE = "hotline_12345", "12345热线"
    MEDIA = "media", "媒体报道"
    AUDIT = "audit", "审计移送"
    INSPECTION = "inspection", "巡察督查移交"
    OTHER = "other", "其他"


class ProblemKind(models.TextChoices):
    """Forms of 为官不为 in seed 一 and 四.2, plus the rest."""

    INACTION = "inaction", "不作为、慢作为"
    NO_RESPONSIBILITY = "no_responsibility", "不敢担当、推诿扯皮"
    INCAPABLE = "incapable", "能力不足、工作不力"
    OBSTRUCTION = "obstruction", "中梗阻、吃拿卡要"
    FORMALISM = "formalism", "形式主义、官僚主义"
    WORK_DISCIPLINE = "work_discipline", "违反工作纪律"
    OTHER = "other", "其他问题"


class SubjectKind(models.TextChoices):
    CADRE = "cadre", "干部个人"
    UNIT = "unit", "单位"


class ReportStatus(models.TextChoices):
    NEW = "new", "待受理"
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"
    CLOSED = "closed", "已办结"


def _conflict_exclusion(user: "AnyUser", cadre: str, unit_path: str, name: str | None) -> Q | None:
    from cadre.supervision.conflicts import conflict_q

    return conflict_q(user, cadre=cadre, unit_path=unit_path, name=name)


class ConflictScopedQuerySet(NoDeleteQuerySet):
    """Scope plus the conflict-of-interest exclusion; subclasses name the subject fields."""

    subject_cadre_field = "subject_cadre"
    subject_unit_path_field = "subject_unit__path"
    subject_name_field: str | None = "subject_name"

    def visible_to(self, user: "AnyUser", *, write: bool = False) -> Any:
        from cadre.accounts.access import scope

        qs = scope(self, user, write=write)
        exclusion = self.conflict_exclusion(user)
        return qs.exclude(exclusion) if exclusion is not None else qs

    def conflict_exclusion(self, user: "AnyUser") -> Q | None:
        return _conflict_exclusion(
            user,
            self.subject_cadre_field,
            self.subject_unit_path_field,
            self.subject_name_field,
        )


class ReportQuerySet(ConflictScopedQuerySet):
    def open(self) -> "ReportQuerySet":
        return self.filter(status=ReportStatus.NEW)


class Report(NoDeleteModel):
    channel = models.CharField("来源渠道", max_length=20, choices=Channel.choices)
    is_anonymous = models.BooleanField("匿名", default=True)
    subject_kind = models.CharField(
        "反映对象类型", max_length=10, choices=SubjectKind.choices, default=SubjectKind.CADRE
    )
    subject_name = models.CharField("被反映人姓名", max_length=30, blank=True)
    subject_post = models.CharField("被反映人职务", max_length=60, blank=True)
    subject_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="被反映单位", on_delete=models.PROTECT, related_name="+"
    )
    subject_cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name="被反映干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    problem_kind = models.CharField("问题类别", max_length=20, choices=ProblemKind.choices)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("反映内容")
    received_on = models.DateField("收到日期", db_index=True)
    accept_due_on = models.DateField("受理期限")
    status = models.CharField(
        "状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    result_text = models.TextField("办理结果(告知举报人)", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    # Receipt: an HMAC of the public locator part (to find the row) and an Argon2 hash of
    # the secret part. Neither reveals the code (TRUST.md AN-02).
    receipt_lookup = models.CharField(max_length=64, blank=True, editable=False)
    receipt_hash = models.CharField(max_length=200, blank=True, editable=False)
    submission_key = models.CharField(max_length=64, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "举报"
        constraints = [
            models.UniqueConstraint(
                fields=["receipt_lookup"],
                condition=~Q(receipt_lookup=""),
                name="report_receipt_lookup_unique",
            ),
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~Q(submission_key=""),
                name="report_submission_key_unique",
            ),
        ]
        indexes = [models.Index(fields=["handling_unit", "status"], name="report_unit_status")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"JB{self.received_on:%Y}-{self.pk:06d}"


class ContactQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> Any:
        # Its own scope (discipline only), and never past the report's conflict exclusion.
        from cadre.accounts.access import scope

        visible = Report.objects.visible_to(user, write=write)
        return scope(self, user, write=write).filter(report__in=visible)


class ReporterContact(NoDeleteModel):
    """The reporter's identity and contact, encrypted under its own key (TRUST.md AN-06)."""

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="contact")
    ciphertext = models.TextField()

    objects: ClassVar[Any] = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "举报人联系方式(加密)"

    def __str__(self) -> str:
        return f"联系方式 #{self.pk}"


class Direction(models.TextChoices):
    FROM_REPORTER = "in", "举报人留言"
    TO_REPORTER = "out", "答复举报人"


class ChildOfReportQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> Any:
        return self.filter(report__in=Report.objects.visible_to(user, write=write))


class ReportMessage(NoDeleteModel):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="messages")
    direction = models.CharField("方向", max_length=3, choices=Direction.choices)
    body = models.TextField("内容")
    sent_on = models.DateField("日期")
    author = models.ForeignKey(
        "accounts.User",
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ChildOfReportQuerySet.as_manager()

    class Meta:
        ordering = ["report_id", "id"]
        verbose_name = verbose_name_plural = "举报留言"

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.sent_on}"


class StoredFile(NoDeleteModel):
    """A file stored outside the web root under a generated name, encrypted at rest."""

    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    original_name = models.CharField("文件名", max_length=120)
    content_type = models.CharField("类型", max_length=80)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True


class ReportAttachment(StoredFile):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")

    objects: ClassVar[Any] = ChildOfReportQuerySet.as_manager()

    class Meta:
        ordering = ["report_id", "id"]
        verbose_name = verbose_name_plural = "举报附件"

    def __str__(self) -> str:
        return self.original_name


class ClueSource(models.TextChoices):
    REPORT = "report", "信访举报"
    INSPECTION = "inspection", "明察暗访"
    WARNING = "warning", "预警信号"
    OTHER = "other", "其他"


class Disposal(models.TextChoices):
    """The four ways of handling a problem clue (DOMAIN.md 2.3, 监督执纪工作规则)."""

    TALK_OR_INQUIRY = "talk_or_inquiry", "谈话函询"
    PRELIMINARY_VERIFICATION = "preliminary_verification", "初步核实"
    SHELVE_PENDING = "shelve_pending", "暂存待查"
    CLOSE = "close", "予以了结"


class ClueStatus(models.TextChoices):
    PENDING = "pending", "待处置"
    PROPOSED = "proposed", "处置待审批"
    TALK_OR_INQUIRY = "talk_or_inquiry", "谈话函询中"
    VERIFYING = "verifying", "初步核实中"
    SHELVED = "shelved", "暂存待查"
    CLOSED = "closed", "已了结"


class ApprovalLevel(models.TextChoices):
    DEPARTMENT = "department", "承办部门负责人审批"
    COMMITTEE_HEAD = "committee_head", "纪委主要负责人审批"


class ClueQuerySet(ConflictScopedQuerySet):
    def open(self) -> "ClueQuerySet":
        return self.exclude(status__in=[ClueStatus.CLOSED, ClueStatus.SHELVED])


class Clue(TimeStamped):
    source = models.CharField("线索来源", max_length=20, choices=ClueSource.choices)
    report = models.OneToOneField(
        Report,
        verbose_name="来源举报",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clue",
    )
    subject_cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name="反映对象",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_name = models.CharField("反映对象姓名", max_length=30, blank=True)
    subject_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="反映对象单位", on_delete=models.PROTECT, related_name="+"
    )
    handling_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    problem_kind = models.CharField("问题类别", max_length=20, choices=ProblemKind.choices)
    summary = models.TextField("线索摘要")
    received_on = models.DateField("受理日期", db_index=True)
    due_on = models.DateField("处置期限")
    due_on_provisional = models.BooleanField("处置期限为推定", default=False)
    due_from = models.DateField("期限起算日", null=True, blank=True)  # received or reopened
    status = models.CharField(
        "状态", max_length=20, choices=ClueStatus.choices, default=ClueStatus.PENDING
    )
    disposal = models.CharField("处置方式", max_length=30, choices=Disposal.choices, blank=True)
    disposal_reason = models.TextField("处置理由/方案", blank=True)
    approval_level = models.CharField(
        "审批层级", max_length=20, choices=ApprovalLevel.choices, blank=True
    )
    proposed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="拟办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_on = models.DateField("拟办日期", null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User",
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField("审批日期", null=True, blank=True)
    concluded_on = models.DateField("了结日期", null=True, blank=True)
    conclusion = models.TextField("了结情况", blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = ClueQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "问题线索"
        indexes = [models.Index(fields=["handling_unit", "status"], name="clue_unit_status")]

    def __str__(self) -> str:
        return f"{self.number} {self.subject_name or self.subject_unit}"

    @property
    def number(self) -> str:
        return f"XS{self.received_on:%Y}-{self.pk:06d}"


class CaseStatus(models.TextChoices):
    VERIFYING = "verifying", "核查中"
    REVIEWING = "reviewing", "审理中"
    CLOSED = "closed", "已办结"


class CaseConclusion(models.TextChoices):
    CONFIRMED = "confirmed", "问题属实"
    PARTLY = "partly", "部分属实"
    UNFOUNDED = "unfounded", "查无实据"


class CaseQuerySet(ConflictScopedQuerySet):
    subject_cadre_field = "clue__subject_cadre"
    subject_unit_path_field = "clue__subject_unit__path"
    subject_name_field = "clue__subject_name"

    def conflict_exclusion(self, user: "AnyUser") -> Q | None:
        base = super().conflict_exclusion(user)
        if base is None:
            return None
        from cadre.supervision.conflicts import conflict_q

        subjects = conflict_q(user, cadre="cadre", unit_path="unit__path", name=None)
        assert subjects is not None
        hit = CaseSubject.objects.filter(subjects, case_id=models.OuterRef("pk"))
        return base | Q(models.Exists(hit))

    def open(self) -> "CaseQuerySet":
        return self.exclude(status=CaseStatus.CLOSED)


class Case(TimeStamped):
    clue = models.OneToOneField(
        Clue, verbose_name="线索", on_delete=models.PROTECT, related_name="case"
    )
    handling_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("案件名称", max_length=100)
    status = models.CharField(
        "状态", max_length=20, choices=CaseStatus.choices, default=CaseStatus.VERIFYING
    )
    opened_on = models.DateField("立项日期")
    # A case starts as 初步核实; 立案审查调查 is a decision of its own (services.file_case).
    # From it until the case is closed the subjects are "under formal investigation", which
    # makes them 不定等次 in the annual assessment (supervision/evidence.py).
    filed_on = models.DateField("立案审查调查日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    conclusion = models.CharField(
        "核查结论", max_length=20, choices=CaseConclusion.choices, blank=True
    )
    conclusion_text = models.TextField("结论说明", blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = verbose_name_plural = "案件"

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"AJ{self.opened_on:%Y}-{self.pk:06d}"


class ChildOfCaseQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> Any:
        return self.filter(case__in=Case.objects.visible_to(user, write=write))


class Responsibility(models.TextChoices):
    DIRECT = "direct", "直接责任"
    MAIN_LEADING = "main_leading", "主要领导责任"
    IMPORTANT_LEADING = "important_leading", "重要领导责任"
    LEADING = "leading", "领导责任"


class CaseSubject(TimeStamped):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="subjects")
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name="干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsibility = models.CharField(
        "责任类型", max_length=20, choices=Responsibility.choices, default=Responsibility.DIRECT
    )

    objects: ClassVar[Any] = ChildOfCaseQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = verbose_name_plural = "案件当事人"
        constraints = [
            models.CheckConstraint(
                condition=Q(cadre__isnull=False) | Q(unit__isnull=False),
                name="case_subject_cadre_or_unit",
            )
        ]

    def __str__(self) -> str:
        return str(self.cadre or self.unit)


class CaseFact(TimeStamped):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="facts")
    text = models.TextField("事实")
    established = models.BooleanField("经核实属实", default=False)
    author = models.ForeignKey(
        "accounts.User",
        verbose_name="记录人",
        null=True,
        blank=True,  # null: imported
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ChildOfCaseQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = verbose_name_plural = "案件事实"

    def __str__(self) -> str:
        return self.text[:30]


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", "书证"
    PHYSICAL = "physical", "物证"
    TESTIMONY = "testimony", "证人证言"
    STATEMENT = "statement", "当事人陈述"
    ELECTRONIC = "electronic", "电子数据"
    AUDIOVISUAL = "audiovisual", "视听资料"
    INSPECTION = "inspection", "勘验检查笔录"


class CaseEvidence(TimeStamped):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField("证据种类", max_length=20, choices=EvidenceKind.choices)
    description = models.TextField("证据说明")
    attachment = models.ForeignKey(
        ReportAttachment,
        verbose_name="来自举报附件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        "accounts.User",
        verbose_name="记录人",
        null=True,
        blank=True,  # null: imported
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ChildOfCaseQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = verbose_name_plural = "案件证据"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description[:20]}"


class CaseNote(TimeStamped):
    """Internal working notes: never shown to the reporter."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField("内部备注")
    author = models.ForeignKey(
        "accounts.User",
        verbose_name="记录人",
        null=True,
        blank=True,  # null: imported
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ChildOfCaseQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = verbose_name_plural = "内部备注"

    def __str__(self) -> str:
        return self.text[:30]


class InspectionMode(models.TextChoices):
    OPEN = "open", "明察"
    COVERT = "covert", "暗访"


class InspectionQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> Any:
        from cadre.accounts.access import scope

        return scope(self, user, write=write)


class Inspection(TimeStamped):
    """明察暗访 (seed 四.2): an inspection whose findings open clues."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("检查名称", max_length=100)
    mode = models.CharField("方式", max_length=10, choices=InspectionMode.choices)
    conducted_on = models.DateField("检查日期")
    team = models.CharField("检查组成员", max_length=200, blank=True)
    summary = models.TextField("检查概况", blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-conducted_on", "-id"]
        verbose_name = verbose_name_plural = "明察暗访"

    def __str__(self) -> str:
        return self.title


class FindingQuerySet(ConflictScopedQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> Any:
        visible = Inspection.objects.visible_to(user, write=write)
        qs = self.filter(inspection__in=visible)
        exclusion = self.conflict_exclusion(user)
        return qs.exclude(exclusion) if exclusion is not None else qs


class InspectionFinding(TimeStamped):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    subject_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="被检查单位", on_delete=models.PROTECT, related_name="+"
    )
    subject_cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name="涉及干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_name = models.CharField("涉及人员", max_length=30, blank=True)
    problem_kind = models.CharField("问题类别", max_length=20, choices=ProblemKind.choices)
    description = models.TextField("发现问题")
    clue = models.OneToOneField(
        Clue,
        verbose_name="形成线索",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="finding",
    )

    objects: ClassVar[Any] = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["inspection_id", "id"]
        verbose_name = verbose_name_plural = "检查发现问题"

    def __str__(self) -> str:
        return self.description[:30]
