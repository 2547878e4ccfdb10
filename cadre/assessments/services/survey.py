"""Satisfaction evaluation of units (满意不满意单位评议, the Hangzhou model, DOMAIN.md 9).

A survey per year over a set of units; rater tiers with quotas; one-time token links for
outside raters; three dimensions rated 1-5 with free comments; results per unit and tier; a
pass line and veto items as settings; every comment routed to its unit for a written answer
and rectification, followed until closed; a published summary report.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from cadre.assessments import rules, tokens
from cadre.assessments.models import (
    CommentStatus,
    Survey,
    SurveyComment,
    SurveyResponse,
    SurveyStatus,
    SurveyTier,
    SurveyToken,
    SurveyUnit,
)
from cadre.assessments.services.common import (
    AssessmentError,
    ConflictError,
    clean_text,
    refuse_if,
)
from cadre.audit.services import record_event
from cadre.core.rulebook import rule_value
from cadre.orgs.models import OrgUnit

TOKEN_RULE = "一次性评议链接：每个链接只能提交一次，链接与评议人不建立任何关联"  # noqa: S105 (a message)
BAD_TOKEN = "评议链接（凭证）无效"  # noqa: S105 (a message)
USED_TOKEN = "该评议链接已经使用过，不能重复提交"  # noqa: S105 (a message)
MAX_TOKENS = 1000
MAX_COMMENT = 1000


@transaction.atomic
def create_survey(
    *,
    by: Any,
    year: int,
    title: str,
    scope_unit: OrgUnit,
    opens_on: date,
    closes_on: date,
    units: Iterable[OrgUnit],
    tier_quota: int = 20,
) -> Survey:
    units = list(units)
    if closes_on < opens_on:
        raise AssessmentError("评议结束日期早于开始日期")
    if not units:
        raise AssessmentError("请至少选择一个被评议单位")
    outside = [u.name for u in units if not u.path.startswith(scope_unit.path)]
    if outside:
        raise AssessmentError(f"被评议单位不在组织单位范围内：{'、'.join(outside[:5])}")
    if not 1 <= tier_quota <= 100_000:
        raise AssessmentError("每个层面的名额须在1至100000之间")
    survey = Survey.objects.create(
        year=year,
        scope_unit=scope_unit,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
        title=clean_text(title, "名称", max_len=100, required=False)
        or f"{scope_unit.name}{year}年度满意不满意单位评议",
    )
    SurveyUnit.objects.bulk_create([SurveyUnit(survey=survey, org_unit=u) for u in units])
    SurveyTier.objects.bulk_create(
        [
            SurveyTier(survey=survey, name=name, quota=tier_quota)
            for name in rule_value(rules.SURVEY_TIERS.key)
        ]
    )
    record_event(
        actor=by, action="assessment_survey_create", obj=survey, detail={"units": len(units)}
    )
    return survey


@transaction.atomic
def set_tier(*, tier: SurveyTier, by: Any, quota: int, weight: Decimal) -> SurveyTier:
    issued = SurveyToken.objects.filter(tier=tier).count()
    if quota < issued:
        raise AssessmentError(f"“{tier.name}”已发放{issued}个链接，名额不能少于已发放数")
    if not Decimal("0") < weight <= Decimal("100"):
        raise AssessmentError("权重须大于0且不超过100")
    tier.quota, tier.weight = quota, weight
    tier.save(update_fields=["quota", "weight", "updated_at"])
    record_event(
        actor=by,
        action="assessment_survey_tier",
        obj=tier,
        detail={"quota": quota, "weight": str(weight)},
    )
    return tier


def _lock(survey: Survey, version: int | None) -> Survey:
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if version is not None and locked.version != version:
        raise ConflictError("评议已被他人更新，请刷新页面后重试")
    return locked


SURVEY_TRANSITIONS: dict[str, str] = {
    SurveyStatus.DRAFT: SurveyStatus.OPEN,
    SurveyStatus.OPEN: SurveyStatus.CLOSED,
}


@transaction.atomic
def move_survey(*, survey: Survey, by: Any, target: str, version: int | None = None) -> Survey:
    locked = _lock(survey, version)
    if SURVEY_TRANSITIONS.get(locked.status) != target:
        raise AssessmentError(
            f"评议状态不能从“{locked.get_status_display()}”变为“{SurveyStatus(target).label}”"
        )
    locked.status = target
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    record_event(actor=by, action="assessment_survey_status", obj=locked, detail={"status": target})
    return locked


@transaction.atomic
def issue_links(*, survey: Survey, tier: SurveyTier, by: Any, count: int) -> list[str]:
    """One-time tokens for outside raters of a tier, within its quota; returned once."""
    if survey.status not in (SurveyStatus.DRAFT, SurveyStatus.OPEN):
        raise AssessmentError("评议已结束，不能再发放评议链接")
    if count > MAX_TOKENS:
        raise AssessmentError(f"每次最多发放{MAX_TOKENS}个链接")
    tier = SurveyTier.objects.select_for_update().get(pk=tier.pk, survey=survey)
    issued = SurveyToken.objects.filter(tier=tier).count()
    refuse_if(rules.check_tier_quota(issued, count, tier.quota, tier.name))
    new = [tokens.new_token() for _ in range(count)]
    SurveyToken.objects.bulk_create(
        [SurveyToken(survey=survey, tier=tier, token_hash=tokens.token_hash(t)) for t in new]
    )
    record_event(
        actor=by,
        action="assessment_survey_links",
        obj=survey,
        detail={"tier": tier.name, "count": count},
    )
    return new


@transaction.atomic
def set_veto(*, unit: SurveyUnit, by: Any, item: str, note: str) -> SurveyUnit:
    items = rule_value(rules.SURVEY_VETO_ITEMS.key)
    if item and item not in items:
        raise AssessmentError(
            "一票否决事项须从规则设置的事项中选择", "规则设置 assessments.survey_veto_items"
        )
    unit.veto_item = item
    unit.veto_note = clean_text(note, "否决依据", max_len=200, required=bool(item))
    unit.save(update_fields=["veto_item", "veto_note", "updated_at"])
    record_event(actor=by, action="assessment_survey_veto", obj=unit, detail={"item": item})
    return unit


# ---- answering with a token (public) ---------------------------------------------------


def token_survey(token: str) -> tuple[SurveyToken, Survey]:
    row = (
        SurveyToken.objects.select_related("survey", "tier")
        .filter(token_hash=tokens.token_hash(token))
        .first()
        if tokens.well_formed(token)
        else None
    )
    if row is None:
        raise AssessmentError(BAD_TOKEN, TOKEN_RULE)
    if row.used:
        raise AssessmentError(USED_TOKEN, TOKEN_RULE)
    return row, row.survey


def _check_open(survey: Survey, today: date) -> None:
    if survey.status != SurveyStatus.OPEN or not survey.opens_on <= today <= survey.closes_on:
        raise AssessmentError(
            f"不在评议时间内（评议时间为{survey.opens_on:%Y-%m-%d}至{survey.closes_on:%Y-%m-%d}）",
            "满意度评议须在规定时间内进行",
        )


@dataclass(frozen=True)
class Answer:
    ratings: dict[str, int]
    comment: str = ""


@transaction.atomic
def submit_answers(*, token: str, answers: Mapping[int, Answer]) -> int:
    """One rater's answers (survey unit id → ratings and comment). Nothing about the rater
    is kept: the token is only marked used; responses and comments carry no reference."""
    if not tokens.well_formed(token):
        raise AssessmentError(BAD_TOKEN, TOKEN_RULE)
    row = (
        SurveyToken.objects.select_for_update()
        .select_related("survey", "tier")
        .filter(token_hash=tokens.token_hash(token))
        .first()
    )
    if row is None:
        raise AssessmentError(BAD_TOKEN, TOKEN_RULE)
    if row.used:
        raise AssessmentError(USED_TOKEN, TOKEN_RULE)
    survey, today = row.survey, timezone.localdate()
    _check_open(survey, today)
    if not answers:
        raise AssessmentError("请至少对一个单位作出评价（不了解的单位可以不评）")
    units = set(SurveyUnit.objects.filter(survey=survey).values_list("id", flat=True))
    if set(answers) - units:
        raise AssessmentError("评价的单位不在本次评议名单中")
    for answer in answers.values():
        refuse_if(rules.check_ratings(answer.ratings))
        if len(answer.comment) > MAX_COMMENT:
            raise AssessmentError(f"意见建议不能超过{MAX_COMMENT}个字符")
    if SurveyToken.objects.filter(pk=row.pk, used=False).update(used=True) != 1:
        raise AssessmentError(USED_TOKEN, TOKEN_RULE)
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                survey=survey,
                tier=row.tier,
                survey_unit_id=uid,
                submitted_on=today,
                **{k: a.ratings[k] for k in rules.SURVEY_DIMENSIONS},
            )
            for uid, a in sorted(answers.items())
        ]
    )
    comments = [
        SurveyComment(
            survey=survey,
            survey_unit_id=uid,
            tier_name=row.tier.name,
            text=a.comment.replace("\x00", "").strip(),
            submitted_on=today,
        )
        for uid, a in sorted(answers.items())
        if a.comment.strip()
    ]
    SurveyComment.objects.bulk_create(comments)
    record_event(
        actor=None,
        action="assessment_survey_answer",
        obj=survey,
        detail={"units": len(answers), "comments": len(comments)},
    )
    return len(answers)


# ---- comments: answer, rectify, close --------------------------------------------------


def _move_comment(comment: SurveyComment, target: str, version: int) -> SurveyComment:
    locked = SurveyComment.objects.select_for_update().get(pk=comment.pk)
    if locked.version != version:
        raise ConflictError("该意见已被他人处理，请刷新页面后查看")
    refuse_if(rules.check_comment_move(locked.status, target))
    return locked


def _save_comment(c: SurveyComment, fields: list[str], by: Any, action: str) -> SurveyComment:
    c.version += 1
    c.save(update_fields=[*fields, "status", "version", "updated_at"])
    record_event(actor=by, action=action, obj=c, detail={"status": c.status})
    return c


@transaction.atomic
def respond_comment(*, comment: SurveyComment, by: Any, text: str, version: int) -> SurveyComment:
    c = _move_comment(comment, CommentStatus.RESPONDED, version)
    c.response_text = clean_text(text, "书面答复")
    c.responded_by, c.responded_on, c.status = by, timezone.localdate(), CommentStatus.RESPONDED
    return _save_comment(
        c, ["response_text", "responded_by", "responded_on"], by, "assessment_comment_respond"
    )


@transaction.atomic
def rectify_comment(*, comment: SurveyComment, by: Any, text: str, version: int) -> SurveyComment:
    c = _move_comment(comment, CommentStatus.RECTIFIED, version)
    c.rectification_text = clean_text(text, "整改情况")
    c.rectified_on, c.status = timezone.localdate(), CommentStatus.RECTIFIED
    return _save_comment(
        c, ["rectification_text", "rectified_on"], by, "assessment_comment_rectify"
    )


@transaction.atomic
def close_comment(*, comment: SurveyComment, by: Any, version: int) -> SurveyComment:
    c = _move_comment(comment, CommentStatus.CLOSED, version)
    c.closed_by, c.closed_on, c.status = by, timezone.localdate(), CommentStatus.CLOSED
    return _save_comment(c, ["closed_by", "closed_on"], by, "assessment_comment_close")


# ---- results and the report ------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    survey_unit_id: int
    org_unit_id: int
    name: str
    result: rules.UnitSurveyResult
    veto_item: str
    comments: int
    comments_closed: int


def results(survey: Survey) -> list[UnitRow]:
    """Per unit (in the unit tree's order, never sorted by score) with tier results."""
    k = int(rule_value(rules.K_ANONYMITY.key))
    pass_line = Decimal(str(rule_value(rules.SURVEY_PASS_LINE.key)))
    tiers = {t.id: t for t in SurveyTier.objects.filter(survey=survey)}
    weights = {t.name: t.weight for t in tiers.values()}
    rows: dict[int, dict[str, list[dict[str, int]]]] = defaultdict(lambda: defaultdict(list))
    dims = list(rules.SURVEY_DIMENSIONS)
    for su, tier_id, *values in (
        SurveyResponse.objects.filter(survey=survey)
        .values_list("survey_unit_id", "tier_id", *dims)
        .iterator(chunk_size=5000)
    ):
        rows[su][tiers[tier_id].name].append(dict(zip(dims, values, strict=True)))
    comments = dict(
        SurveyComment.objects.filter(survey=survey)
        .values_list("survey_unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    closed = dict(
        SurveyComment.objects.filter(survey=survey, status=CommentStatus.CLOSED)
        .values_list("survey_unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    out = []
    for su in (
        SurveyUnit.objects.filter(survey=survey)
        .select_related("org_unit")
        .order_by("org_unit__path")
    ):
        result = rules.unit_survey_result(
            rows.get(su.id, {}), weights, pass_line=pass_line, vetoed=bool(su.veto_item), k=k
        )
        out.append(
            UnitRow(
                su.id,
                su.org_unit_id,
                su.org_unit.name,
                result,
                su.veto_item,
                comments.get(su.id, 0),
                closed.get(su.id, 0),
            )
        )
    return out


def unit_results_for_year(
    year: int, unit_ids: Iterable[int]
) -> dict[int, tuple[int, rules.UnitSurveyResult]]:
    """The latest closed or published survey result of each unit in the year (evidence for
    the unit's leaders)."""
    wanted = set(unit_ids)
    found: dict[int, tuple[int, rules.UnitSurveyResult]] = {}
    surveys = (
        Survey.objects.filter(
            year=year,
            status__in=[SurveyStatus.CLOSED, SurveyStatus.PUBLISHED],
            units__org_unit_id__in=wanted,
        )
        .distinct()
        .order_by("-closes_on", "-id")
    )
    for survey in surveys:
        for row in results(survey):
            if row.org_unit_id in wanted and row.org_unit_id not in found:
                found[row.org_unit_id] = (survey.pk, row.result)
    return found


def summary(survey: Survey, rows: list[UnitRow] | None = None) -> dict[str, Any]:
    rows = rows if rows is not None else results(survey)
    tokens_row = SurveyToken.objects.filter(survey=survey).aggregate(
        issued=Count("id"), used=Count("id", filter=Q(used=True))
    )
    responses = sum(r.result.responses for r in rows)
    rated = [
        (r.result.satisfaction_rate, r.result.responses)
        for r in rows
        if r.result.satisfaction_rate is not None
    ]
    overall = (
        (sum((rate * n for rate, n in rated), Decimal(0)) / sum(n for _, n in rated)).quantize(
            Decimal("0.1")
        )
        if rated
        else None
    )
    return {
        "links_issued": tokens_row["issued"],
        "raters": tokens_row["used"],
        "responses": responses,
        "overall_rate": str(overall) if overall is not None else None,
        "comments": sum(r.comments for r in rows),
        "comments_closed": sum(r.comments_closed for r in rows),
        "units": [
            {
                "name": r.name,
                "score": str(r.result.score) if r.result.score else None,
                "rate": str(r.result.satisfaction_rate or ""),
                "verdict": r.result.verdict_label,
                "responses": r.result.responses,
                "comments": r.comments,
                "comments_closed": r.comments_closed,
            }
            for r in rows
        ],
    }


@transaction.atomic
def publish_report(*, survey: Survey, by: Any, text: str, version: int | None = None) -> Survey:
    locked = _lock(survey, version)
    if locked.status != SurveyStatus.CLOSED:
        raise AssessmentError("评议结束后才能发布社会评价意见报告")
    locked.report = summary(locked)
    locked.report_text = clean_text(text, "报告正文", max_len=50_000)
    locked.status, locked.published_at = SurveyStatus.PUBLISHED, timezone.now()
    locked.version += 1
    locked.save(
        update_fields=["report", "report_text", "status", "published_at", "version", "updated_at"]
    )
    record_event(actor=by, action="assessment_survey_publish", obj=locked)
    return locked


def published_survey(pk: int) -> Survey | None:
    """A survey whose summary report has been published (the public may read it)."""
    return Survey.objects.filter(pk=pk, status=SurveyStatus.PUBLISHED).first()
