"""不适宜担任现职 determinations and 破格 overrides (issue 11).

An `Unsuitability` is the 能上能下 process for one cadre (推进领导干部能上能下规定 2022): the
determination with its grounds, the talk, the decision (调整/改任/免职/降职) and its effect on
the registry. While it is pending and for the period its decision carries, it blocks uses of
the cadre (rules.unsuitability_blocks).

An `Override` lets a decision go ahead despite blocks the rules allow to be passed over (破格,
选拔任用条例 第八条: only the 第七条 qualifications). It needs a written reason and a second
person's approval, is used once, and every step is audited; the overrides report lists them.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from cadre.cadres.decisions import Decision
from cadre.core.models import ScopedQuerySet, TimeStamped


class UnsuitabilityStatus(models.TextChoices):
    DETERMINED = "determined", "已认定，待调整"
    DECIDED = "decided", "已作出调整决定"
    WITHDRAWN = "withdrawn", "已撤销认定"


class UnsuitabilityDecision(models.TextChoices):
    ADJUST = "adjust", "调整职务"
    REASSIGN = "reassign", "改任其他职务"
    REMOVAL = "removal", "免职"
    DEMOTION = "demotion", "降职"


class Unsuitability(TimeStamped):
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="+"
    )
    determined_on = models.DateField("认定日期")
    grounds = models.JSONField("认定情形", default=list)
    facts = models.TextField("主要事实")
    talk_on = models.DateField("谈话日期", null=True, blank=True)
    talk_note = models.TextField("谈话情况", blank=True)
    decision = models.CharField(
        "调整方式", max_length=20, choices=UnsuitabilityDecision.choices, blank=True
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    basis = models.CharField("决定文号或会议", max_length=200, blank=True)
    effect = models.CharField("对任职的影响", max_length=300, blank=True)
    status = models.CharField(
        "状态",
        max_length=20,
        choices=UnsuitabilityStatus.choices,
        default=UnsuitabilityStatus.DETERMINED,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-determined_on", "-id"]
        verbose_name = verbose_name_plural = "不适宜担任现职认定"

    def __str__(self) -> str:
        return f"{self.cadre} 不适宜担任现职（{self.determined_on}）"


class OverrideStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"
    USED = "used", "已使用"


class Override(TimeStamped):
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField("事项", max_length=20, choices=Decision.choices)
    position = models.ForeignKey(
        "orgs.Position",
        verbose_name="拟任职位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField("破格理由")
    blocks = models.JSONField("申请时的限制", default=list)
    status = models.CharField(
        "状态", max_length=20, choices=OverrideStatus.choices, default=OverrideStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    approval_note = models.CharField("审批意见", max_length=300, blank=True)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "破格使用审批"

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_decision_display()} 破格"
