"""Comprehensive evaluation and grade proposal per unit, with the quota enforced.

The unit proposes a grade with a written 综合评价意见 (required) and, where votes fell for a
cadre who enforced the rules, a 主持公道 note; a proposal that breaks a rule is refused with
the rule and its source named, and nothing is written.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.accounts.models import User
from cadre.assessments import rules
from cadre.assessments.models import Cycle, Participant, QuotaApproval
from cadre.assessments.services.common import AssessmentError, ConflictError, clean_text
from cadre.assessments.services.compile import check_one, decision_day
from cadre.assessments.services.cycles import _bump, require_phase
from cadre.audit.services import record_event
from cadre.cadres import decisions
from cadre.core.rulebook import rule_value
from cadre.orgs.models import OrgUnit


@dataclass(frozen=True)
class QuotaStatus:
    unit: OrgUnit
    participants: int
    excellent: int
    limit: int
    ratio: Decimal
    approval: QuotaApproval | None

    @property
    def over(self) -> bool:
        return self.excellent > self.limit

    @property
    def left(self) -> int:
        return max(self.limit - self.excellent, 0)


def _ratio(cycle: Cycle, unit_id: int) -> tuple[Decimal, QuotaApproval | None]:
    approval = QuotaApproval.objects.filter(cycle=cycle, org_unit_id=unit_id).first()
    if approval is not None:
        return approval.ratio, approval
    return Decimal(str(rule_value(rules.EXCELLENT_QUOTA.key))), None


def quota_status(cycle: Cycle, unit: OrgUnit, *, decided: bool = False) -> QuotaStatus:
    members = Participant.objects.filter(cycle=cycle, quota_unit=unit)
    field = "decision__final_grade" if decided else "proposed_grade"
    excellent = members.filter(**{field: rules.EXCELLENT}).count()
    ratio, approval = _ratio(cycle, unit.pk)
    n = members.count()
    return QuotaStatus(unit, n, excellent, rules.excellent_quota(n, ratio), ratio, approval)


def check_quota_for(participant: Participant, grade: str | None, *, decided: bool = False) -> None:
    """Refuses a grade that would put the quota unit over its 优秀 limit (locks the unit's
    rows on PostgreSQL so that two proposals cannot both take the last place)."""
    if grade != rules.EXCELLENT:
        return
    field = "decision__final_grade" if decided else "proposed_grade"
    members = Participant.objects.select_for_update(of=("self",)).filter(
        cycle_id=participant.cycle_id, quota_unit_id=participant.quota_unit_id
    )
    rows = dict(members.values_list("id", field))
    rows = {pid: (g or "") for pid, g in rows.items()}
    rows[participant.pk] = rules.EXCELLENT
    ratio, approval = _ratio(participant.cycle, participant.quota_unit_id)
    base = Decimal(str(rule_value(rules.EXCELLENT_QUOTA.key)))
    v = rules.check_quota(rows, len(rows), base, raised=approval is not None, raised_ratio=ratio)
    if v is not None:
        hint = "" if approval else "；如因完成重大任务等特殊情况需提高比例，须先登记批准文件"
        raise AssessmentError(f"{participant.quota_unit.name}{v.rule}{hint}", v.source)


def enforce_excellent(participant: Participant, grade: str | None, by: User) -> None:
    """优秀 asks the eligibility gate first (cadre.cadres.decisions, issue 11), on the cycle's
    decision day (its year's last day): a blocked cadre is refused with every reason
    (`Ineligible`, 409) and nothing is written. Other grades pass."""
    if grade == rules.EXCELLENT:
        decisions.enforce(
            [participant.cadre_id],
            decision_day(participant.cycle),
            [decisions.Decision.EXCELLENT],
            by=by,
        )


@dataclass(frozen=True)
class ProposalInput:
    grade: str | None  # None: 不定等次
    evaluation_text: str
    justice_note: str = ""
    version: int | None = None


@transaction.atomic
def propose(*, participant: Participant, by: Any, data: ProposalInput) -> Participant:
    cycle = participant.cycle
    require_phase(cycle, rules.PROPOSAL, doing="提出等次建议")
    if by.cadre_id and by.cadre_id == participant.cadre_id:
        raise AssessmentError("不能为本人提出考核等次建议", "回避原则（公务员法 第三十七条）")
    if data.grade is not None and data.grade not in rules.GRADES:
        raise AssessmentError("等次只能是优秀、称职、基本称职或不称职", "公务员法 第三十八条")
    locked = (
        Participant.objects.select_for_update()
        .select_related("cycle", "quota_unit")
        .get(pk=participant.pk)
    )
    if data.version is not None and locked.version != data.version:
        raise ConflictError("该干部的等次建议已被他人修改，请刷新页面后重试")
    text = clean_text(data.evaluation_text, "综合评价意见", max_len=5000, required=False)
    note = clean_text(data.justice_note, "主持公道说明", max_len=5000, required=False)
    enforce_excellent(locked, data.grade, by)
    checked = check_one(locked)
    v = rules.check_proposal(
        data.grade,
        checked.facts,
        ungraded=checked.ungraded,
        blocks=checked.blocks,
        evaluation_text=text,
    )
    v = v or rules.check_justice(
        data.grade, checked.view, Decimal(str(rule_value(rules.VOTE_CONCERN_RATIO.key))), note
    )
    if v is not None:
        raise AssessmentError.of(v)
    check_quota_for(locked, data.grade)
    _bump(
        Participant,
        locked,
        {
            "proposed_grade": data.grade or "",
            "ungraded_reason": checked.ungraded or "",
            "evaluation_text": text,
            "justice_note": note,
            "proposed_by": by,
            "proposed_at": timezone.now(),
            "stage": rules.later_stage(locked.stage, "proposed"),
        },
    )
    record_event(
        actor=by,
        action="assessment_propose",
        obj=locked,
        detail={"grade": data.grade, "ungraded": checked.ungraded, "justice_note": bool(note)},
    )
    return locked


@transaction.atomic
def approve_quota(
    *,
    cycle: Cycle,
    unit: OrgUnit,
    by: Any,
    ratio: Decimal,
    reason: str,
    document: str,
    approved_on: date,
) -> QuotaApproval:
    """Records the approval that raises a unit's 优秀 ratio (at most the raised setting)."""
    cap = Decimal(str(rule_value(rules.EXCELLENT_QUOTA_RAISED.key)))
    base = Decimal(str(rule_value(rules.EXCELLENT_QUOTA.key)))
    if not base < ratio <= cap:
        raise AssessmentError(
            f"提高后的优秀比例须大于{base * 100:.0f}%且不超过{cap * 100:.0f}%",
            "公务员考核规定(2020)：经批准最高25%；"
            "规则设置 assessments.excellent_quota_ratio_raised",
        )
    if approved_on > timezone.localdate():
        raise AssessmentError("批准日期不能晚于今天")
    if QuotaApproval.objects.filter(cycle=cycle, org_unit=unit).exists():
        raise AssessmentError(f"{unit.name}在本周期已登记过提高比例的批准")
    row = QuotaApproval.objects.create(
        cycle=cycle,
        org_unit=unit,
        ratio=ratio,
        approved_on=approved_on,
        recorded_by=by,
        reason=clean_text(reason, "理由"),
        approval_document=clean_text(document, "批准文件", max_len=100),
    )
    record_event(
        actor=by,
        action="assessment_quota_approval",
        obj=row,
        detail={"ratio": str(ratio), "document": row.approval_document},
    )
    return row
