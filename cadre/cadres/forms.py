from datetime import date
from typing import Any

from django import forms

from cadre.cadres import rules
from cadre.cadres.models import Cadre, Education, Gender, Political, Rank

SORTS = {
    "name": "姓名",
    "-birth_date": "年龄从小到大",
    "birth_date": "年龄从大到小",
    "current_post_since": "任现职时间从早到晚",
    "-current_post_since": "任现职时间从晚到早",
    "org_unit": "单位",
}


class CadreFilterForm(forms.Form):
    q = forms.CharField(label="姓名", required=False, max_length=30)
    unit = forms.IntegerField(label="单位", required=False, min_value=1)
    rank = forms.ChoiceField(label="职级", required=False, choices=[("", "全部"), *Rank.choices])
    leader = forms.ChoiceField(
        label="领导干部", required=False, choices=[("", "全部"), ("1", "是"), ("0", "否")]
    )
    age_min = forms.IntegerField(label="年龄≥", required=False, min_value=16, max_value=80)
    age_max = forms.IntegerField(label="年龄≤", required=False, min_value=16, max_value=80)
    years_min = forms.IntegerField(label="任现职≥(年)", required=False, min_value=0, max_value=50)
    sort = forms.ChoiceField(label="排序", required=False, choices=list(SORTS.items()))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lo, hi = data.get("age_min"), data.get("age_max")
        if lo is not None and hi is not None and lo > hi:
            raise forms.ValidationError("年龄下限不能大于上限")
        return data


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def apply_filters(qs: Any, data: dict[str, Any], today: date, unit_path: str | None) -> Any:
    """Applies a valid CadreFilterForm's data; unit_path is the chosen unit's subtree."""
    qs = qs.search(data.get("q") or "")
    if unit_path:
        qs = qs.filter(org_unit__path__startswith=unit_path)
    if data.get("rank"):
        qs = qs.filter(rank=data["rank"])
    if data.get("leader") in ("0", "1"):
        qs = qs.filter(is_leader=data["leader"] == "1")
    if data.get("age_min") is not None:
        qs = qs.filter(birth_date__lte=_years_ago(today, data["age_min"]))
    if data.get("age_max") is not None:
        qs = qs.filter(birth_date__gt=_years_ago(today, data["age_max"] + 1))
    if data.get("years_min") is not None:
        qs = qs.filter(current_post_since__lte=_years_ago(today, data["years_min"]))
    return qs.order_by(data.get("sort") or "org_unit", "id")


class CadreEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Cadre
        fields = [
            "name",
            "gender",
            "birth_date",
            "ethnicity",
            "education",
            "specialty",
            "political_status",
            "joined_party_on",
            "joined_work_on",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "joined_party_on": forms.DateInput(attrs={"type": "date"}),
            "joined_work_on": forms.DateInput(attrs={"type": "date"}),
        }


class LeavingForm(forms.Form):
    """登记离职/退休: 情形, 日期, 依据; for 辞退 the 第八十九条 confirmation (checked, with the
    rest, by `services.record_leaving`)."""

    status = forms.ChoiceField(
        label="情形",
        choices=[("", "请选择"), *rules.LEAVING_CHOICES],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    on = forms.DateField(
        label="日期", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    basis = forms.CharField(
        label="依据（文号/说明）",
        max_length=200,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": "决定文号，或决定机关、日期和说明"}
        ),
    )
    no_article_89 = forms.BooleanField(
        label="辞退：经核实，该干部不属于公务员法第八十九条规定的不得辞退的情形（"
        + "；".join(rules.NO_DISMISSAL_SITUATIONS)
        + "）",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


__all__ = [
    "SORTS",
    "CadreEditForm",
    "CadreFilterForm",
    "Education",
    "Gender",
    "LeavingForm",
    "Political",
]
