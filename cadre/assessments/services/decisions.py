"""Decision with its date, written notification, acknowledgement, review (复核).

Two officers deciding the same cadre at once: the first wins, the second is refused (row
lock plus a version check on the participant, and a one-to-one decision row as backstop).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.assessments import rules
from cadre.assessments.models import Decision, Participant, ReviewRequest, ReviewStatus
from cadre.assessments.services.common import (
    AssessmentError,
    ConflictError,
    clean_text,
    refuse_if,
)
from cadre.assessments.services.compile import check_one
from cadre.assessments.services.cycles import _bump, require_phase
from cadre.assessments.services.proposals import check_quota_for, enforce_excellent
from cadre.audit.services import record_event

DECIDED_ALREADY = "该干部的考核等次已经确定（可能已由其他人员同时确定），本次操作未生效"


@dataclass(frozen=True)
class DecisionInput:
    grade: str | None  # None: 不定等次 (only where a rule makes the cadre ungraded)
    version: int
    note: str = ""
    decided_on: date | None = None


def _consequences(
    grade: str | None, facts: rules.CadreFacts, protected: bool
) -> list[dict[str, str]]:
    f = rules.CadreFacts(**{**facts.__dict__, "protected_from_dismissal": protected})
    return [
        {"kind": c.kind, "text": c.text, "source": c.source} for c in rules.consequences(grade, f)
    ]


@transaction.atomic
def decide(*, participant: Participant, by: Any, data: DecisionInput) -> Decision:
    require_phase(participant.cycle, rules.DECISION, doing="确定考核等次")
    locked = (
        Participant.objects.select_for_update()
        .select_related("cycle", "quota_unit")
        .get(pk=participant.pk)
    )
    if Decision.objects.filter(participant=locked).exists():
        raise ConflictError(DECIDED_ALREADY)
    if locked.version != data.version:
        raise ConflictError(
            DECIDED_ALREADY
            if locked.stage == "decided"
            else "该干部的等次建议已被他人修改，请刷新页面后重试"
        )
    if not locked.proposed:
        raise AssessmentError("该干部尚未提出等次建议", "公务员法 第三十七条")
    note = clean_text(data.note, "决定说明", max_len=2000, required=False)
    refuse_if(rules.check_decision(data.grade, locked.proposed_grade or None, note))
    enforce_excellent(locked, data.grade, by)
    checked = check_one(locked)
    v = rules.check_proposal(
        data.grade,
        checked.facts,
        ungraded=checked.ungraded,
        blocks=checked.blocks,
        evaluation_text=locked.evaluation_text,
    )
    refuse_if(v)
    check_quota_for(locked, data.grade, decided=True)
    decided_on = data.decided_on or timezone.localdate()
    if decided_on > timezone.localdate():
        raise AssessmentError("决定日期不能晚于今天")
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                participant=locked,
                cadre_id=locked.cadre_id,
                year=locked.cycle.year,
                annual=locked.cycle.is_annual,
                grade=data.grade or "",
                final_grade=data.grade or "",
                ungraded_reason=checked.ungraded or "",
                note=note,
                decided_on=decided_on,
                decided_by=by,
                consequences=_consequences(
                    data.grade, checked.facts, locked.protected_from_dismissal
                ),
            )
    except IntegrityError as exc:
        raise ConflictError(DECIDED_ALREADY) from exc
    _bump(Participant, locked, {"stage": "decided"})
    record_event(
        actor=by,
        action="assessment_decide",
        obj=decision,
        detail={"grade": data.grade, "proposed": locked.proposed_grade or None},
    )
    return decision


@transaction.atomic
def notify(*, decision: Decision, by: Any, notified_on: date | None = None) -> Decision:
    """The written notification is served (公务员法 第三十八条)."""
    participant = decision.participant
    require_phase(participant.cycle, rules.DECISION, rules.REVIEW, doing="书面通知")
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.notified_on:
        raise AssessmentError("已经书面通知过本人")
    day = notified_on or timezone.localdate()
    if day < locked.decided_on or day > timezone.localdate():
        raise AssessmentError("通知日期须在决定日期之后且不晚于今天")
    locked.notified_on, locked.notified_by = day, by
    locked.save(update_fields=["notified_on", "notified_by", "updated_at"])
    Participant.objects.filter(pk=participant.pk).update(stage="notified")
    record_event(actor=by, action="assessment_notify", obj=locked)
    return locked


@transaction.atomic
def acknowledge(
    *, decision: Decision, by: Any, text: str = "", waive_review: bool = False
) -> Decision:
    """The cadre signs for the written result (本人签收), with an optional opinion."""
    if by.cadre_id != decision.cadre_id:
        raise AssessmentError("只能由干部本人签收", "公务员法 第三十八条")
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if not locked.notified_on:
        raise AssessmentError("考核结果尚未书面通知，不能签收")
    if locked.acknowledged_at:
        raise AssessmentError("已经签收过")
    locked.acknowledged_at = timezone.now()
    locked.acknowledgement_text = clean_text(text, "本人意见", max_len=500, required=False)
    locked.review_waived = waive_review and not hasattr(locked, "review")
    locked.save(
        update_fields=["acknowledged_at", "acknowledgement_text", "review_waived", "updated_at"]
    )
    Participant.objects.filter(pk=locked.participant_id, stage="notified").update(
        stage="acknowledged"
    )
    record_event(
        actor=by,
        action="assessment_acknowledge",
        obj=locked,
        detail={"waive_review": locked.review_waived},
    )
    return locked


@transaction.atomic
def request_review(*, decision: Decision, by: Any, reason: str) -> ReviewRequest:
    """Once, with a reason, within 30 days of the notification (公务员法 第九十五条)."""
    if by.cadre_id != decision.cadre_id:
        raise AssessmentError("复核只能由干部本人申请", "公务员法 第九十五条")
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    today = timezone.localdate()
    already = ReviewRequest.objects.filter(decision=locked).exists()
    refuse_if(rules.check_review_request(today, locked.notified_on, already, reason or ""))
    try:
        with transaction.atomic():
            review = ReviewRequest.objects.create(
                decision=locked,
                reason=clean_text(reason, "申请理由"),
                requested_on=today,
                decide_by=today + timedelta(days=rules.REVIEW_DECISION_DAYS),
            )
    except IntegrityError as exc:
        raise AssessmentError(
            "每次考核结果只能申请一次复核，已提出过复核申请", "公务员法 第九十五条"
        ) from exc
    if locked.review_waived:
        locked.review_waived = False
        locked.save(update_fields=["review_waived", "updated_at"])
    Participant.objects.filter(pk=locked.participant_id).update(stage="review_requested")
    record_event(actor=by, action="assessment_review_request", obj=review)
    return review


@transaction.atomic
def decide_review(
    *, review: ReviewRequest, by: Any, outcome: str, text: str, new_grade: str | None, version: int
) -> ReviewRequest:
    locked = (
        ReviewRequest.objects.select_for_update()
        .select_related("decision__participant__cycle")
        .get(pk=review.pk)
    )
    if locked.status != ReviewStatus.PENDING or locked.version != version:
        raise ConflictError("该复核申请已由他人作出决定，本次操作未生效")
    if outcome not in (ReviewStatus.UPHELD, ReviewStatus.CHANGED):
        raise AssessmentError("复核结论须为维持或变更")
    decision = locked.decision
    body = clean_text(text, "复核决定")
    if outcome == ReviewStatus.CHANGED:
        if new_grade not in rules.GRADES or new_grade == (decision.final_grade or None):
            raise AssessmentError("变更等次须选择一个与原等次不同的等次", "公务员法 第九十六条")
        enforce_excellent(decision.participant, new_grade, by)
        checked = check_one(decision.participant)
        refuse_if(
            rules.check_proposal(
                new_grade,
                checked.facts,
                ungraded=checked.ungraded,
                blocks=checked.blocks,
                evaluation_text=body,
            )
        )
        check_quota_for(decision.participant, new_grade, decided=True)
        decision.final_grade = new_grade
        decision.consequences = _consequences(
            new_grade, checked.facts, decision.participant.protected_from_dismissal
        )
        decision.save(update_fields=["final_grade", "consequences", "updated_at"])
    locked.status, locked.decision_text = outcome, body
    locked.new_grade = new_grade if outcome == ReviewStatus.CHANGED else ""
    locked.decided_on, locked.decided_by = timezone.localdate(), by
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "decision_text",
            "new_grade",
            "decided_on",
            "decided_by",
            "version",
            "updated_at",
        ]
    )
    Participant.objects.filter(pk=decision.participant_id).update(stage="reviewed")
    record_event(
        actor=by,
        action="assessment_review_decide",
        obj=locked,
        detail={"outcome": outcome, "new_grade": new_grade},
    )
    return locked
