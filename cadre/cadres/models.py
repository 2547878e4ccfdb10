from datetime import date
from typing import Any, ClassVar, cast

from django.db import models
from simple_history.models import HistoricalRecords

from cadre.core.models import NoDeleteQuerySet, TimeStamped
from cadre.core.types import AnyUser
from cadre.orgs.models import LeadershipLevel, OrgUnit, Position


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Education(models.TextChoices):
    DOCTOR = "doctor", "博士研究生"
    MASTER = "master", "硕士研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY = "secondary", "中专及以下"


class Political(models.TextChoices):
    CPC = "cpc", "中共党员"
    CPC_PROBATION = "cpc_probation", "中共预备党员"
    DEMOCRATIC = "democratic", "民主党派"
    NONE = "none", "群众"


class CadreStatus(models.TextChoices):
    ACTIVE = "active", "在职"
    RETIRED = "retired", "退休"
    LEFT = "left", "调出"
    EXPELLED = "expelled", "开除"
    DISMISSED = "dismissed", "辞退"
    RESIGNED = "resigned", "辞职"
    DECEASED = "deceased", "去世"


class Rank(models.TextChoices):
    """职级, 综合管理类, 公务员法 第十九条 (V1). Ordered highest first."""

    LEVEL1_INSPECTOR = "level1_inspector", "一级巡视员"
    LEVEL2_INSPECTOR = "level2_inspector", "二级巡视员"
    LEVEL1_RESEARCHER = "level1_researcher", "一级调研员"
    LEVEL2_RESEARCHER = "level2_researcher", "二级调研员"
    LEVEL3_RESEARCHER = "level3_researcher", "三级调研员"
    LEVEL4_RESEARCHER = "level4_researcher", "四级调研员"
    LEVEL1_PRINCIPAL_CLERK = "level1_principal_clerk", "一级主任科员"
    LEVEL2_PRINCIPAL_CLERK = "level2_principal_clerk", "二级主任科员"
    LEVEL3_PRINCIPAL_CLERK = "level3_principal_clerk", "三级主任科员"
    LEVEL4_PRINCIPAL_CLERK = "level4_principal_clerk", "四级主任科员"
    LEVEL1_CLERK = "level1_clerk", "一级科员"
    LEVEL2_CLERK = "level2_clerk", "二级科员"


class CadreQuerySet(NoDeleteQuerySet):
    def active(self) -> "CadreQuerySet":
        return self.filter(status=CadreStatus.ACTIVE)

    def visible_to(self, user: "AnyUser", *, write: bool = False) -> "CadreQuerySet":
        from cadre.accounts.access import scope

        return cast("CadreQuerySet", scope(self, user, write=write))  # filter() keeps the class

    def search(self, text: str) -> "CadreQuerySet":
        return self.filter(name__contains=text.strip()) if text.strip() else self


class Cadre(TimeStamped):
    name = models.CharField("姓名", max_length=30, db_index=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    education = models.CharField("学历", max_length=20, choices=Education.choices)
    specialty = models.CharField("专业", max_length=50, blank=True)
    political_status = models.CharField(
        "政治面貌", max_length=20, choices=Political.choices, default=Political.CPC
    )
    joined_party_on = models.DateField("入党时间", null=True, blank=True)
    joined_work_on = models.DateField("参加工作时间")
    # The national ID is never stored in clear: a keyed hash to match, a mask to show.
    id_hash = models.CharField("身份证号哈希", max_length=64, unique=True, editable=False)
    id_masked = models.CharField("身份证号", max_length=18, editable=False)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="cadres"
    )
    # Denormalised from the current appointment and rank record, for lists and filters;
    # written only by cadres.services.
    current_title = models.CharField("现任职务", max_length=60, blank=True)
    current_post_since = models.DateField("任现职时间", null=True, blank=True)
    is_leader = models.BooleanField("领导干部", default=False, db_index=True)
    leadership_level = models.CharField(
        "领导职务层次", max_length=20, choices=LeadershipLevel.choices, blank=True
    )
    rank = models.CharField("职级", max_length=30, choices=Rank.choices, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=CadreStatus.choices, default=CadreStatus.ACTIVE
    )
    # The day the status took effect (the end of employment); empty while 在职.
    status_since = models.DateField("状态生效日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    history = HistoricalRecords(excluded_fields=["id_hash", "updated_at"])

    objects: ClassVar[Any] = CadreQuerySet.as_manager()

    class Meta:
        ordering = ["org_unit_id", "id"]
        verbose_name = verbose_name_plural = "干部"
        indexes = [models.Index(fields=["org_unit", "status"], name="cadre_unit_status")]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day: date) -> int:
        before = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before


class AppointmentHow(models.TextChoices):
    APPOINT = "appoint", "任命"
    TRANSFER_IN = "transfer_in", "调任"
    ROTATION = "rotation", "转任"
    SECONDMENT = "secondment", "挂职"
    EXCHANGE = "exchange", "交流"


class ScopedByCadreQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> "ScopedByCadreQuerySet":
        from cadre.accounts.access import scope

        # scope() filters, which keeps the queryset class.
        return cast("ScopedByCadreQuerySet", scope(self, user, write=write))

    def current(self) -> "ScopedByCadreQuerySet":
        return self.filter(ended_on__isnull=True)


class Appointment(TimeStamped):
    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="appointments"
    )
    position = models.ForeignKey(
        Position, verbose_name="职位", on_delete=models.PROTECT, related_name="appointments"
    )
    started_on = models.DateField("任职时间")
    ended_on = models.DateField("免职时间", null=True, blank=True)
    how = models.CharField(
        "任职方式", max_length=20, choices=AppointmentHow.choices, default=AppointmentHow.APPOINT
    )
    # Personnel relationship stays with the home unit on a secondment (公务员法 第七十二条).
    home_unit = models.ForeignKey(
        OrgUnit, verbose_name="人事关系所在单位", on_delete=models.PROTECT, related_name="+"
    )
    is_primary = models.BooleanField("主要职务", default=True)
    note = models.CharField("备注", max_length=200, blank=True)
    # 任职试用期 (选拔任用条例; DOMAIN.md 10.1): last day of the one-year trial, if any.
    probation_until = models.DateField("试用期至", null=True, blank=True)
    history = HistoricalRecords()

    objects: ClassVar[Any] = ScopedByCadreQuerySet.as_manager()

    class Meta:
        ordering = ["cadre_id", "started_on"]
        verbose_name = verbose_name_plural = "任职记录"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="appointment_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.position}"


class RankRecord(TimeStamped):
    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="rank_records"
    )
    rank = models.CharField("职级", max_length=30, choices=Rank.choices)
    started_on = models.DateField("起始时间")
    ended_on = models.DateField("终止时间", null=True, blank=True)
    basis = models.CharField("依据", max_length=200, blank=True)
    history = HistoricalRecords()

    objects: ClassVar[Any] = ScopedByCadreQuerySet.as_manager()

    class Meta:
        ordering = ["cadre_id", "started_on"]
        verbose_name = verbose_name_plural = "职级记录"

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_rank_display()}"


class TeamQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: "AnyUser", *, write: bool = False) -> "TeamQuerySet":
        from cadre.accounts.access import scope

        return cast("TeamQuerySet", scope(self, user, write=write))  # filter() keeps the class


class LeadershipTeam(TimeStamped):
    org_unit = models.OneToOneField(
        OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="team"
    )
    name = models.CharField("班子名称", max_length=100)
    history = HistoricalRecords()

    objects: ClassVar[Any] = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["org_unit_id"]
        verbose_name = verbose_name_plural = "领导班子"

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    HEAD = "head", "主要负责人(一把手)"
    DEPUTY = "deputy", "副职"
    MEMBER = "member", "成员"


class TeamMembership(TimeStamped):
    team = models.ForeignKey(
        LeadershipTeam, verbose_name="班子", on_delete=models.PROTECT, related_name="memberships"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="team_memberships"
    )
    role = models.CharField("班子角色", max_length=10, choices=TeamRole.choices)
    started_on = models.DateField("起始时间")
    ended_on = models.DateField("终止时间", null=True, blank=True)
    history = HistoricalRecords()

    objects: ClassVar[Any] = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["team_id", "role", "started_on"]
        verbose_name = verbose_name_plural = "班子成员"
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(role="head", ended_on__isnull=True),
                name="one_current_head_per_team",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.cadre}"
