from django import forms

from cadre.accountability.models import (
    AppealKind,
    AppealResult,
    InquiryOutcome,
    MeasureKind,
    NoticeKind,
    NoticeVisibility,
    ReferralTarget,
)
from cadre.cadres.models import Rank
from cadre.supervision.forms import OFF, SELECT, _text, first_error

__all__ = ["first_error"]

DATE = forms.DateInput(attrs={**OFF, "type": "date"}, format="%Y-%m-%d")


def _int(label: str, required: bool = True, **kw: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=kw.get("min", 1),
        max_value=kw.get("max"),
        widget=forms.NumberInput(attrs=OFF),
    )


class MeasureForm(forms.Form):
    cadre = _int("干部编号")
    kind = forms.ChoiceField(
        label="处理措施", choices=MeasureKind.choices, widget=forms.Select(attrs=SELECT)
    )
    issuing_body = _text("决定机关", 100)
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    effective_on = forms.DateField(label="生效日期", widget=DATE)
    facts = _text("事实", 10_000, rows=3)
    article = _text("依据条款", 200)
    probation_years = _int("留党察看期限(年)", required=False, max=2)
    referral_to = forms.ChoiceField(
        label="移送机关",
        required=False,
        choices=[("", "—"), *ReferralTarget.choices],
        widget=forms.Select(attrs=SELECT),
    )
    combined_count = _int("合并的相同政务处分数", required=False, max=20)
    combined_months = _int("合并确定的处分期(月)", required=False, max=48)
    case = _int("来源案件编号", required=False)
    requirement = _text("整改要求（提醒时必填）", 5000, required=False, rows=2)
    requirement_due = forms.DateField(label="整改期限", required=False, widget=DATE)
    to_position = _int("拟任职位编号（降职、调整职务、撤职可填，改任其他职务必填）", required=False)
    to_rank = forms.ChoiceField(
        label="调整后的职级（降职、撤职；不填则降低一级）",
        required=False,
        choices=[("", "—"), *Rank.choices],
        widget=forms.Select(attrs=SELECT),
    )


class EndForm(forms.Form):
    ended_on = forms.DateField(label="结束日期", widget=DATE)
    note = _text("说明", 200)


class PersonnelDoneForm(forms.Form):
    done_on = forms.DateField(label="办结日期", widget=DATE)
    note = _text("办理情况（职务、职级、工资待遇的变更）", 200)


class PersonnelExtendForm(forms.Form):
    until = forms.DateField(label="延长至", widget=DATE)
    reason = _text("延长理由（经批准的特殊情况）", 200)


class RectificationForm(forms.Form):
    requirement = _text("整改要求", 5000, rows=2)
    due_on = forms.DateField(label="整改期限", widget=DATE)


class RectificationDoneForm(forms.Form):
    result = _text("整改情况", 5000, rows=2)
    done_on = forms.DateField(label="完成日期", widget=DATE)


class AppealForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=AppealKind.choices, widget=forms.Select(attrs=SELECT)
    )
    filed_on = forms.DateField(label="申请日期", widget=DATE)
    reasons = _text("申请理由", 5000, rows=2)


class AppealDecisionForm(forms.Form):
    result = forms.ChoiceField(
        label="结果",
        choices=[c for c in AppealResult.choices if c[0] != "pending"],
        widget=forms.Select(attrs=SELECT),
    )
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    text = _text("决定说明", 5000, rows=2)
    replacement_kind = forms.ChoiceField(
        label="变更为",
        required=False,
        choices=[("", "—"), *MeasureKind.choices],
        widget=forms.Select(attrs=SELECT),
    )


class InquiryForm(forms.Form):
    cadre = _int("被函询人干部编号")
    clue = _int("来源线索编号", required=False)
    issuing_body = _text("发函机关", 100)
    sent_on = forms.DateField(label="发函日期", widget=DATE)
    questions = _text("函询问题", 10_000, rows=5)


class ReplyForm(forms.Form):
    reply_text = _text("说明材料", 10_000, rows=5)
    replied_on = forms.DateField(label="回复日期", widget=DATE)
    signoff_name = _text("党委(党组)主要负责人", 30)
    signoff_opinion = _text("主要负责人签署意见", 2000, rows=2)
    signoff_on = forms.DateField(label="签署日期", widget=DATE)


class CloseInquiryForm(forms.Form):
    outcome = forms.ChoiceField(
        label="处理结果", choices=InquiryOutcome.choices, widget=forms.Select(attrs=SELECT)
    )
    note = _text("处理说明", 5000, rows=2)


class NoticeForm(forms.Form):
    org_unit = _int("发布单位编号")
    kind = forms.ChoiceField(
        label="类型", choices=NoticeKind.choices[:2], widget=forms.Select(attrs=SELECT)
    )
    visibility = forms.ChoiceField(
        label="范围", choices=NoticeVisibility.choices, widget=forms.Select(attrs=SELECT)
    )
    title = _text("标题", 100)
    body = _text("通报正文（含姓名的原文，发布时按选择隐去）", 10_000, rows=8)
    redact_names = _text("隐去的姓名（每行一个）", 2000, required=False, rows=2)
    redact_terms = _text("隐去的其他内容（每行一个）", 2000, required=False, rows=2)
    targets = _text("通报范围：单位编号（逗号分隔，内部通报必填）", 500, required=False)
    case = _int("来源案件编号（反面典型必填）", required=False)

    def clean_targets(self) -> list[int]:
        raw = self.cleaned_data.get("targets") or ""
        parts = [p.strip() for p in raw.replace("，", ",").split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError("单位编号只能是数字，用逗号分隔")
        return [int(p) for p in parts]


class ReasonForm(forms.Form):
    reason = _text("理由", 2000, rows=2)


def lines(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in (text or "").splitlines() if x.strip())
