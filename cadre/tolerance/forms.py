from django import forms

from cadre.accountability.models import MeasureKind
from cadre.supervision.forms import OFF, SELECT, _text, first_error
from cadre.tolerance import rules

__all__ = ["first_error"]


class ApplyForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label="申请方式",
        choices=[("self", "本人申请"), ("unit", "单位申请（组织、纪检监察部门登记）")],
        widget=forms.Select(attrs=SELECT),
    )
    cadre = forms.IntegerField(
        label="干部编号（单位申请时填写）",
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs=OFF),
    )
    measure = forms.IntegerField(
        label="针对的处理措施编号", required=False, min_value=1, widget=forms.NumberInput(attrs=OFF)
    )
    case = forms.IntegerField(
        label="或针对的案件编号", required=False, min_value=1, widget=forms.NumberInput(attrs=OFF)
    )
    facts = _text("事实经过", 10_000, rows=4)
    distinction = forms.ChoiceField(
        label="“三个区分开来”依据",
        choices=list(rules.DISTINCTIONS.items()),
        widget=forms.Select(attrs=SELECT),
    )
    goal_missed = _text("改革创新未能实现预期目标的情况", 5000, rows=2)
    per_guidance = _text("依照中央和省委有关精神决策、实施的情况", 5000, rows=2)
    diligent = _text("勤勉尽责的情况", 5000, rows=2)
    no_private_gain = _text("未牟取私利的情况", 5000, rows=2)


class VerifyForm(forms.Form):
    exclusions = forms.MultipleChoiceField(
        label="发现的不予免责情形",
        required=False,
        choices=list(rules.EXCLUSIONS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    note = _text("核实情况", 10_000, rows=3)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key, label in rules.CRITERIA.items():
            self.fields[f"{key}_ok"] = forms.TypedChoiceField(
                label=f"{label}：是否成立",
                coerce=lambda v: v == "1",
                choices=[("", "请选择"), ("1", "成立"), ("0", "不成立")],
                widget=forms.Select(attrs=SELECT),
            )
            self.fields[f"{key}_note"] = _text(f"{label}：核实说明", 2000, required=False)

    def findings(self) -> dict[str, tuple[bool, str]]:
        d = self.cleaned_data
        return {k: (d[f"{k}_ok"], d[f"{k}_note"]) for k in rules.CRITERIA}


class SignForm(forms.Form):
    as_role = forms.ChoiceField(
        label="以何部门签署",
        choices=[("org_admin", "组织部门"), ("discipline", "纪检监察机关")],
        widget=forms.Select(attrs=SELECT),
    )
    outcome = forms.ChoiceField(
        label="认定意见", choices=list(rules.OUTCOMES.items()), widget=forms.Select(attrs=SELECT)
    )
    reason = _text("认定理由", 5000, rows=2)
    lighter_kind = forms.ChoiceField(
        label="从轻减轻为（可选）",
        required=False,
        choices=[("", "—"), *MeasureKind.choices],
        widget=forms.Select(attrs=SELECT),
    )


class FeedbackForm(forms.Form):
    text = _text("反馈内容", 5000, rows=3)


class PublishForm(forms.Form):
    title = _text("公开标题", 100)
    summary = _text("公开内容（姓名将隐去）", 10_000, rows=4)
    public = forms.BooleanField(label="向社会公开（否则内部公开）", required=False)
