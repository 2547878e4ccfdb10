"""Public disclosure (实绩公示公议): published for a set number of working days; anyone may
comment, named or anonymous, with no IP or user agent kept; every comment is answered in
writing before the cycle moves on; the page closes itself at the end of the period."""

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from cadre.assessments import rules
from cadre.assessments.models import Cycle, Disclosure, DisclosureComment, Participant
from cadre.assessments.services.common import (
    AssessmentError,
    ConflictError,
    clean_text,
    refuse_if,
)
from cadre.audit.services import record_event
from cadre.core.rulebook import rule_value
from cadre.workdays.services import UnknownYearError, due_after

PER_MINUTE = 60  # comments per disclosure per minute, counted without any client data


def open_disclosure(*, cycle: Cycle, by: Any) -> Disclosure:
    """Called when the cycle enters the disclosure phase: snapshot and dates."""
    today = timezone.localdate()
    days = int(rule_value(rules.DISCLOSURE_WORKING_DAYS.key))
    try:
        due = due_after(today, days)
    except UnknownYearError as exc:
        raise AssessmentError(str(exc), "公示期按工作日计算（工作日历）") from exc
    grades = set(rule_value(rules.DISCLOSURE_GRADES.key))
    entries = []
    # Never the reasons for 不定等次 (they may name an investigation): those are not shown.
    rows = (
        Participant.objects.filter(cycle=cycle, proposed_grade__in=grades)
        .select_related("cadre", "org_unit")
        .order_by("org_unit__path", "cadre__name")
    )
    for p in rows:
        entries.append(
            {
                "participant": p.pk,
                "name": p.cadre.name,
                "unit": p.org_unit.name,
                "title": p.title,
                "grade": rules.grade_label(p.proposed_grade),
                "summary": p.summary if cycle.disclose_summaries and p.is_leader else "",
            }
        )
    disclosure = Disclosure.objects.create(
        cycle=cycle,
        opens_on=today,
        closes_on=due.day,
        closes_on_provisional=due.provisional,
        entries=entries,
        published_by=by,
    )
    record_event(
        actor=by,
        action="assessment_disclosure_open",
        obj=disclosure,
        detail={
            "entries": len(entries),
            "closes_on": due.day.isoformat(),
            "provisional": due.provisional,
        },
    )
    return disclosure


def is_open(disclosure: Disclosure) -> bool:
    return rules.disclosure_is_open(timezone.localdate(), disclosure.opens_on, disclosure.closes_on)


def public_disclosures() -> Any:
    """Disclosures anyone may read: the open ones (a closed page shows only that it closed)."""
    today = timezone.localdate()
    return (
        Disclosure.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("cycle")
        .order_by("-opens_on", "-id")
    )


def public_disclosure(pk: int) -> Disclosure | None:
    return Disclosure.objects.select_related("cycle").filter(pk=pk).first()


def _throttled(disclosure: Disclosure) -> bool:
    key = f"assessments:disclosure:{disclosure.pk}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, 120)
    try:
        return cache.incr(key) > PER_MINUTE
    except ValueError:
        return False


@transaction.atomic
def submit_comment(
    *, disclosure: Disclosure, participant_id: int | None, name: str, contact: str, text: str
) -> DisclosureComment:
    """A public comment: the form values only, nothing about the client."""
    body = clean_text(text, "意见内容", max_len=2000, required=False)
    refuse_if(
        rules.check_disclosure_comment(
            timezone.localdate(), disclosure.opens_on, disclosure.closes_on, body
        )
    )
    allowed = {e["participant"] for e in disclosure.entries}
    if participant_id is not None and participant_id not in allowed:
        raise AssessmentError("所选干部不在本次公示名单中")
    if _throttled(disclosure):
        raise AssessmentError("提交过于频繁，请稍后再试")
    comment = DisclosureComment.objects.create(
        disclosure=disclosure,
        participant_id=participant_id,
        text=body,
        name=clean_text(name, "署名", max_len=30, required=False),
        contact=clean_text(contact, "联系方式", max_len=60, required=False),
        submitted_on=timezone.localdate(),
    )
    record_event(
        actor=None,
        action="assessment_disclosure_comment",
        obj=disclosure,
        detail={"comment": comment.pk},
    )
    return comment


@transaction.atomic
def answer_comment(
    *, comment: DisclosureComment, by: Any, text: str, version: int
) -> DisclosureComment:
    locked = DisclosureComment.objects.select_for_update().get(pk=comment.pk)
    if locked.version != version or locked.responded_on:
        raise ConflictError("该意见已由他人答复，请刷新页面后查看")
    locked.response_text = clean_text(text, "书面答复")
    locked.responded_by, locked.responded_on = by, timezone.localdate()
    locked.version += 1
    locked.save(update_fields=["response_text", "responded_by", "responded_on", "version"])
    record_event(actor=by, action="assessment_disclosure_answer", obj=locked)
    return locked
