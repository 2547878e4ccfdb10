"""The one eligibility answer, and the gate every decision passes (issue 11).

This module is the provider of `cadres.eligibility` (cadre/cadres/decisions.py):

    answers(cadre_ids, on, position_id=None) -> {cadre: Answer}   live, for the day asked
    enforce(cadre_ids, on, decisions, *, by, position_id=None, override_id=None)

and of the older `assessments.eligibility` contract, which gets the
same answer as JSON. Overrides (破格, 选拔任用条例 第八条) are requested with a written reason,
approved by a second person, used once, and audited at every step.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.accounts.models import User
from cadre.audit.services import record_event
from cadre.cadres.decisions import Answer, Block, Decision, Ineligible
from cadre.cadres.models import Cadre, CadreStatus
from cadre.core.errors import Refused
from cadre.core.types import AnyUser
from cadre.eligibility import rules, selectors
from cadre.eligibility.models import (
    Override,
    OverrideStatus,
    Unsuitability,
    UnsuitabilityStatus,
)
from cadre.orgs.models import Position

# 破格 (第八条) is an exception to the qualifications for a promotion, nothing else.
OVERRIDABLE_DECISIONS = frozenset({Decision.PROMOTION.value})


class EligibilityError(Refused):
    """A refused request about eligibility (an override, a query); the message is Chinese."""


def answers(
    cadre_ids: Sequence[int], on: date, position_id: int | None = None
) -> dict[int, Answer]:
    found = selectors.facts(cadre_ids, on, position_id)
    conf = selectors.settings()
    target = selectors.target_of(position_id) if position_id is not None else None
    return {cid: rules.decide(cid, f, on, conf, target) for cid, f in found.items()}


def answers_json(cadre_ids: Sequence[int], on: date) -> dict[int, dict[str, Any]]:
    """The same answer for the contracts that read JSON (assessments, development)."""
    return {cid: a.as_json() for cid, a in answers(list(cadre_ids), on).items()}


def enforce(
    cadre_ids: Sequence[int],
    on: date,
    decisions: Sequence[str],
    *,
    by: "AnyUser | None",
    position_id: int | None = None,
    override_id: int | None = None,
) -> None:
    """Refuses with every reason if a cadre is blocked for one of `decisions` on `on`.

    An approved override for the cadre, the decision and the post lifts the blocks the
    rules let be passed over (the 第七条 qualifications) and is then used up."""
    found = answers(cadre_ids, on, position_id)
    override = _usable_override(override_id, cadre_ids, decisions, position_id)
    refusals = []
    names = dict(Cadre.objects.filter(pk__in=list(found)).values_list("id", "name"))
    for cid, answer in found.items():
        blocks = answer.blocks_for(decisions)
        if override is not None and override.cadre_id == cid:
            blocks = rules.uncovered(blocks, override_allowed=True)
        if blocks:
            refusals.append((names.get(cid, str(cid)), blocks))
    if refusals:
        text = "；".join(
            rules.refusal_message(name, blocks, decisions) for name, blocks in refusals[:20]
        )
        if any(all(b.overridable for b in blocks) for _, blocks in refusals):
            text += "。仅资格条件不足的，可按第八条申请破格（须书面理由并经另一人审批）"
        raise Ineligible(text)
    if override is not None:
        override.status = OverrideStatus.USED
        override.used_at = timezone.now()
        override.save(update_fields=["status", "used_at", "updated_at"])
        record_event(actor=by, action="override_used", obj=override)


def _usable_override(
    override_id: int | None,
    cadre_ids: Sequence[int],
    decisions: Sequence[str],
    position_id: int | None,
) -> Override | None:
    if override_id is None:
        return None
    override = Override.objects.select_for_update().filter(pk=override_id).first()
    if override is None or override.cadre_id not in set(cadre_ids):
        raise EligibilityError("破格审批记录不存在或不属于该干部")
    if override.status != OverrideStatus.APPROVED:
        raise EligibilityError(f"破格审批尚未批准或已使用（{override.get_status_display()}）")
    if override.decision not in decisions:
        raise EligibilityError("破格审批的事项与本次决定不符")
    if override.position_id is not None and override.position_id != position_id:
        raise EligibilityError("破格审批的拟任职位与本次任职不符")
    return override


# ---- overrides (破格)


@transaction.atomic
def request_override(
    *,
    by: User,
    cadre: Cadre,
    decision: str,
    on: date,
    reason: str,
    position: Position | None = None,
) -> Override:
    """A request to pass over the qualification blocks of one decision, with the reason."""
    if not reason.strip():
        raise EligibilityError("请填写破格理由（第八条）")
    if decision not in OVERRIDABLE_DECISIONS:
        raise EligibilityError(
            "只有提拔可按选拔任用条例第八条破格；影响期、考核等次、立案等限制不能破格"
        )
    answer = answers([cadre.pk], on, position.pk if position else None)[cadre.pk]
    blocks = answer.blocks_for([decision])
    if not any(b.overridable for b in blocks):
        raise EligibilityError(f"{cadre.name}没有可以破格的资格条件限制")
    fixed = [b for b in blocks if not b.overridable]
    if fixed:
        raise EligibilityError("存在不能破格的限制：" + "；".join(b.text() for b in fixed))
    override = Override.objects.create(
        cadre=cadre,
        decision=decision,
        position=position,
        reason=reason.strip(),
        blocks=[_block_json(b) for b in blocks],
        requested_by=by,
    )
    record_event(actor=by, action="override_requested", obj=override)
    return override


@transaction.atomic
def approve_override(*, by: User, override: Override, approve: bool, note: str = "") -> Override:
    """A second person approves or rejects; the requester cannot approve their own."""
    locked = Override.objects.select_for_update().get(pk=override.pk)
    if locked.status != OverrideStatus.PENDING:
        raise EligibilityError(f"该申请已处理（{locked.get_status_display()}）")
    if locked.requested_by_id == by.pk:
        raise EligibilityError("破格须由申请人以外的另一人审批")
    if not approve and not note.strip():
        raise EligibilityError("不批准时请填写意见")
    locked.status = OverrideStatus.APPROVED if approve else OverrideStatus.REJECTED
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.approval_note = note.strip()[:300]
    locked.save(
        update_fields=["status", "approved_by", "approved_at", "approval_note", "updated_at"]
    )
    record_event(
        actor=by, action="override_approved" if approve else "override_rejected", obj=locked
    )
    return locked


def _block_json(b: Block) -> dict[str, Any]:
    return {
        "reason": b.reason,
        "source": b.source,
        "until": b.until.isoformat() if b.until else None,
        "overridable": b.overridable,
    }


# ---- 不适宜担任现职 (推进领导干部能上能下规定 2022; DOMAIN.md 2.6) -------------------------------

# The registry effect of each adjustment (cadres.services.change_post).
UNSUITABLE_EFFECTS = {
    "adjust": "reassign",
    "reassign": "reassign",
    "removal": "removal",
    "demotion": "demotion",
}
# 调整职务 and 改任 put the cadre in another post: it must be named.
NEEDS_NEW_POST = frozenset({"adjust", "reassign"})
FACTS_MAX = 10_000
NOTE_MAX = 5_000
REASON_MAX = 250


class UnsuitabilityError(EligibilityError):
    """A refused step of a 不适宜担任现职 determination; the message is Chinese."""


def _required(value: str, label: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise UnsuitabilityError(f"请填写{label}")
    if len(text) > limit:
        raise UnsuitabilityError(f"{label}不能超过{limit}字")
    return text


def _not_future(day: date, label: str) -> None:
    if day > timezone.localdate():
        raise UnsuitabilityError(f"{label}不能晚于今天")


def _locked_item(item: Unsuitability) -> Unsuitability:
    return Unsuitability.objects.select_for_update().select_related("cadre").get(pk=item.pk)


def _open_only(item: Unsuitability, step: str) -> None:
    if item.status != UnsuitabilityStatus.DETERMINED:
        raise UnsuitabilityError(f"该认定{item.get_status_display()}，不能{step}")


@transaction.atomic
def determine_unsuitable(
    *, by: User, cadre: Cadre, determined_on: date, grounds: Sequence[str], facts: str
) -> Unsuitability:
    """Records that the cadre is determined 不适宜担任现职 on the listed grounds (第五条 的
    情形). From that day the cadre is held (提拔、评优) until the adjustment is decided."""
    chosen = list(dict.fromkeys(g for g in grounds if g))
    if not chosen:
        raise UnsuitabilityError("请选择至少一项不适宜担任现职的情形")
    unknown = [g for g in chosen if g not in rules.UNSUITABLE_GROUNDS]
    if unknown:
        raise UnsuitabilityError(f"认定情形无效：{'、'.join(unknown)[:50]}")
    text = _required(facts, "主要事实", FACTS_MAX)
    _not_future(determined_on, "认定日期")
    locked = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if locked.status != CadreStatus.ACTIVE:
        raise UnsuitabilityError(
            f"{locked.name}已不在职（{locked.get_status_display()}），不能认定不适宜担任现职"
        )
    if determined_on < locked.birth_date:
        raise UnsuitabilityError("认定日期早于该干部的出生日期")
    open_item = (
        Unsuitability.objects.filter(cadre=locked, status=UnsuitabilityStatus.DETERMINED)
        .order_by("determined_on")
        .first()
    )
    if open_item is not None:
        raise UnsuitabilityError(
            f"{locked.name}已有一项待调整的不适宜担任现职认定（{open_item.determined_on:%Y-%m-%d}），"
            "请先作出调整决定或撤销该认定"
        )
    item = Unsuitability.objects.create(
        cadre=locked,
        determined_on=determined_on,
        grounds=chosen,
        facts=text,
        recorded_by=by,
    )
    record_event(
        actor=by,
        action="unsuitability_determined",
        obj=item,
        detail={"cadre": locked.pk, "grounds": chosen, "on": determined_on.isoformat()},
    )
    return item


@transaction.atomic
def record_talk(*, by: User, item: Unsuitability, talk_on: date, note: str) -> Unsuitability:
    """The talk with the cadre before the adjustment (能上能下规定: 调整前与本人谈话)."""
    locked = _locked_item(item)
    _open_only(locked, "登记谈话")
    if locked.talk_on is not None:
        raise UnsuitabilityError(f"谈话已于{locked.talk_on:%Y-%m-%d}登记")
    text = _required(note, "谈话情况", NOTE_MAX)
    if talk_on < locked.determined_on:
        raise UnsuitabilityError(f"谈话日期不能早于认定日期（{locked.determined_on:%Y-%m-%d}）")
    _not_future(talk_on, "谈话日期")
    locked.talk_on, locked.talk_note = talk_on, text
    locked.save(update_fields=["talk_on", "talk_note", "updated_at"])
    record_event(
        actor=by, action="unsuitability_talk", obj=locked, detail={"on": talk_on.isoformat()}
    )
    return locked


@transaction.atomic
def decide_unsuitable(
    *,
    by: User,
    item: Unsuitability,
    decision: str,
    decided_on: date,
    effective_on: date,
    basis: str,
    to_position: Position | None = None,
    to_rank: str = "",
) -> Unsuitability:
    """The adjustment (调整职务/改任/免职/降职) and, in the same transaction, its effect on the
    registry (cadres.services.change_post): the old post ends on `effective_on`, the new one
    starts that day, a 降职 lowers the rank. Refused before the talk is recorded."""
    from cadre.cadres.services import change_post

    locked = _locked_item(item)
    _open_only(locked, "作出调整决定")
    if decision not in rules.UNSUITABLE_DECISIONS:
        raise UnsuitabilityError("请选择调整方式：调整职务、改任其他职务、免职或降职")
    if locked.talk_on is None:
        raise UnsuitabilityError(
            "作出调整决定前应当与本人谈话，请先登记谈话情况", rules.UNSUITABLE_SOURCE
        )
    if decided_on < locked.talk_on:
        raise UnsuitabilityError(f"决定日期不能早于谈话日期（{locked.talk_on:%Y-%m-%d}）")
    _not_future(decided_on, "决定日期")
    if effective_on < decided_on:
        raise UnsuitabilityError("生效日期不能早于决定日期")
    if decision in NEEDS_NEW_POST and to_position is None:
        label = rules.UNSUITABLE_DECISIONS[decision]
        raise UnsuitabilityError(f"{label}请选择拟任职位")
    text = _required(basis, "决定文号或会议", 200)
    summary = change_post(
        by=by,
        cadre=locked.cadre,
        effect=UNSUITABLE_EFFECTS[decision],
        on=effective_on,
        basis=text,
        to_position=to_position,
        to_rank=to_rank,
    )
    label = rules.UNSUITABLE_DECISIONS[decision]
    locked.decision = decision
    locked.decided_on = decided_on
    locked.effective_on = effective_on
    locked.basis = text
    locked.effect = f"{label}：{summary}"[:300]
    locked.status = UnsuitabilityStatus.DECIDED
    locked.save(
        update_fields=[
            "decision",
            "decided_on",
            "effective_on",
            "basis",
            "effect",
            "status",
            "updated_at",
        ]
    )
    record_event(
        actor=by,
        action="unsuitability_decided",
        obj=locked,
        detail={
            "decision": decision,
            "decided_on": decided_on.isoformat(),
            "effective_on": effective_on.isoformat(),
            "basis": text,
            "effect": locked.effect,
        },
    )
    return locked


@transaction.atomic
def withdraw_unsuitable(*, by: User, item: Unsuitability, reason: str) -> Unsuitability:
    """Withdraws a determination not yet decided (wrongly made, or the facts did not hold);
    its hold on the cadre ends. The reason is kept on the record and in the audit trail."""
    locked = _locked_item(item)
    _open_only(locked, "撤销")
    text = _required(reason, "撤销理由", REASON_MAX)
    locked.status = UnsuitabilityStatus.WITHDRAWN
    locked.effect = f"已撤销认定，不影响任职。理由：{text}"[:300]
    locked.save(update_fields=["status", "effect", "updated_at"])
    record_event(actor=by, action="unsuitability_withdrawn", obj=locked, detail={"reason": text})
    return locked
