from django.db import models

from cadre.core.models import TimeStamped


class CalendarYear(TimeStamped):
    """A year whose holidays staff have entered (for years the library does not know)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    source = models.CharField(
        "依据", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
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
