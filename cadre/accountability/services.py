"""The only writers of measures, rectifications, appeals, inquiries and notices."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cadre.accountability import rules
from cadre.accountability.models import (
    AppealResult,
    InquiryStatus,
    Measure,
    MeasureAppeal,
    MeasureStatus,
    Notice,
    NoticeKind,
    NoticeRead,
    NoticeStatus,
    NoticeVisibility,
    Rectification,
    RectificationStatus,
    WrittenInquiry,
)
from cadre.accountability.providers import case_exempted_on
from cadre.accountability.rules import RuleError
from cadre.accounts.access import covers, has_role, roles_of
from cadre.accounts.models import User
from cadre.audit.services import record_event
from cadre.cadres import services as registry
from cadre.cadres.models import Appointment, Cadre, CadreStatus
from cadre.core.rulebook import rule_value
from cadre.orgs.models import OrgUnit, Position
from cadre.supervision.rules import clean_text
from cadre.workdays.services import Due, due_after

MAX_TEXT = 10_000
# Who records measures and decides inquiries; a superuser acts in both roles.
STAFF_ROLES = frozenset({"org_admin", "discipline"})


def _text(value: str, field: str, max_len: int = MAX_TEXT, required: bool = True) -> str:
    return clean_text(value, field=field, max_len=max_len, required=required)


def period_table() -> dict[str, int | None]:
    return {kind: rule_value(rule.key) for kind, rule in rules.PERIOD_SETTINGS.items()}


# ---- measures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureInput:
    kind: str
    issuing_body: str
    decided_on: date
    effective_on: date
    facts: str
    article: str
    probation_years: int | None = None
    referral_to: str = ""
    combined_count: int = 1
    combined_months: int | None = None
    rectifications: tuple[tuple[str, date], ...] = ()


def compute_period(cadre: Cadre, data: MeasureInput, exclude: Collection[int] = ()) -> rules.Period:
    """The period by the rules; a state sanction runs on from a counting one still running
    (处分条例 第十条第二款), never from one in `exclude`."""
    if rules.category(data.kind) == rules.STATE:
        running = [
            rules.Running(kind, eff, until, pk)
            for pk, kind, eff, until in Measure.objects.counting()
            .filter(
                cadre=cadre,
                kind__in=list(rules.STATE_PERIOD_MONTHS),
                influence_until__gte=data.effective_on,
                effective_on__lte=data.effective_on,
            )
            .exclude(pk__in=list(exclude))
            .values_list("pk", "kind", "effective_on", "influence_until")
        ]
        return rules.state_period(
            data.kind,
            data.effective_on,
            combined_count=data.combined_count,
            combined_months=data.combined_months,
            running=running,
        )
    if data.combined_count > 1 or data.combined_months is not None:
        raise RuleError("只有政务处分可以合并确定处分期（政务处分法第十五条）")
    return rules.settings_period(
        data.kind, data.effective_on, period_table(), data.probation_years or 0
    )


def _check_input(by: Any, cadre: Cadre, data: MeasureInput, case: Any) -> None:
    cat = rules.category(data.kind)
    if not roles_of(by, superuser_as=STAFF_ROLES) & rules.RECORD_ROLES[cat]:
        raise RuleError(f"您的角色不能登记{rules.CATEGORY_LABELS[cat]}")
    rules.check_dates(
        data.kind, data.decided_on, data.effective_on, timezone.localdate(), data.probation_years
    )
    if data.kind == "referral" and data.referral_to not in ("supervisory", "judicial"):
        raise RuleError("请选择移送的机关（监察机关或司法机关）")
    if data.kind == "talk_reminder" and not data.rectifications:
        raise RuleError("提醒应当指出问题并提出整改要求（请至少填写一项整改要求）")
    for _, due in data.rectifications:
        if due < data.decided_on:
            raise RuleError("整改期限不能早于决定日期")
    if case is not None and not _case_concerns(case, cadre):
        raise RuleError("所选案件的当事人中没有该干部")
    if case is not None and case.status == "verifying":
        raise RuleError("案件尚在核查中，应在审理后作出处理")


def _case_concerns(case: Any, cadre: Cadre) -> bool:
    return case.clue.subject_cadre_id == cadre.pk or case.subjects.filter(cadre=cadre).exists()


def _case_exempted_on(case: Any, cadre: Cadre) -> date | None:
    """The date the case was determined 免责 for the cadre, if it was."""
    if case is None:
        return None
    return case_exempted_on(case_id=case.pk, cadre_id=cadre.pk)  # tolerance provides it


@transaction.atomic
def record_measure(
    *,
    by: Any,
    cadre: Cadre,
    data: MeasureInput,
    case: Any = None,
    inquiry: Any = None,
    replaces: Measure | None = None,
    to_position: Position | None = None,
    to_rank: str = "",
) -> Measure:
    """Records a measure and, in the same transaction, its registry effect (免职, 降职, 调整
    职务/改任, 责令辞职, 撤职, 开除: `rules.REGISTRY_EFFECTS`), with the new position and rank
    where the kind takes them; a refused effect writes nothing, the measure included."""
    data = MeasureInput(
        **{
            **data.__dict__,
            "issuing_body": _text(data.issuing_body, "决定机关", 100),
            "facts": _text(data.facts, "事实"),
            "article": _text(data.article, "依据条款", 200),
        }
    )
    _check_input(by, cadre, data, case)
    effect = rules.registry_effect(
        data.kind, has_position=to_position is not None, has_rank=bool(to_rank)
    )
    period = compute_period(cadre, data)
    exempted_on = _case_exempted_on(case, cadre)
    exempted = exempted_on is not None
    no_period = not period.open_ended and period.until is None
    status = MeasureStatus.EXECUTED if no_period else MeasureStatus.IN_FORCE
    measure = Measure.objects.create(
        cadre=cadre,
        unit_at_decision=cadre.org_unit,
        kind=data.kind,
        issuing_body=data.issuing_body,
        decided_on=data.decided_on,
        effective_on=data.effective_on,
        facts=data.facts,
        article=data.article,
        probation_years=data.probation_years,
        referral_to=data.referral_to,
        combined_count=data.combined_count,
        period_months=period.months,
        influence_until=period.until,
        open_ended=period.open_ended,
        period_basis=period.basis[:400],
        chained_on_id=period.chained_on,
        status=MeasureStatus.EXEMPTED if exempted else status,
        exempted=exempted,
        exempted_on=exempted_on,
        exemption_note="案件已认定容错免责" if exempted else "",
        case=case,
        inquiry=inquiry,
        replaces=replaces,
        recorded_by=by,
        personnel_due_on=rules.personnel_due(data.decided_on)
        if data.kind in rules.PERSONNEL_FOLLOW_UP_KINDS and not exempted
        else None,
    )
    for requirement, due in data.rectifications:
        Rectification.objects.create(
            measure=measure, requirement=_text(requirement, "整改要求"), due_on=due
        )
    if effect is not None:
        measure.registry_effect = _registry_effect(
            by=by,
            measure=measure,
            effect=effect,
            exempted=exempted,
            to_position=to_position,
            to_rank=to_rank,
        )[:500]
        measure.save(update_fields=["registry_effect", "updated_at"])
    record_event(
        actor=by,
        action="measure_recorded",
        obj=measure,
        detail={"kind": data.kind, "until": str(period.until)},
    )
    return measure


def _registry_effect(
    *,
    by: User | None,
    measure: Measure,
    effect: rules.RegistryEffect,
    exempted: bool,
    to_position: Position | None,
    to_rank: str,
) -> str:
    """Applies the measure's effect to the registry on its effective day (cadres.services);
    returns what changed, for the measure's page."""
    if exempted:
        return "案件已认定容错免责，未调整任职和职级"
    if measure.replaces_id is not None:
        return "变更后的处理措施，未自动调整任职和职级（按变更决定另行办理）"
    cadre, on = measure.cadre, measure.effective_on
    basis = f"{measure.issuing_body}{measure.decided_on:%Y-%m-%d}{effect.label}决定"
    if effect.status:
        ended = [
            str(a.position)
            for a in Appointment.objects.filter(cadre=cadre, ended_on__isnull=True)
            .select_related("position__org_unit")
            .order_by("started_on", "pk")
        ]
        registry.end_employment(by=by, cadre=cadre, status=effect.status, on=on, basis=basis)
        status = CadreStatus(effect.status).label
        posts = f"，免去{'、'.join(ended)}职务" if ended else ""
        return (
            f"{on.isoformat()}起{effect.label}：干部状态改为“{status}”{posts}，"
            "任职和职级记录同日终止"
        )
    return registry.change_post(
        by=by,
        cadre=cadre,
        effect=effect.effect,
        on=on,
        basis=basis,
        to_position=to_position,
        to_rank=to_rank,
    )


@transaction.atomic
def end_measure(*, measure: Measure, by: Any, ended_on: date, note: str) -> Measure:
    """Ends an open-ended measure (停职检查 decided, 移送 concluded)."""
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if not locked.open_ended or locked.kind in ("gov_expulsion", "expulsion_from_party"):
        raise RuleError("有固定影响期的措施到期自动解除，不能手工结束")
    if locked.status != MeasureStatus.IN_FORCE:
        raise RuleError("该措施已经结束")
    if ended_on < locked.effective_on or ended_on > timezone.localdate():
        raise RuleError("结束日期应在生效日期之后且不晚于今天")
    locked.status = MeasureStatus.LIFTED
    locked.ended_on = ended_on
    locked.version += 1
    locked.save(update_fields=["status", "ended_on", "version", "updated_at"])
    record_event(
        actor=by, action="measure_ended", obj=locked, detail={"note": _text(note, "说明", 200)}
    )
    return locked


@transaction.atomic
def lift_expired(*, today: date, by: Any = None) -> int:
    """Automatic lifting at the end of the period (公务员法 第六十五条; 处分条例 第九条);
    set-based. Eligibility reads dates, so a late run changes no answer."""
    count = Measure.objects.filter(
        status=MeasureStatus.IN_FORCE, open_ended=False, influence_until__lt=today
    ).update(status=MeasureStatus.LIFTED, version=F("version") + 1)
    if count:
        record_event(
            actor=by,
            action="measures_lifted",
            object_type="accountability.measure",
            detail={"count": count, "on": today.isoformat()},
        )
    return count


@transaction.atomic
def set_exempted(*, measure: Measure, by: Any, note: str, decided_on: date) -> Measure:
    """Called by the tolerance app on an 免责 determination decided on `decided_on`: history
    kept, no effect from that day on (the days before keep theirs), status 已免责; the
    periods chained on it are recomputed without it."""
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if locked.exempted:
        raise RuleError("该措施已认定容错免责")
    if decided_on < locked.decided_on or decided_on > timezone.localdate():
        raise RuleError("免责认定日期应在处理决定日期之后且不晚于今天")
    locked.exempted = True
    locked.exempted_on = decided_on
    locked.exemption_note = note[:200]
    if locked.status not in (MeasureStatus.REVOKED, MeasureStatus.SUPERSEDED):
        locked.status = MeasureStatus.EXEMPTED
    locked.version += 1
    locked.save(
        update_fields=[
            "exempted",
            "exempted_on",
            "exemption_note",
            "status",
            "version",
            "updated_at",
        ]
    )
    record_event(
        actor=by,
        action="measure_exempted",
        obj=locked,
        detail={"exempted_on": decided_on.isoformat()},
    )
    _recompute_chained(earlier=locked, by=by)
    return locked


def _recompute_chained(*, earlier: Measure, by: Any) -> None:
    """处分条例 第十条第二款: a period may include the unserved rest of an earlier measure
    (`chained_on`). Once that one stops counting (免责, 撤销, 变更), every counting measure
    chained on it gets its period again without it (or on another one still running), and
    so on down the chain; the caller's transaction holds it all."""
    today = timezone.localdate()
    chained = Measure.objects.counting().select_for_update().filter(chained_on=earlier)
    for later in chained.order_by("effective_on", "pk"):
        before = later.influence_until
        period = compute_period(
            later.cadre,
            MeasureInput(
                kind=later.kind,
                issuing_body=later.issuing_body,
                decided_on=later.decided_on,
                effective_on=later.effective_on,
                facts=later.facts,
                article=later.article,
                combined_count=later.combined_count,
                combined_months=later.period_months if later.combined_count > 1 else None,
            ),
            exclude=_chain_from(later),
        )
        later.influence_until, later.period_months = period.until, period.months
        later.period_basis, later.chained_on_id = period.basis[:400], period.chained_on
        if later.status in (MeasureStatus.IN_FORCE, MeasureStatus.LIFTED):
            lifted = period.until is not None and period.until < today
            later.status = MeasureStatus.LIFTED if lifted else MeasureStatus.IN_FORCE
        later.version += 1
        later.save(
            update_fields=[
                "influence_until",
                "period_months",
                "period_basis",
                "chained_on",
                "status",
                "version",
                "updated_at",
            ]
        )
        record_event(
            actor=by,
            action="measure_period_recomputed",
            obj=later,
            detail={"from": str(before), "to": str(period.until)},
        )
        if period.until != before:
            _recompute_chained(earlier=later, by=by)


def _chain_from(measure: Measure) -> set[int]:
    """The measure and every measure chained on it, directly or down the chain: none of them
    can be the one it runs on from."""
    seen, frontier = {measure.pk}, [measure.pk]
    while frontier:
        frontier = list(
            Measure.objects.filter(chained_on__in=frontier)
            .exclude(pk__in=seen)
            .values_list("pk", flat=True)
        )
        seen.update(frontier)
    return seen


@transaction.atomic
def replace_measure(
    *, measure: Measure, by: Any, kind: str, reason: str, must_be_lighter: bool
) -> Measure:
    """A changed measure (appeal 变更, 容错 从轻/减轻): the old one is superseded, the new one
    keeps its dates; it may not be heavier."""
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if not locked.counts:
        raise RuleError("该措施已撤销、变更或免责，不能再变更")
    rules.check_replacement(locked.kind, kind, must_be_lighter=must_be_lighter)
    locked.status = MeasureStatus.SUPERSEDED
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    data = MeasureInput(
        kind=kind,
        issuing_body=locked.issuing_body,
        decided_on=locked.decided_on,
        effective_on=locked.effective_on,
        facts=locked.facts,
        article=f"{locked.article}；变更理由：{reason}"[:200],
        probation_years=locked.probation_years if kind == "party_probation" else None,
        referral_to=locked.referral_to if kind == "referral" else "",
        rectifications=(("按变更后的处理要求整改", locked.decided_on),)
        if kind == "talk_reminder"
        else (),
    )
    replacement = record_measure(
        by=by,
        cadre=locked.cadre,
        data=data,
        case=locked.case,
        inquiry=locked.inquiry,
        replaces=locked,
    )
    _recompute_chained(earlier=locked, by=by)
    return replacement


# ---- 政务处分法 第五十四条: post, rank and pay changed within a month ------------------------


def _personnel_open(measure_id: int) -> Measure:
    locked = Measure.objects.select_for_update().get(pk=measure_id)
    if locked.personnel_due_on is None:
        raise RuleError(
            f"该措施不需要办理职务、工资等变更手续（{rules.PERSONNEL_SOURCE}适用于降级、撤职、开除）"
        )
    if not locked.counts:
        raise RuleError("该措施已撤销、变更或免责，不再办理变更手续")
    if locked.personnel_done_on is not None:
        raise RuleError("职务、工资等变更手续已办结")
    return locked


def _personnel_note(locked: Measure, line: str) -> str:
    note = f"{locked.personnel_note}\n{line}" if locked.personnel_note else line
    if len(note) > 500:
        raise RuleError("办理情况累计超过500字，请精简说明")
    return note


@transaction.atomic
def complete_personnel_change(*, measure: Measure, by: User, done_on: date, note: str) -> Measure:
    """The personnel office changed post, rank and pay (第五十四条) on `done_on`."""
    locked = _personnel_open(measure.pk)
    rules.check_personnel_done(locked.decided_on, done_on, timezone.localdate())
    text = _text(note, "办理情况", 200)
    locked.personnel_done_on = done_on
    locked.personnel_note = _personnel_note(locked, f"{done_on.isoformat()}办结：{text}")
    locked.version += 1
    locked.save(update_fields=["personnel_done_on", "personnel_note", "version", "updated_at"])
    record_event(
        actor=by,
        action="personnel_change_done",
        obj=locked,
        detail={"done_on": done_on.isoformat(), "deadline": str(locked.personnel_deadline)},
    )
    return locked


@transaction.atomic
def extend_personnel_change(*, measure: Measure, by: User, until: date, reason: str) -> Measure:
    """特殊情况下经批准延长 (第五十四条): to a later day, at most six months after the decision."""
    locked = _personnel_open(measure.pk)
    before = locked.personnel_deadline
    assert before is not None  # personnel_due_on is set (checked above)
    rules.check_personnel_extension(locked.decided_on, before, until)
    text = _text(reason, "延长理由", 200)
    locked.personnel_extended_to = until
    locked.personnel_note = _personnel_note(
        locked, f"办理期限由{before.isoformat()}延长至{until.isoformat()}：{text}"
    )
    locked.version += 1
    locked.save(update_fields=["personnel_extended_to", "personnel_note", "version", "updated_at"])
    record_event(
        actor=by,
        action="personnel_change_extended",
        obj=locked,
        detail={"from": before.isoformat(), "to": until.isoformat(), "reason": text},
    )
    return locked


# ---- rectification ------------------------------------------------------------------------


@transaction.atomic
def add_rectification(
    *, measure: Measure, by: Any, requirement: str, due_on: date
) -> Rectification:
    if due_on < measure.decided_on:
        raise RuleError("整改期限不能早于决定日期")
    rect = Rectification.objects.create(
        measure=measure, requirement=_text(requirement, "整改要求"), due_on=due_on
    )
    record_event(actor=by, action="rectification_added", obj=rect)
    return rect


@transaction.atomic
def complete_rectification(
    *, rectification: Rectification, by: Any, result: str, done_on: date
) -> Rectification:
    locked = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if locked.status == RectificationStatus.DONE:
        raise RuleError("该整改要求已确认完成")
    if done_on > timezone.localdate() or done_on < locked.measure.decided_on:
        raise RuleError("完成日期应在决定日期之后且不晚于今天")
    locked.status = RectificationStatus.DONE
    locked.result = _text(result, "整改情况")
    locked.done_on = done_on
    locked.confirmed_by = by
    locked.save(update_fields=["status", "result", "done_on", "confirmed_by", "updated_at"])
    record_event(actor=by, action="rectification_done", obj=locked)
    return locked


# ---- appeals (复审 → 复核; 政务处分法 第五十五、五十六条) ----------------------------------------


@transaction.atomic
def file_appeal(
    *, measure: Measure, by: Any, kind: str, filed_on: date, reasons: str
) -> MeasureAppeal:
    if filed_on < measure.decided_on or filed_on > timezone.localdate():
        raise RuleError("申请日期应在决定日期之后且不晚于今天")
    earlier = MeasureAppeal.objects.filter(measure=measure)
    if earlier.filter(result=AppealResult.PENDING).exists():
        raise RuleError("已有正在审理的复审或复核申请")
    if (
        kind == "recheck"
        and not earlier.filter(kind="review").exclude(result=AppealResult.PENDING).exists()
    ):
        raise RuleError("应先向作出决定的机关申请复审，对复审决定不服的再申请复核")
    if kind not in ("review", "recheck", "complaint"):
        raise RuleError("请选择复审、复核或申诉")
    appeal = MeasureAppeal.objects.create(
        measure=measure, kind=kind, filed_on=filed_on, reasons=_text(reasons, "申请理由")
    )
    # The measure stays in force: 复审、复核期间不停止原决定的执行 (第五十六条).
    record_event(actor=by, action="appeal_filed", obj=appeal)
    return appeal


@transaction.atomic
def decide_appeal(
    *,
    appeal: MeasureAppeal,
    by: Any,
    result: str,
    decided_on: date,
    text: str,
    replacement_kind: str = "",
) -> MeasureAppeal:
    locked = MeasureAppeal.objects.select_for_update().get(pk=appeal.pk)
    if locked.result != AppealResult.PENDING:
        raise RuleError("该申请已有结果")
    if result not in (AppealResult.UPHELD, AppealResult.CHANGED, AppealResult.REVOKED):
        raise RuleError("请选择维持、变更或撤销")
    if decided_on < locked.filed_on or decided_on > timezone.localdate():
        raise RuleError("决定日期应在申请日期之后且不晚于今天")
    locked.result = result
    locked.decided_on = decided_on
    locked.decision_text = _text(text, "决定说明")
    locked.save(update_fields=["result", "decided_on", "decision_text", "updated_at"])
    measure = locked.measure
    if result == AppealResult.REVOKED:
        m = Measure.objects.select_for_update().get(pk=measure.pk)
        m.status = MeasureStatus.REVOKED
        m.ended_on = decided_on
        m.version += 1
        m.save(update_fields=["status", "ended_on", "version", "updated_at"])
        _recompute_chained(earlier=m, by=by)
    elif result == AppealResult.CHANGED:
        if not replacement_kind:
            raise RuleError("变更时请选择变更后的处理措施")
        replace_measure(
            measure=measure,
            by=by,
            kind=replacement_kind,
            reason=locked.decision_text,
            must_be_lighter=False,
        )
    record_event(actor=by, action="appeal_decided", obj=locked, detail={"result": result})
    return locked


# ---- 函询 (DOMAIN.md 2.3) -------------------------------------------------------------------


def inquiry_due(sent_on: date) -> Due:
    return due_after(sent_on, int(rule_value(rules.INQUIRY_REPLY_WORKING_DAYS.key)))


@transaction.atomic
def send_inquiry(
    *, by: Any, cadre: Cadre, issuing_body: str, questions: str, sent_on: date, clue: Any = None
) -> WrittenInquiry:
    if not has_role(by, *STAFF_ROLES):
        raise RuleError("您的角色不能发出函询")
    if sent_on > timezone.localdate():
        raise RuleError("发函日期不能晚于今天")
    if clue is not None:
        if clue.status != "talk_or_inquiry":
            raise RuleError("该线索尚未批准以谈话函询方式处置")
        if clue.subject_cadre_id not in (None, cadre.pk):
            raise RuleError("函询对象与线索反映对象不一致")
    due = inquiry_due(sent_on)
    inquiry = WrittenInquiry.objects.create(
        cadre=cadre,
        clue=clue,
        issuing_body=_text(issuing_body, "发函机关", 100),
        questions=_text(questions, "函询问题"),
        sent_on=sent_on,
        due_on=due.day,
        due_on_provisional=due.provisional,
        sent_by=by,
    )
    record_event(actor=by, action="inquiry_sent", obj=inquiry)
    return inquiry


@transaction.atomic
def reply_inquiry(
    *,
    inquiry: WrittenInquiry,
    by: Any,
    reply_text: str,
    replied_on: date,
    signoff_name: str,
    signoff_opinion: str,
    signoff_on: date,
) -> WrittenInquiry:
    """The written explanation, signed off by the head of the cadre's Party committee."""
    locked = WrittenInquiry.objects.select_for_update().get(pk=inquiry.pk)
    if locked.status == InquiryStatus.CLOSED:
        raise RuleError("函询已办结，不能再回复")
    if locked.status != InquiryStatus.SENT:
        raise RuleError("该函询已经回复")
    if replied_on < locked.sent_on or replied_on > timezone.localdate():
        raise RuleError("回复日期应在发函日期之后且不晚于今天")
    if signoff_on < locked.sent_on or signoff_on > replied_on:
        raise RuleError("签署日期应在发函日期与回复日期之间")
    locked.reply_text = _text(reply_text, "说明材料")
    locked.signoff_name = _text(signoff_name, "党委(党组)主要负责人姓名", 30)
    locked.signoff_opinion = _text(signoff_opinion, "主要负责人签署意见")
    locked.replied_on = replied_on
    locked.signoff_on = signoff_on
    locked.status = InquiryStatus.REPLIED
    locked.version += 1
    locked.save(
        update_fields=[
            "reply_text",
            "signoff_name",
            "signoff_opinion",
            "replied_on",
            "signoff_on",
            "status",
            "version",
            "updated_at",
        ]
    )
    record_event(actor=by, action="inquiry_replied", obj=locked)
    return locked


@transaction.atomic
def close_inquiry(*, inquiry: WrittenInquiry, by: Any, outcome: str, note: str) -> WrittenInquiry:
    """处理: 澄清了结, 谈话提醒 or 诫勉 (a measure is recorded), or 进一步核实 (the clue goes
    back for disposal, normally 初步核实)."""
    locked = WrittenInquiry.objects.select_for_update().get(pk=inquiry.pk)
    if locked.status == InquiryStatus.SENT:
        raise RuleError("尚未收到回复，不能办结（逾期未复的请先催复）")
    if InquiryStatus.CLOSED not in rules.INQUIRY_TRANSITIONS[locked.status]:
        raise RuleError("函询已办结")
    if outcome not in rules.INQUIRY_OUTCOMES:
        raise RuleError("请选择处理结果")
    text = _text(note, "处理说明")
    today = timezone.localdate()
    locked.outcome, locked.outcome_note = outcome, text
    locked.status, locked.closed_on = InquiryStatus.CLOSED, today
    locked.version += 1
    locked.save(
        update_fields=["outcome", "outcome_note", "status", "closed_on", "version", "updated_at"]
    )
    kind = rules.OUTCOME_MEASURE.get(outcome)
    if kind:
        due = working_due(today, 20)
        rects = (("按函询处理意见整改", due.day),) if kind == "talk_reminder" else ()
        measure = record_measure(
            by=by,
            cadre=locked.cadre,
            inquiry=locked,
            data=MeasureInput(
                kind=kind,
                issuing_body=locked.issuing_body,
                decided_on=today,
                effective_on=today,
                facts=text,
                article="函询处理（监督执纪工作规则；公务员法第五十七条）",
                rectifications=rects,
            ),
        )
        if rects and due.provisional:
            measure.rectifications.update(due_on_provisional=True)
    _settle_clue(locked, by, outcome, text)
    record_event(actor=by, action="inquiry_closed", obj=locked, detail={"outcome": outcome})
    return locked


def working_due(day: date, n: int) -> Due:
    return due_after(day, n)


def _settle_clue(inquiry: WrittenInquiry, by: Any, outcome: str, text: str) -> None:
    if inquiry.clue_id is None:
        return
    from cadre.supervision import services as supervision

    clue = inquiry.clue
    if clue is None or clue.status != "talk_or_inquiry":
        return
    if outcome == "further_verification":
        supervision.reopen_clue(clue=clue, by=by, reason=f"函询后需进一步核实：{text}")
    else:
        label = rules.INQUIRY_OUTCOMES[outcome]
        supervision.conclude_clue(clue=clue, by=by, conclusion=f"函询处理：{label}。{text}")


@transaction.atomic
def remind_inquiry(*, inquiry: WrittenInquiry, by: Any) -> WrittenInquiry:
    locked = WrittenInquiry.objects.select_for_update().get(pk=inquiry.pk)
    if locked.status != InquiryStatus.SENT:
        raise RuleError("只有待回复的函询可以催复")
    locked.reminded_on = timezone.localdate()
    locked.reminder_count += 1
    locked.save(update_fields=["reminded_on", "reminder_count", "updated_at"])
    record_event(actor=by, action="inquiry_reminded", obj=locked)
    return locked


@transaction.atomic
def remind_overdue(*, qs: Any, by: Any, today: date) -> int:
    """催复 every overdue inquiry in `qs` (already scoped by the caller), set-based."""
    count = qs.overdue(today).update(reminded_on=today, reminder_count=F("reminder_count") + 1)
    if count:
        record_event(
            actor=by,
            action="inquiries_reminded",
            object_type="accountability.writteninquiry",
            detail={"count": count},
        )
    return count


# ---- notices (通报) -------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeInput:
    kind: str
    visibility: str
    title: str
    body: str
    redact_names: tuple[str, ...] = ()
    redact_terms: tuple[str, ...] = ()


@transaction.atomic
def draft_notice(
    *,
    by: Any,
    org_unit: OrgUnit,
    data: NoticeInput,
    case: Any = None,
    targets: list[OrgUnit] | None = None,
) -> Notice:
    if not covers(by, org_unit.path, STAFF_ROLES):
        raise RuleError("发布单位不在您的管理范围内")
    if data.kind not in NoticeKind.values or data.visibility not in NoticeVisibility.values:
        raise RuleError("请选择通报类型和范围")
    if data.kind == NoticeKind.NEGATIVE and (case is None or case.status != "closed"):
        raise RuleError("反面典型通报只能来自已办结的案件")
    targets = targets or []
    if data.visibility == NoticeVisibility.INTERNAL and not targets:
        raise RuleError("内部通报请选择通报范围（至少一个单位）")
    if any(not t.path.startswith(org_unit.path) for t in targets):
        raise RuleError("通报范围只能是发布单位及其下属单位")
    notice = Notice.objects.create(
        org_unit=org_unit,
        kind=data.kind,
        visibility=data.visibility,
        title=_text(data.title, "标题", 100),
        draft_body=_text(data.body, "通报正文"),
        redact_names=[n.strip() for n in data.redact_names if n.strip()][:50],
        redact_terms=[t.strip() for t in data.redact_terms if t.strip()][:50],
        case=case,
        created_by=by,
    )
    notice.target_units.set(targets)
    record_event(actor=by, action="notice_drafted", obj=notice)
    return notice


@transaction.atomic
def publish_notice(*, notice: Notice, by: Any) -> Notice:
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if locked.status != NoticeStatus.DRAFT:
        raise RuleError("只有草稿可以发布")
    locked.published_body = rules.redact(
        locked.draft_body, locked.redact_names, locked.redact_terms
    )
    locked.title = rules.redact(locked.title, locked.redact_names, locked.redact_terms)
    locked.status = NoticeStatus.PUBLISHED
    locked.published_on = timezone.localdate()
    locked.version += 1
    locked.save(
        update_fields=["published_body", "title", "status", "published_on", "version", "updated_at"]
    )
    record_event(
        actor=by, action="notice_published", obj=locked, detail={"visibility": locked.visibility}
    )
    return locked


@transaction.atomic
def withdraw_notice(*, notice: Notice, by: Any, reason: str) -> Notice:
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if locked.status != NoticeStatus.PUBLISHED:
        raise RuleError("只有已发布的通报可以撤回")
    locked.status = NoticeStatus.WITHDRAWN
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    record_event(
        actor=by,
        action="notice_withdrawn",
        obj=locked,
        detail={"reason": _text(reason, "撤回理由", 200)},
    )
    return locked


def mark_read(*, notice: Notice, user: Any) -> None:
    if notice.status == NoticeStatus.PUBLISHED:
        NoticeRead.objects.get_or_create(
            notice=notice, user=user, defaults={"read_on": timezone.localdate()}
        )
