"""The only writers of 容错免责 applications."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.accountability import services as accountability
from cadre.accountability.models import Measure, NoticeKind, NoticeVisibility
from cadre.accounts.access import covers, own_cadre_id, roles_of
from cadre.audit.services import record_event
from cadre.cadres.models import Cadre
from cadre.core.rulebook import rule_value
from cadre.orgs.models import OrgUnit
from cadre.supervision.rules import clean_text
from cadre.tolerance import rules
from cadre.tolerance.models import (
    ApplicantKind,
    ApplicationStatus,
    ExemptionApplication,
    ExemptionFinding,
)
from cadre.tolerance.rules import RuleError
from cadre.workdays.services import due_after

STAFF = {"org_admin", "discipline"}


def _text(value: str, field: str, max_len: int = 10_000, required: bool = True) -> str:
    return clean_text(value, field=field, max_len=max_len, required=required)


def _due(start: date, rule: Any, field: str) -> dict[str, Any]:
    """A step's deadline and its 推定 mark, as the model's two fields."""
    due = due_after(start, int(rule_value(rule.key)))
    return {field: due.day, f"{field}_provisional": due.provisional}


def _lock(app: ExemptionApplication, target: str) -> ExemptionApplication:
    locked = ExemptionApplication.objects.select_for_update().get(pk=app.pk)
    rules.check_transition(locked.status, target)
    return locked


@dataclass(frozen=True)
class ApplicationInput:
    facts: str
    distinction: str
    statements: dict[str, str]
    applicant_kind: str = ApplicantKind.SELF


def _check_target(cadre: Cadre, measure: Measure | None, case: Any) -> None:
    if (measure is None) == (case is None):
        raise RuleError("请选择针对的处理措施或案件（二选一）")
    if measure is not None:
        if measure.cadre_id != cadre.pk:
            raise RuleError("该处理措施不属于申请人，不能申请容错免责")
        if not measure.counts:
            raise RuleError("该处理措施已撤销、变更或已免责")
    if case is not None and not (
        case.clue.subject_cadre_id == cadre.pk or case.subjects.filter(cadre=cadre).exists()
    ):
        raise RuleError("该案件不涉及申请人，不能申请容错免责")
    open_apps = ExemptionApplication.objects.open().filter(cadre=cadre)
    if open_apps.filter(measure=measure, case=case).exists():
        raise RuleError("已有一份针对同一事项的申请正在办理")


@transaction.atomic
def apply(
    *,
    by: Any,
    cadre: Cadre,
    data: ApplicationInput,
    measure: Measure | None = None,
    case: Any = None,
) -> ExemptionApplication:
    """A cadre applies for themself, or org/discipline staff enter a unit's application."""
    if data.applicant_kind == ApplicantKind.SELF:
        if own_cadre_id(by) != cadre.pk:
            raise RuleError("本人申请只能由干部本人提交")
    elif data.applicant_kind == ApplicantKind.UNIT:
        if not covers(by, cadre.org_unit.path, STAFF):
            raise RuleError("单位申请由组织或纪检监察部门登记，该干部不在您的管理范围内")
    else:
        raise RuleError("请选择申请方式")
    if data.distinction not in rules.DISTINCTIONS:
        raise RuleError("请选择“三个区分开来”的依据")
    _check_target(cadre, measure, case)
    statements = {
        k: _text(data.statements.get(k, ""), f"“{v}”的说明") for k, v in rules.CRITERIA.items()
    }
    today = timezone.localdate()
    app = ExemptionApplication.objects.create(
        cadre=cadre,
        applicant_kind=data.applicant_kind,
        applicant_unit=cadre.org_unit if data.applicant_kind == ApplicantKind.UNIT else None,
        measure=measure,
        case=case,
        facts=_text(data.facts, "事实经过"),
        distinction=data.distinction,
        applied_on=today,
        **_due(today, rules.VERIFY_DAYS, "verify_due_on"),
        created_by=by,
    )
    ExemptionFinding.objects.bulk_create(
        [ExemptionFinding(application=app, criterion=k, statement=v) for k, v in statements.items()]
    )
    record_event(actor=by, action="exemption_applied", obj=app)
    return app


def _require_handler(by: Any, app: ExemptionApplication) -> None:
    if not covers(by, app.cadre.org_unit.path, STAFF):
        raise RuleError("只有组织部门或纪检监察机关可以办理")


@transaction.atomic
def verify(
    *,
    app: ExemptionApplication,
    by: Any,
    findings: dict[str, tuple[bool, str]],
    exclusions: list[str],
    note: str,
) -> ExemptionApplication:
    """核实: each criterion found true or not, with a note; exclusions found."""
    _require_handler(by, app)
    locked = _lock(app, ApplicationStatus.VERIFIED)
    if set(findings) != set(rules.CRITERIA):
        raise RuleError("请对四项认定条件逐项核实")
    if any(e not in rules.EXCLUSIONS for e in exclusions):
        raise RuleError("不予免责情形无效")
    for finding in ExemptionFinding.objects.select_for_update().filter(application=locked):
        verified, text = findings[finding.criterion]
        finding.verified = bool(verified)
        finding.note = _text(text, "核实说明", required=False)
        finding.save(update_fields=["verified", "note", "updated_at"])
    today = timezone.localdate()
    locked.status = ApplicationStatus.VERIFIED
    locked.verified_on, locked.verified_by = today, by
    locked.verification_note = _text(note, "核实情况")
    locked.exclusions = sorted(set(exclusions))
    due = _due(today, rules.DETERMINE_DAYS, "determine_due_on")
    for name, value in due.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "verified_on",
            "verified_by",
            "verification_note",
            "exclusions",
            *due,
            "version",
            "updated_at",
        ]
    )
    record_event(
        actor=by, action="exemption_verified", obj=locked, detail={"exclusions": locked.exclusions}
    )
    return locked


def _allowed(app: ExemptionApplication) -> set[str]:
    findings = dict(
        ExemptionFinding.objects.filter(application=app).values_list("criterion", "verified")
    )
    return rules.allowed_outcomes(findings, list(app.exclusions))


@transaction.atomic
def sign_determination(
    *,
    app: ExemptionApplication,
    by: Any,
    as_role: str,
    outcome: str,
    reason: str,
    lighter_kind: str = "",
) -> ExemptionApplication:
    """认定 by the organization department and the discipline organ jointly: each signs its
    opinion; when both agree the determination takes effect."""
    locked = ExemptionApplication.objects.select_for_update().get(pk=app.pk)
    if locked.status != ApplicationStatus.VERIFIED:
        raise RuleError(f"当前环节为「{rules.STATUS_LABELS[locked.status]}」，不能签署认定意见")
    slot = {"org_admin": "org", "discipline": "discipline"}.get(as_role)
    may_sign = slot is not None and as_role in roles_of(by)
    if not may_sign or not covers(by, locked.cadre.org_unit.path, STAFF):
        raise RuleError("只有组织部门和纪检监察机关可以签署认定意见")
    other = locked.discipline_signed_by_id if slot == "org" else locked.org_signed_by_id
    if other == by.pk:
        raise RuleError("组织部门和纪检监察机关的意见须由不同人员分别签署")
    if getattr(locked, f"{slot}_outcome"):
        raise RuleError("本部门已签署认定意见")
    rules.check_outcome(outcome, _allowed(locked), list(locked.exclusions))
    text = _text(reason, "认定理由")
    if outcome == "lightened" and lighter_kind and locked.measure is not None:
        from cadre.accountability.rules import check_replacement

        check_replacement(locked.measure.kind, lighter_kind, must_be_lighter=True)
    setattr(locked, f"{slot}_outcome", outcome)
    setattr(locked, f"{slot}_signed_by", by)
    final = rules.joint_outcome(locked.org_outcome, locked.discipline_outcome)
    fields = [f"{slot}_outcome", f"{slot}_signed_by", "version", "updated_at"]
    if outcome == "lightened" and lighter_kind:
        locked.lighter_kind = lighter_kind
        fields.append("lighter_kind")
    if final is not None:
        today = timezone.localdate()
        locked.status, locked.outcome = ApplicationStatus.DETERMINED, final
        locked.outcome_reason, locked.determined_on = text, today
        due = _due(today, rules.FEEDBACK_DAYS, "feedback_due_on")
        for name, value in due.items():
            setattr(locked, name, value)
        fields += ["status", "outcome", "outcome_reason", "determined_on", *due]
    locked.version += 1
    locked.save(update_fields=fields)
    record_event(
        actor=by, action="exemption_signed", obj=locked, detail={"as": as_role, "outcome": outcome}
    )
    if final is not None:
        _apply_effect(locked, by)
    return locked


def _apply_effect(app: ExemptionApplication, by: Any) -> None:
    """免责: the measure(s) stop counting from the determination date (earlier days keep their
    answers); 从轻减轻: a lighter measure replaces it."""
    note = f"容错免责认定（申请#{app.pk}）"
    if app.outcome == "exempted":
        assert app.determined_on is not None  # set together with the final outcome
        targets = (
            [app.measure]
            if app.measure is not None
            else list(Measure.objects.counting().filter(case=app.case, cadre=app.cadre))
        )
        for measure in targets:
            accountability.set_exempted(
                measure=measure, by=by, note=note, decided_on=app.determined_on
            )
    elif app.outcome == "lightened" and app.lighter_kind and app.measure is not None:
        accountability.replace_measure(
            measure=app.measure, by=by, kind=app.lighter_kind, reason=note, must_be_lighter=True
        )
    record_event(actor=by, action="exemption_determined", obj=app, detail={"outcome": app.outcome})


@transaction.atomic
def give_feedback(*, app: ExemptionApplication, by: Any, text: str) -> ExemptionApplication:
    _require_handler(by, app)
    locked = _lock(app, ApplicationStatus.FED_BACK)
    locked.status = ApplicationStatus.FED_BACK
    locked.fed_back_on = timezone.localdate()
    locked.feedback_text = _text(text, "反馈内容")
    locked.version += 1
    locked.save(update_fields=["status", "fed_back_on", "feedback_text", "version", "updated_at"])
    record_event(actor=by, action="exemption_fed_back", obj=locked)
    return locked


@transaction.atomic
def publish(
    *,
    app: ExemptionApplication,
    by: Any,
    title: str,
    summary: str,
    public: bool,
    targets: list[OrgUnit] | None = None,
) -> ExemptionApplication:
    """视情公开: a notice with the cadre's name masked."""
    _require_handler(by, app)
    locked = _lock(app, ApplicationStatus.PUBLISHED)
    if locked.outcome != "exempted":
        raise RuleError("只有认定免责的申请可以公开")
    unit = locked.cadre.org_unit
    issuing = OrgUnit.objects.filter(pk__in=unit.ancestor_ids()).order_by("depth")
    org_unit = next((u for u in issuing if covers(by, u.path, STAFF)), unit)
    notice = accountability.draft_notice(
        by=by,
        org_unit=org_unit,
        targets=targets or ([] if public else [org_unit]),
        data=accountability.NoticeInput(
            kind=NoticeKind.TOLERANCE,
            visibility=NoticeVisibility.PUBLIC if public else NoticeVisibility.INTERNAL,
            title=title,
            body=summary,
            redact_names=(locked.cadre.name,),
        ),
    )
    accountability.publish_notice(notice=notice, by=by)
    locked.status, locked.published_on, locked.notice = (
        ApplicationStatus.PUBLISHED,
        timezone.localdate(),
        notice,
    )
    locked.version += 1
    locked.save(update_fields=["status", "published_on", "notice", "version", "updated_at"])
    record_event(actor=by, action="exemption_published", obj=locked)
    return locked
