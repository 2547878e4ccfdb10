"""Anonymous and named intake from the public, and follow-up by receipt (TRUST.md C).

Nothing here receives the request: the public views pass only the form values, so no
address, user agent or cookie can reach the database or the audit log. The audit event of a
submission has no actor, no route and no address (record_event with request=None).
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.audit.services import record_event
from cadre.cadres.models import Cadre, TeamMembership, TeamRole
from cadre.core.rulebook import rule_value
from cadre.orgs.models import OrgUnit, UnitKind
from cadre.supervision import crypto, rules, uploads
from cadre.supervision.models import (
    Channel,
    Direction,
    ProblemKind,
    Report,
    ReportAttachment,
    ReporterContact,
    ReportMessage,
    ReportStatus,
    SubjectKind,
)
from cadre.supervision.rules import RuleError


def _hasher() -> PasswordHasher:
    """Argon2id with argon2-cffi's RFC 9106 low-memory defaults (64 MiB, t=3), unless
    settings.CADRE_RECEIPT_ARGON2 gives other parameters (the tests use cheap ones)."""
    params = getattr(settings, "CADRE_RECEIPT_ARGON2", None) or {}
    return _hasher_for(tuple(sorted(params.items())))


@lru_cache(maxsize=4)
def _hasher_for(params: tuple[tuple[str, int], ...]) -> PasswordHasher:
    # Only argon2's integer parameters (time_cost, memory_cost, ...) are ever configured.
    return PasswordHasher(**dict(params))  # type: ignore[arg-type]


@dataclass(frozen=True)
class IntakeData:
    subject_unit_id: int | None
    subject_kind: str
    subject_name: str
    subject_post: str
    problem_kind: str
    title: str
    body: str
    anonymous: bool
    contact: str = ""


def public_units() -> list[OrgUnit]:
    """Units a member of the public may name (names of organs are public information)."""
    return list(
        OrgUnit.objects.active()
        .exclude(kind=UnitKind.INTERNAL)
        .only("id", "name", "depth")
        .order_by("path")
    )


def _clean(data: IntakeData) -> IntakeData:
    if data.subject_kind not in SubjectKind.values:
        raise RuleError("请选择反映对象类型")
    if data.problem_kind not in ProblemKind.values:
        raise RuleError("请选择问题类别")
    name = rules.clean_text(
        data.subject_name,
        field="被反映人姓名",
        max_len=30,
        required=data.subject_kind == SubjectKind.CADRE,
    )
    contact = rules.clean_text(
        data.contact, field="联系方式", max_len=rules.MAX_CONTACT, required=not data.anonymous
    )
    if data.anonymous and contact:
        raise RuleError("匿名举报请不要填写姓名和联系方式；如需留下联系方式，请选择实名举报")
    return IntakeData(
        subject_unit_id=data.subject_unit_id,
        subject_kind=data.subject_kind,
        subject_name=name,
        subject_post=rules.clean_text(
            data.subject_post, field="被反映人职务", max_len=60, required=False
        ),
        problem_kind=data.problem_kind,
        title=rules.clean_text(data.title, field="标题", max_len=rules.MAX_TITLE),
        body=rules.clean_text(data.body, field="反映内容", max_len=rules.MAX_BODY),
        anonymous=data.anonymous,
        contact=contact,
    )


def _subject_unit(unit_id: int | None) -> OrgUnit:
    unit = (
        OrgUnit.objects.active().exclude(kind=UnitKind.INTERNAL).filter(pk=unit_id).first()
        if isinstance(unit_id, int)
        else None
    )
    if unit is None:
        raise RuleError("请从列表中选择被反映的单位")
    return unit


def match_subject(unit: OrgUnit, name: str) -> Cadre | None:
    """Links the report to a registry record when the name is unique in that unit."""
    if not name:
        return None
    found = list(Cadre.objects.active().filter(org_unit=unit, name=name)[:2])
    return found[0] if len(found) == 1 else None


def is_main_leader(cadre: Cadre | None) -> bool:
    if cadre is None:
        return False
    return TeamMembership.objects.filter(
        cadre=cadre, role=TeamRole.HEAD, ended_on__isnull=True
    ).exists()


def route(unit: OrgUnit, cadre: Cadre | None, subject_kind: str) -> int:
    return rules.handling_unit_id(
        subject_unit_id=unit.pk,
        subject_unit_parent_id=unit.parent_id,
        about_main_leader=is_main_leader(cadre),
        about_unit=subject_kind == SubjectKind.UNIT,
    )


def _new_receipt_fields() -> tuple[str, dict[str, str]]:
    for _ in range(10):
        code = rules.new_receipt()
        locator, secret = rules.split_receipt(code)
        lookup = crypto.keyed_hash("receipt-locator", locator)
        if not Report.objects.filter(receipt_lookup=lookup).exists():
            return code, {"receipt_lookup": lookup, "receipt_hash": _hasher().hash(secret)}
    raise RuntimeError("could not draw a free receipt locator")  # pragma: no cover


@transaction.atomic
def submit_public_report(
    *, data: IntakeData, files: list[uploads.CheckedFile], submission_key: str
) -> tuple[Report, str]:
    """Files a report from the public; returns it with the receipt code (shown once).

    `submission_key` (an HMAC of the form's one-time nonce) makes a double submit file one
    report only (TRUST.md CC-03)."""
    data = _clean(data)
    unit = _subject_unit(data.subject_unit_id)
    key = crypto.keyed_hash("submission", submission_key)
    if Report.objects.filter(submission_key=key).exists():
        raise RuleError("该举报已经提交，请勿重复提交；请使用首次提交时显示的回执码查询")
    cadre = match_subject(unit, data.subject_name) if data.subject_kind == "cadre" else None
    today = timezone.localdate()
    code, receipt = _new_receipt_fields()
    try:
        with transaction.atomic():
            report = Report.objects.create(
                channel=Channel.ONLINE,
                is_anonymous=data.anonymous,
                subject_kind=data.subject_kind,
                subject_name=data.subject_name,
                subject_post=data.subject_post,
                subject_unit=unit,
                subject_cadre=cadre,
                handling_unit_id=route(unit, cadre, data.subject_kind),
                problem_kind=data.problem_kind,
                title=data.title,
                body=data.body,
                received_on=today,
                accept_due_on=today + timedelta(days=rule_value(rules.REPORT_ACCEPT_DAYS.key)),
                submission_key=key,
                **receipt,
            )
    except IntegrityError as exc:  # the same form submitted twice at the same moment
        raise RuleError("该举报已经提交，请勿重复提交") from exc
    _attach(report, data.contact, files)
    record_event(
        actor=None,
        action="report_received",
        object_type="supervision.report",
        object_id=report.pk,
        request=None,
        detail={"channel": Channel.ONLINE},
    )
    return report, rules.format_receipt(code)


def _attach(report: Report, contact: str, files: list[uploads.CheckedFile]) -> None:
    if contact:
        ReporterContact.objects.create(
            report=report, ciphertext=crypto.encrypt("CADRE_CONTACT_KEY", contact.encode())
        )
    for checked in files:
        ReportAttachment.objects.create(report=report, **uploads.store(checked))


def _dummy_hash() -> str:
    return _dummy_for(_hasher())


@lru_cache(maxsize=4)
def _dummy_for(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_hex(10))


def _verify(stored: str, secret: str) -> bool:
    try:
        return _hasher().verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False


def find_by_receipt(text: str) -> tuple[Report | None, str | None]:
    """The report and canonical code for a receipt, or (None, None).

    Wrong format, unknown locator and wrong secret all cost one Argon2 verification, so
    their timing does not tell them apart (TRUST.md AN-03)."""
    code = rules.normalise_receipt(text)
    if code is None:
        _verify(_dummy_hash(), "x")
        return None, None
    locator, secret = rules.split_receipt(code)
    lookup = crypto.keyed_hash("receipt-locator", locator)
    report = Report.objects.filter(receipt_lookup=lookup).first()
    if report is None:
        _verify(_dummy_hash(), secret)
        return None, None
    return (report, code) if _verify(report.receipt_hash, secret) else (None, None)


@dataclass(frozen=True)
class PublicStatus:
    number: str
    status: str
    status_label: str
    received_on: str
    result: str
    messages: list[dict[str, str]]
    can_reply: bool


REPORTER_LABELS = {
    ReportStatus.NEW: "已收到，等待受理",
    ReportStatus.ACCEPTED: "已受理，正在办理",
    ReportStatus.REJECTED: "不予受理",
    ReportStatus.CLOSED: "已办结",
}


def public_status(report: Report) -> PublicStatus:
    """What the reporter sees: status, result and the messages; never internal notes."""
    messages = [
        {"direction": m.get_direction_display(), "body": m.body, "sent_on": m.sent_on.isoformat()}
        for m in ReportMessage.objects.filter(report=report).order_by("id")
    ]
    return PublicStatus(
        number=report.number,
        status=report.status,
        status_label=REPORTER_LABELS[ReportStatus(report.status)],
        received_on=report.received_on.isoformat(),
        result=report.result_text,
        messages=messages,
        can_reply=report.status in (ReportStatus.NEW, ReportStatus.ACCEPTED),
    )


@transaction.atomic
def add_reporter_message(*, report: Report, code: str, body: str) -> ReportMessage:
    text = rules.clean_text(body, field="留言内容", max_len=rules.MAX_MESSAGE)
    if rules.contains_receipt(text, code):
        raise RuleError("留言中包含您的回执码。回执码只能自己保存，请删除后再发送")
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status not in (ReportStatus.NEW, ReportStatus.ACCEPTED):
        raise RuleError("该举报已办结或不予受理，不能继续留言")
    message = ReportMessage.objects.create(
        report=locked,
        direction=Direction.FROM_REPORTER,
        body=text,
        sent_on=timezone.localdate(),
    )
    record_event(
        actor=None,
        action="reporter_message",
        object_type="supervision.reportmessage",
        object_id=message.pk,
        request=None,
    )
    return message
