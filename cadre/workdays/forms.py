from datetime import date

from django import forms

from cadre.workdays import rules
from cadre.workdays.services import MAX_YEAR, MIN_YEAR

MAX_CSV_BYTES = 200_000


class ConfirmForm(forms.Form):
    """A year's official schedule, pasted from the notice or uploaded as CSV."""

    year = forms.IntegerField(
        label="年度",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": "年度须为四位数字", "required": "请填写年度"},
    )
    source = forms.CharField(
        label="依据",
        max_length=200,
        error_messages={"required": "请填写依据"},
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知",
    )
    days_off = forms.CharField(
        label="放假日",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每行一天或一段：2027-02-05 春节，或 2027-02-05至2027-02-11 春节",
    )
    days_worked = forms.CharField(
        label="调休上班日",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一天：2027-02-14 春节调休上班",
    )
    csv_file = forms.FileField(label="或上传CSV（日期,安排,名称）", required=False)
    correction = forms.CharField(
        label="更正理由（更正已确认年度时填写）", max_length=200, required=False
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        try:
            off = rules.parse_schedule_lines(data.get("days_off", ""))
            worked = rules.parse_schedule_lines(data.get("days_worked", ""))
            upload = data.get("csv_file")
            if upload:
                if upload.size > MAX_CSV_BYTES:
                    raise rules.ScheduleError("CSV文件过大（上限200KB）")
                try:
                    text = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError as exc:
                    raise rules.ScheduleError("CSV文件应为UTF-8编码") from exc
                csv_off, csv_worked = rules.parse_schedule_csv(text)
                off.update(csv_off)
                worked.update(csv_worked)
        except rules.ScheduleError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if not off and not self.errors:
            raise forms.ValidationError("请填写或上传该年的放假日")
        data["off"], data["worked"] = off, worked
        return data

    def schedule(self) -> tuple[dict[date, str], dict[date, str]]:
        return self.cleaned_data["off"], self.cleaned_data["worked"]


class DayForm(forms.Form):
    day = forms.DateField(
        label="日期",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD"},
    )
    is_workday = forms.TypedChoiceField(
        label="该日",
        choices=[("0", "休息（节假日）"), ("1", "上班（调休）")],
        coerce=lambda v: v == "1",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    name = forms.CharField(
        label="名称", max_length=50, required=False, help_text="如：春节、国庆节调休"
    )
