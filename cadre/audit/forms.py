from datetime import date
from typing import Any

from django import forms


class AuditFilterForm(forms.Form):
    action = forms.RegexField(
        label="动作",
        required=False,
        max_length=40,
        regex=r"^[a-z_]+$",
        error_messages={"invalid": "动作只能包含小写英文字母和下划线，如 view、export"},
    )
    actor = forms.CharField(label="操作人账号", required=False, max_length=150)
    date_from = forms.DateField(
        label="起始日期",
        required=False,
        error_messages={"invalid": "起始日期格式应为 YYYY-MM-DD"},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label="截止日期",
        required=False,
        error_messages={"invalid": "截止日期格式应为 YYYY-MM-DD"},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    object_type = forms.RegexField(
        label="对象类型",
        required=False,
        max_length=60,
        regex=r"^[a-z_]+(\.[a-z_]+)?$",
        error_messages={"invalid": "对象类型格式应为 应用.模型，如 cadres.cadre"},
    )
    object_id = forms.CharField(label="对象编号", required=False, max_length=40)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("date_from")
        end: date | None = data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data

    def active_filters(self) -> dict[str, str]:
        """The filters in use, as text (written into the audit event of the viewing)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: str(v) for k, v in self.cleaned_data.items() if v not in (None, "")}
