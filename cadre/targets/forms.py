"""Field validation only; the rules and the writes are in rules.py and services/."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from cadre.cadres.models import Cadre
from cadre.orgs.models import OrgUnit
from cadre.targets.models import (
    BookKind,
    IndicatorKind,
    InspectionTopic,
    KeyProject,
    LinkRole,
    Outcome,
    ProblemStatus,
    TaskCategory,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _limit(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Sets the choices of the model choice field `name` of a bound form instance."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items]


class BookForm(forms.Form):
    unit: "forms.ModelChoiceField[OrgUnit]" = forms.ModelChoiceField(
        label="单位", queryset=None, empty_label="请选择单位"
    )
    owner_cadre: "forms.ModelChoiceField[Cadre]" = forms.ModelChoiceField(
        label="责任领导干部（制定领导干部个人任务书时选择）",
        queryset=None,
        required=False,
        empty_label="（单位任务书）",
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label="类别", choices=BookKind.choices)
    title = forms.CharField(label="名称（可留空自动生成）", max_length=120, required=False)

    def __init__(self, *args: Any, units: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "unit", units)
        _limit(self, "owner_cadre", leaders)


def parse_milestones(text: str) -> list[tuple[str, date]]:
    """One milestone a line: `2026-06-30 完成主体工程`."""
    found = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day, _, title = line.partition(" ")
        try:
            due = date.fromisoformat(day)
        except ValueError as exc:
            raise forms.ValidationError(f"第{n}行节点格式应为“YYYY-MM-DD 节点名称”") from exc
        if not title.strip():
            raise forms.ValidationError(f"第{n}行缺少节点名称")
        found.append((title.strip(), due))
    return found


class TaskForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="任务名称", max_length=200)
    category = forms.ChoiceField(label="类别", choices=TaskCategory.choices)
    indicator_kind = forms.ChoiceField(label="指标类型", choices=IndicatorKind.choices)
    indicator_unit = forms.CharField(label="计量单位", max_length=20, required=False)
    target_value = forms.DecimalField(
        label="目标值", max_digits=14, decimal_places=2, required=False, min_value=Decimal("0.01")
    )
    weight = forms.DecimalField(label="权重", max_digits=5, decimal_places=2)
    due_date = forms.DateField(label="完成时限", widget=DATE)
    owners: "forms.ModelMultipleChoiceField[Cadre]" = forms.ModelMultipleChoiceField(
        label="责任人", queryset=None, required=False
    )
    key_project: "forms.ModelChoiceField[KeyProject]" = forms.ModelChoiceField(
        label="服务重点项目", queryset=None, required=False, empty_label="（无）"
    )
    reward_rule = forms.CharField(
        label="奖惩认定", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    milestones = forms.CharField(
        label="节点（节点型指标，每行一个：YYYY-MM-DD 节点名称）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, cadres: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "owners", cadres)
        _limit(self, "key_project", projects)

    def clean_milestones(self) -> list[tuple[str, date]]:
        return parse_milestones(self.cleaned_data.get("milestones") or "")


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("submit", "return", "approve", "sign", "cancel", "close")]
    )
    version = forms.IntegerField()
    comment = forms.CharField(required=False, max_length=2000)


class ProgressForm(forms.Form):
    on = forms.DateField(label="进展日期", widget=DATE)
    value = forms.DecimalField(
        label="累计完成值", max_digits=14, decimal_places=2, required=False, min_value=0
    )
    milestone = forms.TypedChoiceField(label="完成节点", coerce=int, required=False, choices=[])
    narrative = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))
    lag_reason = forms.CharField(
        label="滞后原因（如有）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The form metaclass takes declared fields off the class, so this never replaces the
    # upload dict BaseForm.files on instances.
    files = MultipleFileField(label="佐证材料（pdf、jpg、png、docx、xlsx）")  # type: ignore[assignment]

    def __init__(self, *args: Any, milestones: Any = (), kind: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        milestone = self.fields["milestone"]
        assert isinstance(milestone, forms.TypedChoiceField)
        milestone.choices = [("", "—")] + [(m.pk, f"{m.due_date} {m.title}") for m in milestones]
        if kind == "numeric":
            del self.fields["milestone"]
        elif kind == "milestones":
            del self.fields["value"]


class ReconcileForm(forms.Form):
    outcome = forms.ChoiceField(label="自评结果", choices=Outcome.choices)
    actual_value = forms.DecimalField(
        label="实际完成值（数值指标）", max_digits=14, decimal_places=2, required=False
    )
    evidence = forms.CharField(
        label="佐证材料说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    shortfall_reason = forms.CharField(
        label="未完成原因", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The form metaclass takes declared fields off the class, so this never replaces the
    # upload dict BaseForm.files on instances.
    # A declared field, not BaseForm.files (see ProgressForm).
    files = MultipleFileField(label="佐证附件")  # type: ignore[assignment]


class ConfirmForm(forms.Form):
    outcome = forms.ChoiceField(label="认定结果", choices=Outcome.choices)
    reason = forms.CharField(
        label="审核说明（改变结果时必填）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    unit: "forms.ModelChoiceField[OrgUnit]" = forms.ModelChoiceField(
        label="检查范围", queryset=None, empty_label="请选择"
    )
    as_of = forms.DateField(label="检查日期", widget=DATE)
    opinion = forms.CharField(
        label="检查意见（可稍后填写）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "unit", units)


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label="检查意见", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    finalize = forms.BooleanField(label="定稿（定稿后不能修改）", required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="任务书Excel文件（.xlsx）")


class ProjectForm(forms.Form):
    unit: "forms.ModelChoiceField[OrgUnit]" = forms.ModelChoiceField(
        label="责任单位", queryset=None, empty_label="请选择"
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="项目名称", max_length=150)
    budget = forms.DecimalField(label="投资额（万元）", max_digits=14, decimal_places=2)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="计划完成日期", widget=DATE)
    description = forms.CharField(
        label="项目内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "unit", units)


class LinkForm(forms.Form):
    cadre: "forms.ModelChoiceField[Cadre]" = forms.ModelChoiceField(label="领导干部", queryset=None)
    role = forms.ChoiceField(label="方式", choices=LinkRole.choices)
    since = forms.DateField(label="起始日期", widget=DATE)

    def __init__(self, *args: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "cadre", leaders)


class VisitForm(forms.Form):
    cadre: "forms.ModelChoiceField[Cadre]" = forms.ModelChoiceField(label="领导干部", queryset=None)
    on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="情况", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "cadre", leaders)


class ProblemForm(forms.Form):
    title = forms.CharField(label="问题", max_length=200)
    raised_on = forms.DateField(label="提出日期", widget=DATE)


class ProblemUpdateForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=ProblemStatus.choices)
    solved_on = forms.DateField(label="解决日期", widget=DATE, required=False)
    note = forms.CharField(label="处理情况", required=False)


class ProjectMilestoneForm(forms.Form):
    title = forms.CharField(label="节点", max_length=150)
    due_date = forms.DateField(label="计划日期", widget=DATE)


class TopicForm(forms.Form):
    name = forms.CharField(label="专题名称", max_length=60)
    description = forms.CharField(label="说明", required=False)
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0)
    active = forms.BooleanField(label="启用", required=False, initial=True)


class InspectionForm(forms.Form):
    topic: "forms.ModelChoiceField[InspectionTopic]" = forms.ModelChoiceField(
        label="专题", queryset=None, empty_label="请选择"
    )
    title = forms.CharField(label="督查名称", max_length=150)
    unit: "forms.ModelChoiceField[OrgUnit]" = forms.ModelChoiceField(
        label="组织单位", queryset=None, empty_label="请选择"
    )
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)
    units: "forms.ModelMultipleChoiceField[OrgUnit]" = forms.ModelMultipleChoiceField(
        label="督查对象单位", queryset=None
    )
    task_ids = forms.CharField(label="督查任务编号（可选，逗号分隔）", required=False)

    def __init__(self, *args: Any, topics: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "topic", topics)
        _limit(self, "unit", units)
        _limit(self, "units", units)

    def clean_task_ids(self) -> list[int]:
        raw = (self.cleaned_data.get("task_ids") or "").replace("，", ",")
        try:
            return [int(p) for p in raw.split(",") if p.strip()]
        except ValueError as exc:
            raise forms.ValidationError("任务编号应为数字，用逗号分隔") from exc


class InspectionVisitForm(forms.Form):
    unit: "forms.ModelChoiceField[OrgUnit]" = forms.ModelChoiceField(
        label="被督查单位", queryset=None
    )
    on = forms.DateField(label="日期", widget=DATE)
    inspectors = forms.CharField(label="督查人员", max_length=200)
    note = forms.CharField(label="情况", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "unit", units)


class FindingForm(forms.Form):
    unit: "forms.ModelChoiceField[OrgUnit]" = forms.ModelChoiceField(label="单位", queryset=None)
    cadre: "forms.ModelChoiceField[Cadre]" = forms.ModelChoiceField(
        label="干部（针对个人时选择）", queryset=None, required=False
    )
    positive = forms.TypedChoiceField(
        label="性质", choices=[("0", "问题"), ("1", "表扬")], coerce=lambda v: v == "1"
    )
    found_on = forms.DateField(label="发现日期", widget=DATE)
    description = forms.CharField(label="情况", widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(label="证据", widget=forms.Textarea(attrs={"rows": 2}))
    requirement = forms.CharField(
        label="整改要求（问题类必填）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(label="整改期限（问题类必填）", widget=DATE, required=False)
    # The form metaclass takes declared fields off the class, so this never replaces the
    # upload dict BaseForm.files on instances.
    # A declared field, not BaseForm.files (see ProgressForm).
    files = MultipleFileField(label="证据附件")  # type: ignore[assignment]

    def __init__(self, *args: Any, units: Any, cadres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "unit", units)
        _limit(self, "cadre", cadres)


class FollowUpForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="整改进展", widget=forms.Textarea(attrs={"rows": 2}))
    closes = forms.BooleanField(label="验收合格，销号", required=False)
