from decimal import Decimal

from django import forms

from cadre.care.models import DifficultySource, MeetingKind, TalkKind, VisitOccasion
from cadre.development.forms import DATE, Bootstrap

TEXT = forms.Textarea(attrs={"rows": 3})


class TalkForm(Bootstrap):
    talker = forms.IntegerField(label="谈话人（干部编号）", min_value=1)
    talkee = forms.IntegerField(label="谈话对象（干部编号）", min_value=1)
    held_on = forms.DateField(label="谈话日期", widget=DATE)
    kind = forms.ChoiceField(label="谈话类型", choices=TalkKind.choices)
    summary = forms.CharField(label="谈话摘要（保密）", widget=TEXT)
    issues_raised = forms.CharField(label="反映的问题", required=False, widget=TEXT)
    follow_up = forms.CharField(label="跟进措施", required=False, widget=TEXT)
    trigger = forms.CharField(label="触发事项", required=False, max_length=100)


class FollowUpDoneForm(Bootstrap):
    done_on = forms.DateField(label="办结日期", widget=DATE)
    note = forms.CharField(label="办结情况", required=False, max_length=500)


class OversightForm(Bootstrap):
    leader = forms.IntegerField(label="分管领导（干部编号）", min_value=1)
    unit = forms.IntegerField(label="分管单位编号", min_value=1)
    started_on = forms.DateField(label="起始日期", widget=DATE)


class VisitForm(Bootstrap):
    cadre = forms.IntegerField(label="走访对象（干部编号）", min_value=1)
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    occasion = forms.ChoiceField(label="事由", choices=VisitOccasion.choices)
    visitors = forms.CharField(label="走访人员", max_length=200)
    notes = forms.CharField(label="情况记录", required=False, widget=TEXT)


class DifficultyForm(Bootstrap):
    cadre = forms.IntegerField(label="干部编号", min_value=1)
    source = forms.ChoiceField(
        label="来源", choices=[c for c in DifficultySource.choices if c[0] != "self"]
    )
    talk = forms.IntegerField(label="来源谈话编号（如有）", min_value=1, required=False)
    category = forms.CharField(label="类别（如：住房、子女就学、身体健康）", max_length=30)
    description = forms.CharField(label="困难情况", widget=TEXT)


class MyDifficultyForm(Bootstrap):
    category = forms.CharField(label="类别（如：住房、子女就学、身体健康）", max_length=30)
    description = forms.CharField(label="困难情况", widget=TEXT)


class DifficultyMoveForm(Bootstrap):
    status = forms.ChoiceField(
        label="办理",
        choices=[("assigned", "分派/改派"), ("resolved", "已解决"), ("closed", "无法解决并已说明")],
    )
    assignee = forms.CharField(label="承办人/单位", required=False, max_length=100)
    due_on = forms.DateField(label="办理期限", required=False, widget=DATE)
    resolution = forms.CharField(label="办理结果", required=False, widget=TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput)


class HonourKindForm(Bootstrap):
    name = forms.CharField(label="荣誉名称", max_length=50)
    level = forms.CharField(label="授予层级", max_length=20, required=False)


class ExemplarForm(Bootstrap):
    cadre = forms.IntegerField(label="干部编号", min_value=1)
    kind = forms.ChoiceField(label="荣誉")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    awarded_on = forms.DateField(label="授予日期", widget=DATE)
    citation = forms.CharField(label="先进事迹", widget=TEXT)
    publicity = forms.CharField(label="宣传情况", required=False, widget=TEXT)
    notice_ref = forms.CharField(label="关联通报（通报编号）", required=False, max_length=100)

    def __init__(self, *args: object, kinds: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(str(i), n) for i, n in kinds]  # type: ignore[attr-defined]


class PromoteForm(Bootstrap):
    to_rank = forms.CharField(max_length=30, widget=forms.HiddenInput)
    effective_on = forms.DateField(label="晋升日期", widget=DATE)
    basis = forms.CharField(label="依据（会议研究决定）", max_length=200)


class MeetingForm(Bootstrap):
    title = forms.CharField(label="会议名称", max_length=100)
    kind = forms.ChoiceField(label="会议形式", choices=MeetingKind.choices)
    held_on = forms.DateField(label="召开日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100)
    theme = forms.CharField(label="主题", max_length=200, required=False)
    org_unit = forms.IntegerField(label="组织单位编号", min_value=1)


class PresentationForm(Bootstrap):
    unit = forms.IntegerField(label="展示单位编号", min_value=1)
    materials = forms.CharField(label="交流材料", widget=TEXT)
    results = forms.CharField(label="工作成效", required=False, widget=TEXT)


class CommentForm(Bootstrap):
    commenter_unit = forms.IntegerField(label="点评单位编号", min_value=1)
    comment = forms.CharField(label="点评意见", widget=TEXT)
    score = forms.DecimalField(
        label="评分(0-100)", min_value=Decimal(0), max_value=Decimal(100), decimal_places=1
    )
