from decimal import Decimal

from django import forms

from cadre.development.models import (
    HostGrade,
    PlacementKind,
    Relation,
    TrainingKind,
    TrainingResult,
)
from cadre.orgs.models import WorkField

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


class Bootstrap(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")


class TopicForm(Bootstrap):
    name = forms.CharField(label="专题名称", max_length=40)
    work_fields = forms.MultipleChoiceField(
        label="对应工作领域",
        choices=WorkField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class TopicFieldsForm(Bootstrap):
    work_fields = forms.MultipleChoiceField(
        label="对应工作领域",
        choices=WorkField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_active = forms.BooleanField(label="启用", required=False)


class ProgrammeForm(Bootstrap):
    name = forms.CharField(label="培训项目", max_length=100)
    kind = forms.ChoiceField(label="培训类别", choices=TrainingKind.choices)
    topics = forms.MultipleChoiceField(
        label="专题", required=False, widget=forms.CheckboxSelectMultiple
    )
    trainer = forms.CharField(label="授课教师/承办机构", max_length=100)
    org_unit = forms.IntegerField(label="主办单位编号", min_value=1)
    description = forms.CharField(
        label="简介", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, topics: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(str(i), n) for i, n in topics]  # type: ignore[attr-defined]


class SessionForm(Bootstrap):
    title = forms.CharField(label="班次名称", max_length=100)
    starts_on = forms.DateField(label="开班日期", widget=DATE)
    ends_on = forms.DateField(label="结业日期", widget=DATE)
    place = forms.CharField(label="培训地点", max_length=100)
    capacity = forms.IntegerField(label="计划人数", min_value=1, max_value=5000)
    hours = forms.DecimalField(
        label="计划学时", min_value=Decimal("0.5"), max_value=2000, decimal_places=1
    )


class AttendanceForm(Bootstrap):
    day = forms.DateField(label="日期", widget=DATE)
    hours = forms.DecimalField(label="学时", min_value=0, max_value=12, decimal_places=1)
    present = forms.BooleanField(label="出勤", required=False, initial=True)


class ResultForm(Bootstrap):
    result = forms.ChoiceField(
        label="培训结果", choices=[c for c in TrainingResult.choices if c[0]]
    )


class EvaluationForm(Bootstrap):
    content = forms.IntegerField(label="内容评分(1-5)", min_value=1, max_value=5)
    trainer = forms.IntegerField(label="师资评分(1-5)", min_value=1, max_value=5)
    usefulness = forms.IntegerField(label="实用性评分(1-5)", min_value=1, max_value=5)
    comment = forms.CharField(
        label="意见建议", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FollowUpForm(Bootstrap):
    applied = forms.BooleanField(label="培训成果已运用于工作", required=False)
    rating = forms.IntegerField(label="运用效果(1-5)", min_value=1, max_value=5)
    how = forms.CharField(label="具体表现", widget=forms.Textarea(attrs={"rows": 3}))


class PlacementForm(Bootstrap):
    cadre = forms.IntegerField(label="干部编号", min_value=1)
    kind = forms.ChoiceField(label="挂职类别", choices=PlacementKind.choices)
    host_unit = forms.IntegerField(
        label="挂职单位编号（系统内单位可填）", min_value=1, required=False
    )
    host_name = forms.CharField(label="挂职单位或项目", max_length=100, required=False)
    post_title = forms.CharField(label="挂任职务", max_length=60, required=False)
    programme = forms.CharField(label="选派计划（如：新百人计划）", max_length=60, required=False)
    started_on = forms.DateField(label="挂职开始", widget=DATE)
    planned_end_on = forms.DateField(label="计划结束", widget=DATE)


class ReportForm(Bootstrap):
    period_end = forms.DateField(label="报告期截止", widget=DATE)
    text = forms.CharField(label="思想工作情况报告", widget=forms.Textarea(attrs={"rows": 4}))


class HostEvaluationForm(Bootstrap):
    grade = forms.ChoiceField(label="鉴定等次", choices=HostGrade.choices)
    comment = forms.CharField(label="接收单位鉴定意见", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class EndForm(Bootstrap):
    ended_on = forms.DateField(label="实际结束日期", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(Bootstrap):
    reason = forms.CharField(label="撤销理由", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RelativeForm(Bootstrap):
    cadre = forms.IntegerField(label="干部编号", min_value=1)
    relative = forms.IntegerField(label="亲属干部编号", min_value=1)
    relation = forms.ChoiceField(label="关系", choices=Relation.choices)


class PlanForm(Bootstrap):
    title = forms.CharField(label="方案名称", max_length=100)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    org_unit = forms.IntegerField(label="范围单位编号", min_value=1)
    effective_on = forms.DateField(label="交流生效日期", widget=DATE)


class MoveForm(Bootstrap):
    cadre = forms.IntegerField(label="干部编号", min_value=1)
    position = forms.IntegerField(label="拟任职位编号", min_value=1)
    reason = forms.CharField(label="交流理由", max_length=200, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
