"""Field validation only (types, lengths, choices); the rules live in rules.py and services."""

from typing import Any

from django import forms

from cadre.assessments import rules
from cadre.assessments.models import CycleKind, QuotaPool, RaterCategory, ReviewStatus

GRADE_CHOICES = [("", "—— 不定等次 ——"), *((g, rules.GRADE_LABELS[g]) for g in rules.GRADES)]
DATE = forms.DateInput(attrs={"type": "date"})
AREA2 = forms.Textarea(attrs={"rows": 2})
AREA3 = forms.Textarea(attrs={"rows": 3})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class Bootstrap(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-check-input"
                if isinstance(field.widget, forms.CheckboxInput)
                else ("form-select" if isinstance(field.widget, forms.Select) else "form-control")
            )
            field.widget.attrs.setdefault("class", css)


def first_error(form: forms.Form) -> str:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}：{errors[0]}" if label else str(errors[0])
    return "输入有误"


class CycleForm(Bootstrap):
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label="考核类别", choices=CycleKind.choices)
    scope_unit = forms.IntegerField(label="考核范围单位", widget=forms.Select)
    title = forms.CharField(label="名称（可不填）", max_length=100, required=False)
    quota_pool = forms.ChoiceField(label="优秀名额核定", choices=QuotaPool.choices)
    disclose_summaries = forms.BooleanField(label="公示领导干部述职", required=False)
    term_start_year = forms.IntegerField(
        label="任期起始年度（任期考核）", required=False, min_value=2000, max_value=2100
    )

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope_unit"].widget.choices = [(u.pk, u.name) for u in units]


class PlanForm(Bootstrap):
    phase = forms.ChoiceField(
        label="阶段", choices=[(p, rules.PHASE_LABELS[p]) for p in rules.PHASES]
    )
    start = forms.DateField(label="计划开始", required=False, widget=DATE)
    end = forms.DateField(label="计划结束", required=False, widget=DATE)


class SessionForm(Bootstrap):
    org_unit = forms.IntegerField(label="测评单位", widget=forms.Select)
    title = forms.CharField(label="名称（可不填）", max_length=100, required=False)
    opens_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    closes_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    rates_team = forms.BooleanField(label="同时测评领导班子", required=False)

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].widget.choices = [(u.pk, u.name) for u in units]


class TokensForm(Bootstrap):
    category = forms.ChoiceField(label="测评人类别", choices=RaterCategory.choices)
    count = forms.IntegerField(label="数量", min_value=1, max_value=500)


class TurnoutForm(Bootstrap):
    category = forms.ChoiceField(label="测评人类别", choices=RaterCategory.choices)
    issued = forms.IntegerField(label="发放张数", min_value=0, max_value=100_000)
    returned = forms.IntegerField(label="收回张数", min_value=0, max_value=100_000)


class ProposalForm(Bootstrap):
    grade = forms.ChoiceField(label="建议等次", choices=GRADE_CHOICES, required=False)
    evaluation_text = forms.CharField(
        label="综合评价意见",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    justice_note = forms.CharField(
        label="主持公道说明（因坚持原则、敢抓敢管影响得票时填写）",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class FactsForm(Bootstrap):
    under_investigation = forms.BooleanField(label="正在接受立案审查调查（未结案）", required=False)
    leave_days = forms.IntegerField(label="本年度病事假天数", min_value=0, max_value=366)
    protected_from_dismissal = forms.BooleanField(
        label="属于不得辞退情形（因公致残、医疗期、孕期产期哺乳期等）", required=False
    )
    note = forms.CharField(label="情况说明", max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(Bootstrap):
    grade = forms.ChoiceField(label="确定等次", choices=GRADE_CHOICES, required=False)
    note = forms.CharField(label="决定说明（与建议不同时必填）", max_length=2000, required=False)
    decided_on = forms.DateField(label="决定日期", required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class QuotaApprovalForm(Bootstrap):
    ratio = forms.DecimalField(label="批准的优秀比例（如0.25）", max_digits=4, decimal_places=2)
    document = forms.CharField(label="批准文件（文号）", max_length=100)
    approved_on = forms.DateField(label="批准日期", widget=DATE)
    reason = forms.CharField(label="理由", max_length=2000, widget=AREA2)


class TextForm(Bootstrap):
    text = forms.CharField(label="内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewDecisionForm(Bootstrap):
    outcome = forms.ChoiceField(
        label="复核结论",
        choices=[(ReviewStatus.UPHELD, "维持原等次"), (ReviewStatus.CHANGED, "变更等次")],
    )
    new_grade = forms.ChoiceField(label="变更后等次", required=False, choices=GRADE_CHOICES)
    text = forms.CharField(label="复核决定", max_length=5000, widget=AREA3)
    version = forms.IntegerField(widget=forms.HiddenInput)


class AcknowledgeForm(Bootstrap):
    text = forms.CharField(label="本人意见（可不填）", max_length=500, required=False)
    waive_review = forms.BooleanField(label="本人对考核结果无异议，不申请复核", required=False)


class SurveyForm(Bootstrap):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="名称（可不填）", max_length=100, required=False)
    scope_unit = forms.IntegerField(label="组织单位", widget=forms.Select)
    opens_on = forms.DateField(label="开始日期", widget=DATE)
    closes_on = forms.DateField(label="结束日期", widget=DATE)
    tier_quota = forms.IntegerField(label="每个层面名额", min_value=1, max_value=100_000)
    units = forms.MultipleChoiceField(
        label="被评议单位", widget=forms.SelectMultiple(attrs={"size": 10})
    )

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = list(units)
        self.fields["scope_unit"].widget.choices = [(u.pk, u.name) for u in units]
        units_field = self.fields["units"]
        assert isinstance(units_field, forms.MultipleChoiceField)
        units_field.choices = [(str(u.pk), u.name) for u in units]


class TierForm(Bootstrap):
    quota = forms.IntegerField(label="名额", min_value=0, max_value=100_000)
    weight = forms.DecimalField(label="权重", max_digits=5, decimal_places=2)


class LinksForm(Bootstrap):
    tier = forms.IntegerField(label="评议层面", widget=forms.Select)
    count = forms.IntegerField(label="数量", min_value=1, max_value=1000)

    def __init__(self, *args: Any, tiers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].widget.choices = [(t.pk, t.name) for t in tiers]


class VetoForm(Bootstrap):
    item = forms.CharField(label="一票否决事项", max_length=100, required=False)
    note = forms.CharField(label="否决依据", max_length=200, required=False)


class DisclosureCommentForm(forms.Form):
    participant = forms.IntegerField(label="所涉干部（可不选）", required=False)
    name = forms.CharField(label="署名（可不填）", max_length=30, required=False)
    contact = forms.CharField(label="联系方式（可不填）", max_length=60, required=False)
    text = forms.CharField(label="意见", max_length=2000)
