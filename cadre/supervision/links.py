"""Linking a report or clue to the cadre it is about (and unlinking it), by discipline staff.

At intake a report is linked only when the name is unique in the chosen unit
(intake.match_subject). Staff link the rest by hand: the cadre is found by name among the
cadres the staff member may see (`Cadre.objects.visible_to`), never one they are or lead
(conflicts.conflicted_with). A report and the clue it became describe the same person, so
both move together. Nothing is deleted: unlinking empties the link again, and both actions
are audited with their reason. Once linked, the clue, its case and the case's measures
appear on the cadre's accountability archive.
"""

from typing import Any

from django.db import transaction

from cadre.accounts.access import covers
from cadre.audit.services import record_event
from cadre.cadres.models import Cadre
from cadre.supervision import conflicts, rules
from cadre.supervision.models import Clue, Report
from cadre.supervision.rules import RuleError

SEARCH_LIMIT = 20
ONLY_DISCIPLINE = "只有对承办单位有管辖权的纪检监察人员可以关联或解除关联被反映干部"
CONFLICTED = (
    "您是该干部本人或其领导，应当回避，不能将举报或线索关联到该干部（检举控告工作规则 第四十七条）"
)


def candidates(user: Any, text: str) -> list[Cadre]:
    """Cadres whose name contains `text`, among those the user may see, leaving out those
    the user is or leads (they could not handle the report once linked)."""
    text = (text or "").strip()[:30]
    if not text:
        return []
    found = (
        Cadre.objects.visible_to(user)
        .search(text)
        .select_related("org_unit")
        .order_by("org_unit__path", "name", "id")[:SEARCH_LIMIT]
    )
    return [c for c in found if not conflicts.conflicted_with(user, c)]


def may_link(user: Any, handling_unit: Any) -> bool:
    """Discipline staff whose grant covers the handling unit (organisation staff read the
    report but do not decide whom it is about)."""
    return covers(user, handling_unit.path, {"discipline"})


def _may_link(user: Any, handling_unit: Any) -> None:
    if not may_link(user, handling_unit):
        raise RuleError(ONLY_DISCIPLINE)


def _locked(
    report: Report | None, clue: Clue | None
) -> tuple[Report | Clue, Report | None, Clue | None]:
    """The record acted on, and the report and its clue (either given) locked, so that both
    change together."""
    if clue is not None:
        clue = Clue.objects.select_for_update().get(pk=clue.pk)
        report = Report.objects.select_for_update().filter(pk=clue.report_id).first()
        return clue, report, clue
    if report is None:
        raise RuleError("请指定举报或线索")
    report = Report.objects.select_for_update().get(pk=report.pk)
    clue = Clue.objects.select_for_update().filter(report=report).first()
    return report, report, clue


def _set(report: Report | None, clue: Clue | None, cadre: Cadre | None) -> None:
    if report is not None:
        report.subject_cadre = cadre
        report.version += 1
        report.save(update_fields=["subject_cadre", "version"])
    if clue is not None:
        clue.subject_cadre = cadre
        clue.version += 1
        clue.save(update_fields=["subject_cadre", "version", "updated_at"])


def _detail(report: Report | None, clue: Clue | None, cadre: Cadre, reason: str) -> dict[str, Any]:
    return {
        "cadre": cadre.pk,
        "report": report.pk if report else None,
        "clue": clue.pk if clue else None,
        "reason": reason,
    }


@transaction.atomic
def link_subject(
    *, by: Any, cadre: Cadre, reason: str, report: Report | None = None, clue: Clue | None = None
) -> Report | Clue:
    """Links the report (or clue) and its sibling to `cadre`; the caller reached the record
    and the cadre through the scoped accessors."""
    text = rules.clean_text(reason, field="关联理由", max_len=rules.MAX_MESSAGE)
    target, report, clue = _locked(report, clue)
    _may_link(by, target.handling_unit)
    if conflicts.conflicted_with(by, cadre):
        raise RuleError(CONFLICTED)
    current = target.subject_cadre_id
    if current == cadre.pk:
        raise RuleError(f"已关联到干部{cadre.name}，无需重复关联")
    if current is not None:
        raise RuleError("已关联到其他干部；如关联有误，请先说明理由解除关联，再重新关联")
    _set(report, clue, cadre)
    record_event(
        actor=by,
        action="supervision_subject_linked",
        obj=target,
        detail=_detail(report, clue, cadre, text),
    )
    return target


@transaction.atomic
def unlink_subject(
    *, by: Any, reason: str, report: Report | None = None, clue: Clue | None = None
) -> Report | Clue:
    """Empties the link again (the audit trail keeps who was linked, by whom and why)."""
    text = rules.clean_text(reason, field="解除关联理由", max_len=rules.MAX_MESSAGE)
    target, report, clue = _locked(report, clue)
    _may_link(by, target.handling_unit)
    current = target.subject_cadre
    if current is None:
        raise RuleError("尚未关联干部，无需解除关联")
    _set(report, clue, None)
    record_event(
        actor=by,
        action="supervision_subject_unlinked",
        obj=target,
        detail=_detail(report, clue, current, text),
    )
    return target
