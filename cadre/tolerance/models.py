"""容错免责 applications: apply → verify → determine (org + discipline) → feedback → publish."""

from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models import Q

from cadre.core.models import ScopedQuerySet, TimeStamped
from cadre.tolerance import rules

if TYPE_CHECKING:
    pass


class ApplicantKind(models.TextChoices):
    SELF = "self", "本人申请"
    UNIT = "unit", "单位申请"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "待核实"
    VERIFIED = "verified", "待认定"
    DETERMINED = "determined", "待反馈"
    FED_BACK = "fed_back", "已反馈"
    PUBLISHED = "published", "已公开"


# The stubs lack the functional API with (value, label) members.
Distinction = models.TextChoices(  # type: ignore[call-overload]
    "Distinction", [(k, (k, v)) for k, v in rules.DISTINCTIONS.items()]
)
Outcome = models.TextChoices(  # type: ignore[call-overload]
    "Outcome", [(k, (k, v)) for k, v in rules.OUTCOMES.items()]
)
Criterion = models.TextChoices(  # type: ignore[call-overload]
    "Criterion", [(k, (k, v)) for k, v in rules.CRITERIA.items()]
)


class ApplicationQuerySet(ScopedQuerySet):
    def open(self) -> "ApplicationQuerySet":
        return self.exclude(status__in=[ApplicationStatus.FED_BACK, ApplicationStatus.PUBLISHED])


class ExemptionApplication(TimeStamped):
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="+"
    )
    applicant_kind = models.CharField("申请方式", max_length=10, choices=ApplicantKind.choices)
    applicant_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="申请单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measure = models.ForeignKey(
        "accountability.Measure",
        verbose_name="针对的处理措施",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exemption_applications",
    )
    case = models.ForeignKey(
        "supervision.Case",
        verbose_name="针对的案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    facts = models.TextField("事实经过")
    distinction = models.CharField("三个区分开来依据", max_length=40, choices=Distinction.choices)
    status = models.CharField(
        "环节",
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    applied_on = models.DateField("申请日期")
    verify_due_on = models.DateField("核实期限")
    verify_due_on_provisional = models.BooleanField("核实期限为推定", default=False)
    verified_on = models.DateField("核实日期", null=True, blank=True)
    verified_by = models.ForeignKey(
        "accounts.User",
        verbose_name="核实人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verification_note = models.TextField("核实情况", blank=True)
    exclusions = models.JSONField("不予免责情形", default=list, blank=True)
    determine_due_on = models.DateField("认定期限", null=True, blank=True)
    determine_due_on_provisional = models.BooleanField("认定期限为推定", default=False)
    org_outcome = models.CharField(
        "组织部门意见", max_length=20, choices=Outcome.choices, blank=True
    )
    org_signed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="组织部门签署人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    discipline_outcome = models.CharField(
        "纪检监察机关意见", max_length=20, choices=Outcome.choices, blank=True
    )
    discipline_signed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="纪检监察签署人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField("认定结果", max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField("认定理由", blank=True)
    lighter_kind = models.CharField("从轻减轻后的处理措施", max_length=30, blank=True)
    determined_on = models.DateField("认定日期", null=True, blank=True)
    feedback_due_on = models.DateField("反馈期限", null=True, blank=True)
    feedback_due_on_provisional = models.BooleanField("反馈期限为推定", default=False)
    fed_back_on = models.DateField("反馈日期", null=True, blank=True)
    feedback_text = models.TextField("反馈内容", blank=True)
    published_on = models.DateField("公开日期", null=True, blank=True)
    notice = models.ForeignKey(
        "accountability.Notice",
        verbose_name="公开通报",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = verbose_name_plural = "容错免责申请"
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__isnull=False, case__isnull=True)
                | Q(measure__isnull=True, case__isnull=False),
                name="exemption_measure_xor_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} 容错免责申请 {self.applied_on}"

    @property
    def due_on(self) -> Any:
        return {
            ApplicationStatus.APPLIED: self.verify_due_on,
            ApplicationStatus.VERIFIED: self.determine_due_on,
            ApplicationStatus.DETERMINED: self.feedback_due_on,
        }.get(ApplicationStatus(self.status))

    @property
    def due_on_provisional(self) -> bool:
        return {
            ApplicationStatus.APPLIED: self.verify_due_on_provisional,
            ApplicationStatus.VERIFIED: self.determine_due_on_provisional,
            ApplicationStatus.DETERMINED: self.feedback_due_on_provisional,
        }.get(ApplicationStatus(self.status), False)


class ExemptionFinding(TimeStamped):
    """One of the seed's four criteria: the applicant's statement and the verification."""

    application = models.ForeignKey(
        ExemptionApplication, on_delete=models.PROTECT, related_name="findings"
    )
    criterion = models.CharField("认定条件", max_length=20, choices=Criterion.choices)
    statement = models.TextField("申请人陈述")
    verified = models.BooleanField("核实成立", null=True, blank=True)
    note = models.TextField("核实说明", blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["application_id", "id"]
        verbose_name = verbose_name_plural = "认定条件核实"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="one_finding_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return self.get_criterion_display()
