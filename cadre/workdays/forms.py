from django import forms

from cadre.workdays.services import MAX_YEAR, MIN_YEAR


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=MIN_YEAR, max_value=MAX_YEAR,
                              error_messages={"invalid": "年度须为四位数字"})
    source = forms.CharField(label="依据", max_length=200,
                             help_text="如：国务院办公厅关于2027年部分节假日安排的通知")


class DayForm(forms.Form):
    day = forms.DateField(label="日期",
                          widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
                          error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})
    is_workday = forms.TypedChoiceField(
        label="该日", choices=[("0", "休息（节假日）"), ("1", "上班（调休）")],
        coerce=lambda v: v == "1",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    name = forms.CharField(label="名称", max_length=50, required=False,
                           help_text="如：春节、国庆节调休")
