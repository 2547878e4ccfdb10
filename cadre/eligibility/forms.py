"""Field validation only; the rules and the writes are in rules.py and services.py.

Cadres and posts are picked from the user's scope (the choices are built by the view); the
view still fetches the picked record with `get_object_for_user`, so an id from outside the
scope is a 404 and is audited, whatever the form offered.
"""

from typing import Any

from django import forms

from cadre.cadres.models import Rank
from cadre.eligibility import rules
from cadre.eligibility.models import OverrideStatus, UnsuitabilityStatus

OFF = {"autocomplete": "off", "class": "form-control"}
SELECT = {"autocomplete": "off", "class": "form-select"}


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={**OFF, "type": "date"}, format="%Y-%m-%d"),
    )


def _text(label: str, max_length: int, rows: int = 0, required: bool = True) -> forms.CharField:
    widget = forms.Textarea(attrs={**OFF, "rows": rows}) if rows else forms.TextInput(attrs=OFF)
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget)


def _pick(label: str, required: bool = True) -> forms.IntegerField:
    """An id chosen from a list the view fills (`choose`)."""
    return forms.IntegerField(
        label=label, required=required, min_value=1, widget=forms.Select(attrs=SELECT)
    )


def choose(form: forms.BaseForm, name: str, choices: list[tuple[Any, str]], empty: str) -> None:
    widget = form.fields[name].widget
    assert isinstance(widget, forms.Select)
    widget.choices = [("", empty), *choices]


# ---- 不适宜担任现职 --------------------------------------------------------------------------


class UnsuitabilityForm(forms.Form):
    cadre = _pick("干部")
    determined_on = _date("认定日期")
    grounds = forms.MultipleChoiceField(
        label="认定情形（推进领导干部能上能下规定 第五条，可多选）",
        choices=list(rules.UNSUITABLE_GROUNDS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    facts = _text("主要事实", 10_000, rows=5)


class TalkForm(forms.Form):
    talk_on = _date("谈话日期")
    note = _text("谈话情况（本人意见）", 5_000, rows=3)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="调整方式",
        choices=[("", "请选择"), *rules.UNSUITABLE_DECISIONS.items()],
        widget=forms.Select(attrs=SELECT),
    )
    decided_on = _date("决定日期")
    effective_on = _date("生效日期")
    basis = _text("决定文号或会议", 200)
    to_position = _pick("拟任职位（调整职务、改任、降职时）", required=False)
    to_rank = forms.ChoiceField(
        label="降职后的职级（不填则降低一级）",
        required=False,
        choices=[("", "—"), *Rank.choices],
        widget=forms.Select(attrs=SELECT),
    )


class WithdrawForm(forms.Form):
    reason = _text("撤销理由", 250, rows=2)


class UnsuitabilityFilter(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), *UnsuitabilityStatus.choices],
        widget=forms.Select(attrs={**SELECT, "aria-label": "状态"}),
    )


# ---- 破格 -------------------------------------------------------------------------------------


class OverrideForm(forms.Form):
    cadre = _pick("干部")
    position = _pick("拟任职位（可选；填写后按该职位的任职资格核对）", required=False)
    reason = _text("破格理由（选拔任用条例 第八条：特别优秀或工作特殊需要）", 5_000, rows=4)


class ApproveForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审批意见",
        coerce=lambda v: v == "1",
        choices=[("1", "批准"), ("0", "不批准")],
        widget=forms.Select(attrs=SELECT),
    )
    note = _text("意见说明（不批准时必填）", 300, required=False)


class OverrideFilter(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), *OverrideStatus.choices],
        widget=forms.Select(attrs={**SELECT, "aria-label": "状态"}),
    )
