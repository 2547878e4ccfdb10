"""关心关爱与正向激励: talks, visits, difficulties, exemplars, rank promotions,
work exchange meetings."""

from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models import Q

from cadre.cadres.models import Cadre, Rank
from cadre.core.models import CatalogueQuerySet, ScopedQuerySet, TimeStamped
from cadre.development.models import OfferedQuerySet
from cadre.orgs.models import OrgUnit

if TYPE_CHECKING:
    pass


# --- talks -----------------------------------------------------------------------------------


class TalkKind(models.TextChoices):
    """谈心谈话 occasions (DOMAIN.md 7, 五必谈)."""

    ROUTINE = "routine", "经常性谈心谈话"
    POST_CHANGE = "post_change", "职务变动谈话"
    AFTER_MEASURE = "after_measure", "问责处理后谈话"
    AFTER_ASSESSMENT = "after_assessment", "考核后谈话"
    DIFFICULTY = "difficulty", "困难帮扶谈话"
    REMINDER = "reminder", "提醒谈话"
    ENCOURAGEMENT = "encouragement", "鼓励谈话"


class HeartTalk(TimeStamped):
    talker = models.ForeignKey(
        Cadre, verbose_name="谈话人", on_delete=models.PROTECT, related_name="talks_held"
    )
    talkee = models.ForeignKey(
        Cadre, verbose_name="谈话对象", on_delete=models.PROTECT, related_name="talks_received"
    )
    held_on = models.DateField("谈话日期")
    kind = models.CharField("谈话类型", max_length=20, choices=TalkKind.choices)
    # Confidential: readable only by the talker, org staff and the talkee's chain (a setting).
    summary = models.TextField("谈话摘要")
    issues_raised = models.TextField("反映的问题", blank=True)
    follow_up = models.TextField("跟进措施", blank=True)
    follow_up_done_on = models.DateField("跟进完成日期", null=True, blank=True)
    trigger = models.CharField("触发事项", max_length=100, blank=True)
    # Empty only for imported or generated records.
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "谈心谈话"
        constraints = [
            models.CheckConstraint(
                condition=~Q(talker=models.F("talkee")), name="talk_not_with_self"
            ),
        ]
        indexes = [
            models.Index(fields=["talkee", "held_on"], name="talk_talkee_day"),
            models.Index(fields=["talker", "held_on"], name="talk_talker_day"),
        ]

    def __str__(self) -> str:
        return f"{self.talker}—{self.talkee} {self.held_on}"


class Oversight(TimeStamped):
    """分管: a team member oversees a unit (must talk with its head, DOMAIN.md 7)."""

    leader = models.ForeignKey(
        Cadre, verbose_name="分管领导", on_delete=models.PROTECT, related_name="oversights"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name="分管单位", on_delete=models.PROTECT, related_name="overseen_by"
    )
    started_on = models.DateField("起始日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["leader_id", "unit_id"]
        verbose_name = verbose_name_plural = "分管联系"
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "unit"],
                condition=Q(ended_on__isnull=True),
                name="one_current_oversight",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} 分管 {self.unit}"


# --- visits and difficulties ---------------------------------------------------------------


class VisitOccasion(models.TextChoices):
    FESTIVAL = "festival", "节日走访"
    ILLNESS = "illness", "生病住院"
    FAMILY = "family", "家庭变故"
    HARDSHIP = "hardship", "生活困难"
    FRONTLINE = "frontline", "一线艰苦岗位"
    RETIREMENT = "retirement", "退休离岗"
    OTHER = "other", "其他"


class Visit(TimeStamped):
    cadre = models.ForeignKey(
        Cadre, verbose_name="走访对象", on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField("走访日期")
    occasion = models.CharField("事由", max_length=20, choices=VisitOccasion.choices)
    visitors = models.CharField("走访人员", max_length=200)
    notes = models.TextField("情况记录", blank=True)
    # Empty only for imported or generated records.
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = verbose_name_plural = "走访慰问"

    def __str__(self) -> str:
        return f"走访 {self.cadre} {self.visited_on}"


class DifficultySource(models.TextChoices):
    SELF = "self", "本人反映"
    TALK = "talk", "谈心谈话发现"
    VISIT = "visit", "走访发现"
    OTHER = "other", "其他渠道"


class DifficultyStatus(models.TextChoices):
    OPEN = "open", "待分派"
    ASSIGNED = "assigned", "办理中"
    RESOLVED = "resolved", "已解决"
    CLOSED = "closed", "无法解决并已说明"


class Difficulty(TimeStamped):
    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="difficulties"
    )
    reported_on = models.DateField("反映日期")
    source = models.CharField("来源", max_length=10, choices=DifficultySource.choices)
    talk = models.ForeignKey(
        HeartTalk,
        verbose_name="来源谈话",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="difficulties",
    )
    category = models.CharField("类别", max_length=30)
    description = models.TextField("困难情况")
    status = models.CharField(
        "状态", max_length=10, choices=DifficultyStatus.choices, default=DifficultyStatus.OPEN
    )
    assignee = models.CharField("承办人/单位", max_length=100, blank=True)
    assigned_on = models.DateField("分派日期", null=True, blank=True)
    due_on = models.DateField("办理期限", null=True, blank=True)
    resolved_on = models.DateField("办结日期", null=True, blank=True)
    resolution = models.TextField("办理结果", blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = verbose_name_plural = "实际困难"

    def __str__(self) -> str:
        return f"{self.cadre} {self.category}"


# --- incentives ---------------------------------------------------------------------------------


class HonourKind(TimeStamped):
    """先进典型 kinds: the seed's three, plus honours staff add."""

    name = models.CharField("荣誉名称", max_length=50, unique=True)
    level = models.CharField("授予层级", max_length=20, blank=True)
    is_active = models.BooleanField("启用", default=True)

    objects: ClassVar[Any] = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "荣誉类别"

    def __str__(self) -> str:
        return self.name


class Exemplar(TimeStamped):
    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="honours"
    )
    kind = models.ForeignKey(
        HonourKind, verbose_name="荣誉", on_delete=models.PROTECT, related_name="exemplars"
    )
    year = models.PositiveSmallIntegerField("年度")
    awarded_on = models.DateField("授予日期")
    citation = models.TextField("先进事迹")
    publicity = models.TextField("宣传情况", blank=True)
    notice_ref = models.CharField("关联通报", max_length=100, blank=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-awarded_on", "id"]
        verbose_name = verbose_name_plural = "先进典型"
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "kind", "year"], name="one_honour_kind_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.kind} {self.year}"

    @property
    def notice_id(self) -> int | None:
        """The accountability app's notice (通报) this honour was published in, if numbered."""
        ref = self.notice_ref.strip()
        return int(ref) if ref.isdigit() else None


class RankPromotion(TimeStamped):
    """A rank promotion decided here (职务与职级并行), with the eligibility it passed."""

    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="rank_promotions"
    )
    from_rank = models.CharField("原职级", max_length=30, choices=Rank.choices)
    to_rank = models.CharField("晋升职级", max_length=30, choices=Rank.choices)
    effective_on = models.DateField("晋升日期")
    basis = models.CharField("依据", max_length=200)
    eligibility = models.JSONField("资格审核", default=dict)
    rank_record = models.ForeignKey(
        "cadres.RankRecord", verbose_name="职级记录", on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name="决定人", on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = verbose_name_plural = "职级晋升"

    def __str__(self) -> str:
        return f"{self.cadre} → {self.get_to_rank_display()}"


class MeetingQuerySet(OfferedQuerySet):
    """Meetings are seen by the organiser's subtree and by the units below the organiser."""


class PresentationQuerySet(OfferedQuerySet):
    unit_field = "meeting__org_unit"


class CommentQuerySet(OfferedQuerySet):
    unit_field = "presentation__meeting__org_unit"


class MeetingKind(models.TextChoices):
    EXCHANGE = "exchange", "交流会"
    ON_SITE = "on_site", "现场会"
    REVIEW = "review", "点评会"


class ExchangeMeeting(TimeStamped):
    """晒实绩、比业绩: units show their results; peers comment and score (种子 三.2)."""

    title = models.CharField("会议名称", max_length=100)
    kind = models.CharField("会议形式", max_length=10, choices=MeetingKind.choices)
    held_on = models.DateField("召开日期")
    place = models.CharField("地点", max_length=100)
    theme = models.CharField("主题", max_length=200, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="exchange_meetings"
    )

    objects: ClassVar[Any] = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "工作交流会"

    def __str__(self) -> str:
        return self.title


class Presentation(TimeStamped):
    meeting = models.ForeignKey(
        ExchangeMeeting, verbose_name="会议", on_delete=models.PROTECT, related_name="presentations"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name="展示单位", on_delete=models.PROTECT, related_name="+"
    )
    materials = models.TextField("交流材料")
    results = models.TextField("工作成效", blank=True)

    objects: ClassVar[Any] = PresentationQuerySet.as_manager()

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = verbose_name_plural = "交流发言"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="one_presentation_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.unit}"


class PeerComment(TimeStamped):
    presentation = models.ForeignKey(
        Presentation, verbose_name="交流发言", on_delete=models.PROTECT, related_name="comments"
    )
    commenter_unit = models.ForeignKey(
        OrgUnit, verbose_name="点评单位", on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField("点评意见")
    score = models.DecimalField("评分", max_digits=5, decimal_places=1)
    # Empty only for imported or generated records.
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["presentation_id", "id"]
        verbose_name = verbose_name_plural = "互评意见"
        constraints = [
            models.UniqueConstraint(
                fields=["presentation", "commenter_unit"], name="one_comment_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="peer_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commenter_unit} 点评 {self.presentation}"
