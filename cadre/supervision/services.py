"""The only writers of staff-side supervision records: intake by staff, report handling,
clue disposal with approval, cases and inspections. Each state change is one function,
takes a row lock, re-checks the state (a second concurrent action is refused) and writes
an audit event in the same transaction."""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.accounts.access import covers, has_role, roles_of
from cadre.audit.services import record_event
from cadre.cadres.models import Cadre
from cadre.core.rulebook import rule_value
from cadre.orgs.models import OrgUnit
from cadre.supervision import crypto, intake, rules, uploads
from cadre.supervision.models import (
    Case,
    CaseConclusion,
    CaseEvidence,
    CaseFact,
    CaseNote,
    CaseStatus,
    CaseSubject,
    Channel,
    Clue,
    ClueSource,
    ClueStatus,
    Direction,
    Inspection,
    InspectionFinding,
    Report,
    ReportAttachment,
    ReporterContact,
    ReportMessage,
    ReportStatus,
)
from cadre.supervision.rules import RuleError
from cadre.workdays.services import due_after

STAFF_ROLES = {"discipline", "org_admin"}


def _working_due(start: date, key: str) -> dict[str, Any]:
    """The clue's disposal deadline fields: date, 推定 mark, and the day counted from."""
    due = due_after(start, int(rule_value(key)))
    return {"due_on": due.day, "due_on_provisional": due.provisional, "due_from": start}


# ---- staff intake ------------------------------------------------------------------------


@transaction.atomic
def record_report(
    *,
    by: Any,
    channel: str,
    data: intake.IntakeData,
    received_on: date,
    files: list[uploads.CheckedFile] | None = None,
    subject_cadre: Cadre | None = None,
) -> Report:
    """A report received by letter, visit, phone, the 12345 hotline, media, audit or
    inspection, entered by staff. Named reporters' contact is encrypted like online ones."""
    if channel == "online" or channel not in Channel.values:  # Report.channel's choices
        raise RuleError("请选择来源渠道（网上举报由举报人自行提交）")
    if received_on > timezone.localdate():
        raise RuleError("收到日期不能晚于今天")
    data = intake._clean(data)
    unit = intake._subject_unit(data.subject_unit_id)
    cadre = subject_cadre or (
        intake.match_subject(unit, data.subject_name) if data.subject_kind == "cadre" else None
    )
    if cadre is not None and not cadre.org_unit.path.startswith(unit.path):
        raise RuleError("所选干部不在被反映单位")
    handling = OrgUnit.objects.get(pk=intake.route(unit, cadre, data.subject_kind))
    if not covers(by, handling.path, STAFF_ROLES) and not covers(by, unit.path, STAFF_ROLES):
        raise RuleError("该单位不在您的管理范围内")
    report = Report.objects.create(
        channel=channel,
        is_anonymous=data.anonymous,
        subject_kind=data.subject_kind,
        subject_name=data.subject_name or (cadre.name if cadre else ""),
        subject_post=data.subject_post,
        subject_unit=unit,
        subject_cadre=cadre,
        handling_unit=handling,
        problem_kind=data.problem_kind,
        title=data.title,
        body=data.body,
        received_on=received_on,
        accept_due_on=received_on + timedelta(days=rule_value(rules.REPORT_ACCEPT_DAYS.key)),
        recorded_by=by,
    )
    intake._attach(report, data.contact, files or [])
    record_event(actor=by, action="report_recorded", obj=report, detail={"channel": channel})
    return report


# ---- report handling ---------------------------------------------------------------------


def _lock_report(report: Report, target: str) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    rules.check_transition("report", rules.REPORT_TRANSITIONS, locked.status, target)
    return locked


@transaction.atomic
def accept_report(*, report: Report, by: Any, summary: str = "") -> Clue:
    """受理: the report becomes a problem clue, due for disposal in working days."""
    locked = _lock_report(report, ReportStatus.ACCEPTED)
    today = timezone.localdate()
    clue = Clue.objects.create(
        source=ClueSource.REPORT,
        report=locked,
        subject_cadre=locked.subject_cadre,
        subject_name=locked.subject_name,
        subject_unit=locked.subject_unit,
        handling_unit=locked.handling_unit,
        problem_kind=locked.problem_kind,
        summary=rules.clean_text(summary or locked.title, field="线索摘要", max_len=rules.MAX_BODY),
        received_on=today,
        **_working_due(today, rules.CLUE_DISPOSAL_WORKING_DAYS.key),
    )
    locked.status = ReportStatus.ACCEPTED
    locked.version += 1
    locked.save(update_fields=["status", "version"])
    record_event(actor=by, action="report_accepted", obj=locked, detail={"clue": clue.pk})
    return clue


@transaction.atomic
def reject_report(*, report: Report, by: Any, reason: str) -> Report:
    text = rules.clean_text(reason, field="不予受理理由", max_len=rules.MAX_MESSAGE)
    locked = _lock_report(report, ReportStatus.REJECTED)
    locked.status = ReportStatus.REJECTED
    locked.result_text = text
    locked.closed_on = timezone.localdate()
    locked.version += 1
    locked.save(update_fields=["status", "result_text", "closed_on", "version"])
    record_event(actor=by, action="report_rejected", obj=locked)
    return locked


@transaction.atomic
def close_report(*, report: Report, by: Any, result: str) -> Report:
    """办结告知: only once its clue is closed; the result is what the reporter reads."""
    text = rules.clean_text(result, field="办理结果", max_len=rules.MAX_MESSAGE)
    locked = _lock_report(report, ReportStatus.CLOSED)
    clue = Clue.objects.filter(report=locked).first()
    if clue is None or clue.status != ClueStatus.CLOSED:
        raise RuleError("线索尚未了结，不能向举报人告知办结")
    locked.status = ReportStatus.CLOSED
    locked.result_text = text
    locked.closed_on = timezone.localdate()
    locked.version += 1
    locked.save(update_fields=["status", "result_text", "closed_on", "version"])
    record_event(actor=by, action="report_closed", obj=locked)
    return locked


@transaction.atomic
def reply_to_reporter(*, report: Report, by: Any, body: str) -> ReportMessage:
    text = rules.clean_text(body, field="答复内容", max_len=rules.MAX_MESSAGE)
    message = ReportMessage.objects.create(
        report=report,
        direction=Direction.TO_REPORTER,
        body=text,
        sent_on=timezone.localdate(),
        author=by,
    )
    record_event(actor=by, action="reporter_reply", obj=message)
    return message


@transaction.atomic
def reveal_contact(*, report: Report, by: Any, reason: str, request: Any = None) -> str:
    """The reporter's contact, for the discipline role only, with a stated reason, audited
    (TRUST.md AN-06). The caller reached `report` through the scoped accessor."""
    if not has_role(by, "discipline"):
        raise RuleError("只有纪检监察人员可以查看举报人联系方式")
    text = rules.clean_text(reason, field="查看理由", max_len=200)
    if len(text) < 5:
        raise RuleError("请说明查看举报人联系方式的理由（至少5个字）")
    contact = ReporterContact.objects.filter(report=report).first()
    if contact is None:
        raise RuleError("该举报为匿名举报，没有联系方式")
    record_event(
        actor=by,
        action="reporter_contact_read",
        obj=report,
        request=request,
        detail={"reason": text},
    )
    return crypto.decrypt("CADRE_CONTACT_KEY", contact.ciphertext).decode()


def download_attachment(*, attachment: ReportAttachment, by: Any, request: Any) -> bytes:
    record_event(actor=by, action="attachment_download", obj=attachment, request=request)
    return uploads.read(attachment.stored_name)


# ---- clues -------------------------------------------------------------------------------


def _lock_clue(clue: Clue, target: str) -> Clue:
    locked = Clue.objects.select_for_update().get(pk=clue.pk)
    rules.check_transition("clue", rules.CLUE_TRANSITIONS, locked.status, target)
    return locked


def _save_clue(clue: Clue, fields: list[str]) -> None:
    clue.version += 1
    clue.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def propose_disposal(*, clue: Clue, by: Any, disposal: str, reason: str) -> Clue:
    rules.check_proposal(disposal, roles_of(by, superuser_as=STAFF_ROLES), reason)
    locked = _lock_clue(clue, ClueStatus.PROPOSED)
    locked.status = ClueStatus.PROPOSED
    locked.disposal = disposal
    locked.disposal_reason = reason.strip()
    locked.approval_level = rules.approval_level(
        disposal, intake.is_main_leader(locked.subject_cadre)
    )
    locked.proposed_by = by
    locked.proposed_on = timezone.localdate()
    locked.approved_by = None
    locked.approved_on = None
    _save_clue(
        locked,
        [
            "status",
            "disposal",
            "disposal_reason",
            "approval_level",
            "proposed_by",
            "proposed_on",
            "approved_by",
            "approved_on",
        ],
    )
    record_event(
        actor=by, action="clue_disposal_proposed", obj=locked, detail={"disposal": disposal}
    )
    return locked


@transaction.atomic
def decide_disposal(*, clue: Clue, by: Any, approve: bool, note: str = "") -> Clue:
    """审批: approval carries the clue into the chosen way; refusal sends it back."""
    locked = Clue.objects.select_for_update().get(pk=clue.pk)
    if locked.status != ClueStatus.PROPOSED:
        raise RuleError("该线索没有待审批的处置意见（可能已被他人审批）")
    rules.check_approval(
        disposal=locked.disposal,
        level=locked.approval_level,
        approver_roles=roles_of(by, superuser_as=STAFF_ROLES),
        approver_is_proposer=locked.proposed_by_id == by.pk,
        approver_above_subject=covers(
            by, locked.subject_unit.path, {"discipline"}, strictly_above=True
        ),
        approver_is_committee_head=by.get_username()
        in (rule_value(rules.COMMITTEE_HEADS.key) or []),
    )
    if not approve:
        locked.status = ClueStatus.PENDING
        _save_clue(locked, ["status"])
        record_event(actor=by, action="clue_disposal_refused", obj=locked, detail={"note": note})
        return locked
    target = rules.DISPOSAL_TARGET[locked.disposal]
    locked.status = target
    locked.approved_by = by
    locked.approved_on = timezone.localdate()
    fields = ["status", "approved_by", "approved_on"]
    if target == ClueStatus.CLOSED:
        locked.concluded_on = locked.approved_on
        locked.conclusion = locked.disposal_reason
        fields += ["concluded_on", "conclusion"]
    _save_clue(locked, fields)
    if target == ClueStatus.VERIFYING:
        _open_case(locked, by)
    record_event(
        actor=by, action="clue_disposal_approved", obj=locked, detail={"disposal": locked.disposal}
    )
    return locked


def _open_case(clue: Clue, by: Any) -> Case:
    case = Case.objects.create(
        clue=clue,
        handling_unit=clue.handling_unit,
        title=f"关于{clue.subject_name or clue.subject_unit.name}问题的初步核实",
        opened_on=timezone.localdate(),
    )
    if clue.subject_cadre_id or clue.source == ClueSource.REPORT:
        CaseSubject.objects.create(
            case=case,
            cadre=clue.subject_cadre,
            unit=None if clue.subject_cadre_id else clue.subject_unit,
        )
    record_event(actor=by, action="case_opened", obj=case, detail={"clue": clue.pk})
    return case


@transaction.atomic
def reopen_clue(*, clue: Clue, by: Any, reason: str) -> Clue:
    """暂存待查 → 待处置 when new facts arrive; or 谈话函询 → 待处置 for verification."""
    text = rules.clean_text(reason, field="理由", max_len=rules.MAX_MESSAGE)
    locked = _lock_clue(clue, ClueStatus.PENDING)
    if locked.status == ClueStatus.PROPOSED:
        raise RuleError("该线索的处置意见正在审批中")
    locked.status = ClueStatus.PENDING
    locked.disposal = ""
    due = _working_due(timezone.localdate(), rules.CLUE_DISPOSAL_WORKING_DAYS.key)
    for name, value in due.items():
        setattr(locked, name, value)
    _save_clue(locked, ["status", "disposal", *due])
    record_event(actor=by, action="clue_reopened", obj=locked, detail={"reason": text})
    return locked


@transaction.atomic
def conclude_clue(*, clue: Clue, by: Any, conclusion: str) -> Clue:
    """了结 after a talk or inquiry (the accountability app calls this on its outcome)."""
    text = rules.clean_text(conclusion, field="了结情况", max_len=rules.MAX_BODY)
    locked = _lock_clue(clue, ClueStatus.CLOSED)
    if locked.status == ClueStatus.VERIFYING:
        raise RuleError("初步核实中的线索随案件办结而了结")
    locked.status = ClueStatus.CLOSED
    locked.concluded_on = timezone.localdate()
    locked.conclusion = text
    _save_clue(locked, ["status", "concluded_on", "conclusion"])
    record_event(actor=by, action="clue_concluded", obj=locked)
    return locked


# ---- cases -------------------------------------------------------------------------------


def _open_case_locked(case: Case) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED:
        raise RuleError("案件已办结，不能再修改；如需更正请另行立项")
    return locked


@transaction.atomic
def add_case_subject(
    *, case: Case, by: Any, cadre: Cadre | None, unit: OrgUnit | None, responsibility: str
) -> CaseSubject:
    locked = _open_case_locked(case)
    if cadre is None and unit is None:
        raise RuleError("请选择当事干部或单位")
    subject = CaseSubject.objects.create(
        case=locked, cadre=cadre, unit=unit, responsibility=responsibility
    )
    record_event(actor=by, action="case_subject_added", obj=subject)
    return subject


@transaction.atomic
def add_case_fact(*, case: Case, by: Any, text: str, established: bool) -> CaseFact:
    locked = _open_case_locked(case)
    body = rules.clean_text(text, field="事实", max_len=rules.MAX_BODY)
    fact = CaseFact.objects.create(case=locked, text=body, established=established, author=by)
    record_event(actor=by, action="case_fact_added", obj=fact)
    return fact


@transaction.atomic
def add_case_evidence(
    *,
    case: Case,
    by: Any,
    kind: str,
    description: str,
    attachment: ReportAttachment | None = None,
) -> CaseEvidence:
    locked = _open_case_locked(case)
    text = rules.clean_text(description, field="证据说明", max_len=rules.MAX_BODY)
    if attachment is not None and attachment.report_id != getattr(locked.clue, "report_id", 0):
        raise RuleError("只能引用本案来源举报的附件")
    evidence = CaseEvidence.objects.create(
        case=locked, kind=kind, description=text, attachment=attachment, author=by
    )
    record_event(actor=by, action="case_evidence_added", obj=evidence)
    return evidence


@transaction.atomic
def file_case(*, case: Case, by: Any) -> Case:
    """立案审查调查: after the preliminary verification established facts, the case is filed
    for formal investigation. Its cadre subjects count as under investigation until the case
    is closed (the annual assessment makes them 不定等次 without anyone ticking it)."""
    locked = _open_case_locked(case)
    if locked.filed_on is not None:
        raise RuleError(f"该案件已于{locked.filed_on:%Y-%m-%d}立案审查调查")
    if not CaseFact.objects.filter(case=locked, established=True).exists():
        raise RuleError("尚未记录经核实属实的事实，不能立案审查调查")
    locked.filed_on = timezone.localdate()
    locked.version += 1
    locked.save(update_fields=["filed_on", "version", "updated_at"])
    record_event(
        actor=by, action="case_filed", obj=locked, detail={"filed_on": locked.filed_on.isoformat()}
    )
    return locked


@transaction.atomic
def add_case_note(*, case: Case, by: Any, text: str) -> CaseNote:
    body = rules.clean_text(text, field="备注", max_len=rules.MAX_BODY)
    note = CaseNote.objects.create(case=case, text=body, author=by)
    record_event(actor=by, action="case_note_added", obj=note)
    return note


@transaction.atomic
def advance_case(
    *, case: Case, by: Any, target: str, conclusion: str = "", conclusion_text: str = ""
) -> Case:
    """核查中 → 审理中 (needs a fact) → 已办结 (needs a conclusion); 审理 may return to 核查."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    rules.check_transition("case", rules.CASE_TRANSITIONS, locked.status, target)
    if target == CaseStatus.REVIEWING and not CaseFact.objects.filter(case=locked).exists():
        raise RuleError("尚未记录任何核查事实，不能移送审理")
    fields = ["status"]
    if target == CaseStatus.CLOSED:
        if conclusion not in CaseConclusion.values:  # Case.conclusion's choices
            raise RuleError("请选择核查结论")
        locked.conclusion = conclusion
        locked.conclusion_text = rules.clean_text(
            conclusion_text, field="结论说明", max_len=rules.MAX_BODY
        )
        locked.closed_on = timezone.localdate()
        fields += ["conclusion", "conclusion_text", "closed_on"]
    locked.status = target
    locked.version += 1
    locked.save(update_fields=[*fields, "version", "updated_at"])
    if target == CaseStatus.CLOSED:
        clue = Clue.objects.select_for_update().get(pk=locked.clue_id)
        clue.status = ClueStatus.CLOSED
        clue.concluded_on = locked.closed_on
        clue.conclusion = locked.conclusion_text
        _save_clue(clue, ["status", "concluded_on", "conclusion"])
    record_event(actor=by, action="case_advanced", obj=locked, detail={"to": target})
    return locked


# ---- inspections (明察暗访) ----------------------------------------------------------------


@transaction.atomic
def create_inspection(
    *,
    by: Any,
    org_unit: OrgUnit,
    title: str,
    mode: str,
    conducted_on: date,
    team: str = "",
    summary: str = "",
) -> Inspection:
    if not covers(by, org_unit.path, STAFF_ROLES):
        raise RuleError("该单位不在您的管理范围内")
    if conducted_on > timezone.localdate():
        raise RuleError("检查日期不能晚于今天")
    inspection = Inspection.objects.create(
        org_unit=org_unit,
        title=rules.clean_text(title, field="检查名称", max_len=100),
        mode=mode,
        conducted_on=conducted_on,
        team=rules.clean_text(team, field="检查组成员", max_len=200, required=False),
        summary=rules.clean_text(summary, field="检查概况", max_len=rules.MAX_BODY, required=False),
        created_by=by,
    )
    record_event(actor=by, action="inspection_created", obj=inspection)
    return inspection


@transaction.atomic
def record_finding(
    *,
    inspection: Inspection,
    by: Any,
    subject_unit: OrgUnit,
    subject_cadre: Cadre | None,
    problem_kind: str,
    description: str,
    open_clue: bool = True,
) -> InspectionFinding:
    """A finding; by default it opens a clue that is disposed of like any other."""
    if not subject_unit.path.startswith(inspection.org_unit.path):
        raise RuleError("被检查单位不在本次检查的组织单位范围内")
    if subject_cadre is not None and not subject_cadre.org_unit.path.startswith(subject_unit.path):
        raise RuleError("所选干部不在被检查单位")
    text = rules.clean_text(description, field="发现问题", max_len=rules.MAX_BODY)
    clue = None
    if open_clue:
        today = timezone.localdate()
        clue = Clue.objects.create(
            source=ClueSource.INSPECTION,
            subject_cadre=subject_cadre,
            subject_name=subject_cadre.name if subject_cadre else "",
            subject_unit=subject_unit,
            handling_unit=inspection.org_unit,
            problem_kind=problem_kind,
            summary=f"{inspection.title}：{text}",
            received_on=today,
            **_working_due(today, rules.CLUE_DISPOSAL_WORKING_DAYS.key),
        )
    finding = InspectionFinding.objects.create(
        inspection=inspection,
        subject_unit=subject_unit,
        subject_cadre=subject_cadre,
        subject_name=subject_cadre.name if subject_cadre else "",
        problem_kind=problem_kind,
        description=text,
        clue=clue,
    )
    record_event(
        actor=by,
        action="inspection_finding",
        obj=finding,
        detail={"clue": clue.pk if clue else None},
    )
    return finding
