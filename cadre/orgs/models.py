from typing import Any, ClassVar, cast

from django.db import models
from simple_history.models import HistoricalRecords

from cadre.core.models import NoDeleteQuerySet, TimeStamped
from cadre.core.types import AnyUser


class UnitKind(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县(市、区)"
    PARTY_ORGAN = "party_organ", "党委部门"
    GOV_ORGAN = "gov_organ", "政府部门"
    PEOPLES_ORGAN = "peoples_organ", "人大政协群团"
    TOWNSHIP = "township", "乡镇(街道)"
    ENTERPRISE = "enterprise", "国有企业"
    UNIVERSITY = "university", "高等学校"
    INSTITUTION = "institution", "事业单位"
    INTERNAL = "internal", "内设机构"


class OrgUnitQuerySet(NoDeleteQuerySet):
    def active(self) -> "OrgUnitQuerySet":
        return self.filter(dissolved_on__isnull=True)

    def visible_to(self, user: "AnyUser", *, write: bool = False) -> "OrgUnitQuerySet":
        from cadre.accounts.access import scope

        return cast("OrgUnitQuerySet", scope(self, user, write=write))  # filter() keeps the class

    def subtree_of(self, unit: "OrgUnit") -> "OrgUnitQuerySet":
        return self.filter(path__startswith=unit.path)


class OrgUnit(TimeStamped):
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("单位类型", max_length=20, choices=UnitKind.choices)
    region_code = models.CharField("行政区划代码", max_length=6, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialized path "/1/7/42/"; maintained only by orgs.services.
    path = models.CharField("路径", max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=0)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    history = HistoricalRecords()

    objects: ClassVar[Any] = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = "单位"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_under_parent")
        ]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]


class WorkField(models.TextChoices):
    GENERAL = "general", "综合"
    FINANCE = "finance", "财政"
    PLANNING = "planning", "规划建设"
    PETITION = "petition", "信访"
    ECONOMY = "economy", "经济发展"
    AGRICULTURE = "agriculture", "农业农村"
    ENVIRONMENT = "environment", "生态环境"
    LAW = "law", "政法"
    EDUCATION = "education", "教育科技"
    HEALTH = "health", "卫生健康"
    SOCIAL = "social", "社会治理"
    ORGANIZATION = "organization", "组织人事"
    DISCIPLINE = "discipline", "纪检监察"
    PROPAGANDA = "propaganda", "宣传文化"
    ENTERPRISE_MGMT = "enterprise_mgmt", "企业经营"


class LeadershipLevel(models.TextChoices):
    """领导职务层次, 公务员法 第十八条 (V1). Ordered highest first."""

    PROVINCIAL_CHIEF = "provincial_chief", "省部级正职"
    PROVINCIAL_DEPUTY = "provincial_deputy", "省部级副职"
    BUREAU_CHIEF = "bureau_chief", "厅局级正职"
    BUREAU_DEPUTY = "bureau_deputy", "厅局级副职"
    COUNTY_CHIEF = "county_chief", "县处级正职"
    COUNTY_DEPUTY = "county_deputy", "县处级副职"
    SECTION_CHIEF = "section_chief", "乡科级正职"
    SECTION_DEPUTY = "section_deputy", "乡科级副职"


class PositionQuerySet(NoDeleteQuerySet):
    def active(self) -> "PositionQuerySet":
        return self.filter(abolished_on__isnull=True)

    def visible_to(self, user: "AnyUser", *, write: bool = False) -> "PositionQuerySet":
        from cadre.accounts.access import scope

        return cast("PositionQuerySet", scope(self, user, write=write))  # filter() keeps the class


class Position(TimeStamped):
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField("职位名称", max_length=60)
    is_leadership = models.BooleanField("领导职务", default=False)
    leadership_level = models.CharField(
        "领导职务层次", max_length=20, choices=LeadershipLevel.choices, blank=True
    )
    work_field = models.CharField(
        "工作领域", max_length=20, choices=WorkField.choices, default=WorkField.GENERAL
    )
    is_key_post = models.BooleanField("重点岗位", default=False)
    # Party leading posts need a full Party member (选拔任用条例 第七条(七)).
    party_post = models.BooleanField("党的领导职务", default=False)
    headcount = models.PositiveSmallIntegerField("职数", default=1)
    abolished_on = models.DateField("撤销日期", null=True, blank=True)
    history = HistoricalRecords()

    objects: ClassVar[Any] = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["org_unit_id", "-is_leadership", "id"]
        verbose_name = verbose_name_plural = "职位"
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "title"], name="position_title_unique"),
            models.CheckConstraint(
                condition=models.Q(is_leadership=False, leadership_level="")
                | models.Q(is_leadership=True) & ~models.Q(leadership_level=""),
                name="position_level_iff_leadership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit.name}{self.title}"
