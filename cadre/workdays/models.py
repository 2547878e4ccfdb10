from django.db import models

from cadre.core.models import TimeStamped


class CalendarYear(TimeStamped):
    """A year whose official schedule staff have confirmed (years the library does not know).

    The schedule is kept here as entered; a correction replaces it, raises `revision` and is
    audited with the old and the new days."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    source = models.CharField(
        "依据", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
    )
    days_off = models.JSONField("放假日", default=dict, blank=True)  # {"2027-02-05": "春节"}
    days_worked = models.JSONField("调休上班日", default=dict, blank=True)
    revision = models.PositiveSmallIntegerField("版本", default=1)
    confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["year"]
        verbose_name = verbose_name_plural = "已维护年度"

    def __str__(self) -> str:
        return str(self.year)


class DayOverride(TimeStamped):
    """A holiday or a worked weekend (调休) entered by staff; wins over the library."""

    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否上班")
    name = models.CharField("名称", max_length=50, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = verbose_name_plural = "节假日调整"

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_workday else '休息'}"


class DeadlineChange(TimeStamped):
    """One working-day deadline looked at when a year's schedule was confirmed or corrected:
    moved to its new date, or (already passed) kept and listed for staff to handle."""

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name="年度", on_delete=models.PROTECT, related_name="changes"
    )
    revision = models.PositiveSmallIntegerField("版本")
    model = models.CharField("对象类型", max_length=60)  # app_label.modelname
    object_id = models.PositiveBigIntegerField("对象编号")
    label = models.CharField("期限", max_length=60)
    old_due = models.DateField("原期限")
    new_due = models.DateField("新期限")
    was_provisional = models.BooleanField("原为推定")
    is_provisional = models.BooleanField("仍为推定")
    moved = models.BooleanField("已调整")

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "期限重算记录"
        indexes = [models.Index(fields=["model", "object_id"], name="deadline_change_object")]

    def __str__(self) -> str:
        return f"{self.label} {self.old_due} → {self.new_due}"
