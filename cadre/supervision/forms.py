from typing import Any

from django import forms

from cadre.supervision.models import (
    CaseConclusion,
    Channel,
    Disposal,
    EvidenceKind,
    InspectionMode,
    ProblemKind,
    Responsibility,
    SubjectKind,
)

OFF = {"autocomplete": "off", "class": "form-control"}
SELECT = {"autocomplete": "off", "class": "form-select"}


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={**OFF, "type": "date"}, format="%Y-%m-%d")


def _text(label: str, max_length: int, required: bool = True, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={**OFF, "rows": rows}) if rows else forms.TextInput(attrs=OFF)
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, strip=False
    )


class IntakeForm(forms.Form):
    """Public and staff intake. Length and character checks live in intake._clean."""

    subject_kind = forms.ChoiceField(
        label="反映对象", choices=SubjectKind.choices, widget=forms.Select(attrs=SELECT)
    )
    subject_unit = forms.TypedChoiceField(
        label="被反映单位", coerce=int, choices=(), widget=forms.Select(attrs=SELECT)
    )
    subject_name = _text("被反映人姓名", 30, required=False)
    subject_post = _text("被反映人职务", 60, required=False)
    problem_kind = forms.ChoiceField(
        label="问题类别", choices=ProblemKind.choices, widget=forms.Select(attrs=SELECT)
    )
    title = _text("标题", 100)
    body = _text("反映内容", 10_000, rows=8)
    anonymous = forms.TypedChoiceField(
        label="举报方式",
        coerce=lambda v: v == "1",
        choices=[("1", "匿名举报"), ("0", "实名举报")],
        initial="1",
        widget=forms.RadioSelect(attrs={"autocomplete": "off"}),
    )
    contact = _text("姓名及联系方式（实名举报时填写）", 200, required=False)

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subject_unit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "请选择单位")] + [
            (u.pk, "　" * max(u.depth - 1, 0) + u.name) for u in units
        ]


class StaffIntakeForm(IntakeForm):
    channel = forms.ChoiceField(
        label="来源渠道",
        choices=[c for c in Channel.choices if c[0] != "online"],
        widget=forms.Select(attrs=SELECT),
    )
    received_on = forms.DateField(label="收到日期", widget=_date_widget())
    subject_cadre = forms.IntegerField(
        label="被反映干部编号（可选）",
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs=OFF),
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label="回执码",
        max_length=64,
        widget=forms.TextInput(attrs={**OFF, "spellcheck": "false"}),
    )


class ReporterMessageForm(ReceiptForm):
    body = _text("留言", 5000, rows=4)


class ReasonForm(forms.Form):
    reason = _text("理由", 2000, rows=2)


class MessageForm(forms.Form):
    body = _text("答复内容", 5000, rows=3)


class AcceptForm(forms.Form):
    summary = _text("线索摘要", 10_000, required=False, rows=2)


class ProposeForm(forms.Form):
    disposal = forms.ChoiceField(
        label="处置方式", choices=Disposal.choices, widget=forms.Select(attrs=SELECT)
    )
    reason = _text("处置理由/工作方案", 5000, rows=3)


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审批意见",
        coerce=lambda v: v == "1",
        choices=[("1", "同意"), ("0", "不同意")],
        widget=forms.Select(attrs=SELECT),
    )
    note = _text("审批说明", 2000, required=False)


class SubjectForm(forms.Form):
    cadre = forms.IntegerField(
        label="干部编号", required=False, min_value=1, widget=forms.NumberInput(attrs=OFF)
    )
    unit = forms.IntegerField(
        label="单位编号", required=False, min_value=1, widget=forms.NumberInput(attrs=OFF)
    )
    responsibility = forms.ChoiceField(
        label="责任类型", choices=Responsibility.choices, widget=forms.Select(attrs=SELECT)
    )


class FactForm(forms.Form):
    text = _text("事实", 10_000, rows=3)
    established = forms.BooleanField(label="经核实属实", required=False)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="证据种类", choices=EvidenceKind.choices, widget=forms.Select(attrs=SELECT)
    )
    description = _text("证据说明", 10_000, rows=2)
    attachment = forms.IntegerField(
        label="引用举报附件编号（可选）",
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs=OFF),
    )


class NoteForm(forms.Form):
    text = _text("内部备注（不向举报人公开）", 10_000, rows=2)


class AdvanceForm(forms.Form):
    target = forms.ChoiceField(
        label="转入",
        choices=[("reviewing", "审理"), ("verifying", "退回核查"), ("closed", "办结")],
        widget=forms.Select(attrs=SELECT),
    )
    conclusion = forms.ChoiceField(
        label="核查结论",
        required=False,
        choices=[("", "—"), *CaseConclusion.choices],
        widget=forms.Select(attrs=SELECT),
    )
    conclusion_text = _text("结论说明", 10_000, required=False, rows=2)


class FileForm(forms.Form):
    """立案审查调查: a decision with no fields of its own (the date is the day it is taken)."""


class InspectionForm(forms.Form):
    org_unit = forms.IntegerField(
        label="组织单位编号", min_value=1, widget=forms.NumberInput(attrs=OFF)
    )
    title = _text("检查名称", 100)
    mode = forms.ChoiceField(
        label="方式", choices=InspectionMode.choices, widget=forms.Select(attrs=SELECT)
    )
    conducted_on = forms.DateField(label="检查日期", widget=_date_widget())
    team = _text("检查组成员", 200, required=False)
    summary = _text("检查概况", 10_000, required=False, rows=3)


class FindingForm(forms.Form):
    subject_unit = forms.IntegerField(
        label="被检查单位编号", min_value=1, widget=forms.NumberInput(attrs=OFF)
    )
    subject_cadre = forms.IntegerField(
        label="涉及干部编号（可选）",
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs=OFF),
    )
    problem_kind = forms.ChoiceField(
        label="问题类别", choices=ProblemKind.choices, widget=forms.Select(attrs=SELECT)
    )
    description = _text("发现问题", 10_000, rows=3)
    open_clue = forms.BooleanField(label="形成问题线索", required=False, initial=True)


def first_error(form: forms.Form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else str(errors[0])
    return "提交的内容有误"


class LinkForm(forms.Form):
    """Link a report or clue to a cadre found by name (links.candidates)."""

    cadre = forms.IntegerField(
        label="干部",
        min_value=1,
        error_messages={"required": "请从搜索结果中选择干部", "invalid": "请从搜索结果中选择干部"},
    )
    reason = _text("关联理由", 2000, rows=2)
