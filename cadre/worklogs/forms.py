"""Field-level parsing only; every rule (window, length, scope) is checked by the services."""

from datetime import date
from typing import Any

from django import forms

from cadre.worklogs.models import RoutineGrade

_SMALL = {"class": "form-control form-control-sm"}
_SELECT = {"class": "form-select form-select-sm"}


def _date_input() -> forms.DateInput:
    # <input type="date"> needs ISO dates whatever the locale's display format
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", **_SMALL})


class LogForm(forms.Form):
    day = forms.DateField(
        label="日期",
        widget=_date_input(),
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD", "required": "请填写日志日期"},
    )
    text = forms.CharField(
        label="今日工作",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "class": "form-control",
                "placeholder": "今天做了什么：会议、调研、办件、走访……",
            }
        ),
    )
    hours = forms.DecimalField(
        label="工作时长（小时）",
        required=False,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "24", **_SMALL}),
        error_messages={"invalid": "工作时长须为数字"},
    )
    task_ids = forms.CharField(
        label="关联任务编号",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如 12, 15", **_SMALL}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_task_ids(self) -> list[str]:
        raw = self.cleaned_data.get("task_ids") or ""
        return [p for p in raw.replace("，", ",").replace(" ", ",").split(",") if p]


class AnnotationForm(forms.Form):
    text = forms.CharField(
        label="批注",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


GRADE_CHOICES = [("", "请选择"), *RoutineGrade.choices]


class MarkForm(forms.Form):
    mark = forms.ChoiceField(
        label="评价", choices=GRADE_CHOICES, required=False, widget=forms.Select(attrs=_SELECT)
    )
    score = forms.IntegerField(
        label="评分",
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, **_SMALL}),
        error_messages={"invalid": "请填写0至100之间的整数分数"},
    )
    comment = forms.CharField(
        label="评语", required=False, max_length=500, widget=forms.TextInput(attrs=_SMALL)
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def parse_week_keys(values: list[str]) -> list[tuple[int, date]]:
    """Checkbox values "cadre_id:YYYY-MM-DD"; malformed ones are refused as a whole."""
    keys = []
    for value in values:
        cadre_id, _, day = value.partition(":")
        try:
            keys.append((int(cadre_id), date.fromisoformat(day)))
        except ValueError as exc:
            raise forms.ValidationError("所选的周格式不正确") from exc
    return keys


class ConfirmForm(forms.Form):
    grade = forms.ChoiceField(
        label="确认等次",
        choices=GRADE_CHOICES,
        widget=forms.Select(attrs=_SELECT),
        error_messages={"required": "请选择等次"},
    )
    reason = forms.CharField(
        label="调整理由", required=False, max_length=500, widget=forms.TextInput(attrs=_SMALL)
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewRequestForm(forms.Form):
    reason = forms.CharField(
        label="申请复核的理由",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecideForm(forms.Form):
    grade = forms.ChoiceField(
        label="复核后等次",
        choices=GRADE_CHOICES,
        widget=forms.Select(attrs=_SELECT),
        error_messages={"required": "请选择复核后的等次"},
    )
    note = forms.CharField(
        label="复核意见", required=False, max_length=500, widget=forms.TextInput(attrs=_SMALL)
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DelegationForm(forms.Form):
    unit = forms.IntegerField(label="单位编号", widget=forms.NumberInput(attrs=_SMALL))
    delegate = forms.CharField(
        label="受托人账号", max_length=150, widget=forms.TextInput(attrs=_SMALL)
    )
    starts_on = forms.DateField(label="起始日期", widget=_date_input())
    ends_on = forms.DateField(label="截止日期", required=False, widget=_date_input())
    note = forms.CharField(
        label="说明", required=False, max_length=200, widget=forms.TextInput(attrs=_SMALL)
    )


class PeriodForm(forms.Form):
    """A quarter (year + quarter) or a date range; defaults are filled by the view."""

    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    quarter = forms.IntegerField(required=False, min_value=1, max_value=4)
    start = forms.DateField(required=False)
    end = forms.DateField(required=False)
    unit = forms.IntegerField(required=False, min_value=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("结束日期不能早于开始日期")
        return data
