"""Weekly review marks (one or many weeks at once) and review delegation."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cadre.accounts.access import is_staff
from cadre.accounts.models import User
from cadre.audit.services import record_event
from cadre.cadres.models import Cadre
from cadre.orgs.models import OrgUnit
from cadre.worklogs import access, rules
from cadre.worklogs.models import LogStatus, ReviewerDelegation, WeekReview, WorkLog
from cadre.worklogs.rules import Refused
from cadre.worklogs.services.common import OutOfScope, audit_denial, check_version, setting

MAX_COMMENT = 500
MAX_BATCH_WEEKS = 500


def mark_weeks(
    *,
    by: Any,
    weeks: Sequence[tuple[int, date]],
    mark: Any = None,
    score: Any = None,
    comment: Any = "",
    versions: dict[tuple[int, date], int] | None = None,
    request: Any = None,
) -> list[WeekReview]:
    """Marks each (cadre, week) with the same mark and comment; the week's submitted logs
    become reviewed (immutable). All or nothing: one week out of scope refuses the batch
    (and the attempt is audited)."""
    try:
        return _mark_weeks(
            by=by,
            weeks=weeks,
            mark=mark,
            score=score,
            comment=comment,
            versions=versions,
            request=request,
        )
    except OutOfScope as exc:
        audit_denial(exc, by=by, request=request)
        raise


@transaction.atomic
def _mark_weeks(
    *,
    by: Any,
    weeks: Sequence[tuple[int, date]],
    mark: Any,
    score: Any,
    comment: Any,
    versions: dict[tuple[int, date], int] | None,
    request: Any,
) -> list[WeekReview]:
    mark, score = rules.clean_mark(str(setting(rules.REVIEW_SCALE)), mark, score)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise Refused(f"评语不能超过{MAX_COMMENT}字")
    keys = _clean_weeks(weeks)
    logs = _logs_to_review(by=by, keys=keys)
    now = timezone.now()
    reviews = _upsert_reviews(
        by=by,
        keys=keys,
        logs=logs,
        mark=mark,
        score=score,
        comment=comment,
        versions=versions or {},
        now=now,
    )
    log_ids = [
        log_id
        for week in logs.values()
        for log_id, _, status in week
        if status == LogStatus.SUBMITTED
    ]
    WorkLog.objects.filter(pk__in=log_ids, status=LogStatus.SUBMITTED).update(
        status=LogStatus.REVIEWED, reviewed_at=now, version=F("version") + 1, updated_at=now
    )
    for review in reviews:
        record_event(
            actor=by,
            action="week_reviewed",
            obj=review,
            request=request,
            detail={"week": review.week_start.isoformat(), "mark": review.mark_display},
        )
    return reviews


def _clean_weeks(weeks: Sequence[tuple[int, date]]) -> list[tuple[int, date]]:
    keys = list(dict.fromkeys((int(c), w) for c, w in weeks))
    if not keys:
        raise Refused("请选择要评价的周")
    if len(keys) > MAX_BATCH_WEEKS:
        raise Refused(f"每次最多评价{MAX_BATCH_WEEKS}个周")
    if any(w.weekday() != 0 for _, w in keys):
        raise Refused("周起始日须为星期一")
    return keys


def _logs_to_review(
    *, by: Any, keys: list[tuple[int, date]]
) -> dict[tuple[int, date], list[tuple[int, int, str]]]:
    """(cadre, week) → [(log id, unit id, status)] of handed-in logs the reviewer may mark."""
    cadre_ids = {c for c, _ in keys}
    first, last = min(w for _, w in keys), max(w for _, w in keys) + timedelta(days=6)
    rows = (
        WorkLog.objects.visible_to(by, write=True)
        .handed_in()
        .filter(cadre_id__in=cadre_ids, day__gte=first, day__lte=last)
        .values_list("id", "cadre_id", "day", "org_unit_id", "status")
    )
    found: dict[tuple[int, date], list[tuple[int, int, str]]] = defaultdict(list)
    for log_id, cadre_id, day, unit_id, status in rows:
        key = (cadre_id, rules.week_start(day))
        if key in keys:
            found[key].append((log_id, unit_id, status))
    _check_coverage(by=by, keys=keys, found=found)
    return found


def _check_coverage(*, by: Any, keys: list[tuple[int, date]], found: dict) -> None:
    cadres = {
        c.pk: c
        for c in Cadre.objects.filter(pk__in={c for c, _ in keys}).select_related("org_unit")
    }
    paths = access.reviewer_paths(by)
    for cadre_id, week in keys:
        cadre = cadres.get(cadre_id)
        if (cadre_id, week) not in found:
            if cadre is None or not access.within(paths, cadre.org_unit.path):
                raise OutOfScope(
                    "所选的周不在您的审阅范围内",
                    denied=(Cadre, cadre_id) if cadre is not None else None,
                )
            raise Refused(f"{cadre.name}{rules.fmt_day(week)}起的一周没有已提交的日志，无需评价")
        if cadre is not None and by.cadre_id == cadre_id:
            raise Refused("不能审阅本人的日志")


def _upsert_reviews(
    *,
    by: Any,
    keys: list[tuple[int, date]],
    logs: dict,
    mark: str,
    score: int | None,
    comment: str,
    versions: dict[tuple[int, date], int],
    now: Any,
) -> list[WeekReview]:
    cadre_ids = {c for c, _ in keys}
    existing = {
        (r.cadre_id, r.week_start): r
        for r in WeekReview.objects.select_for_update().filter(
            cadre_id__in=cadre_ids, week_start__in={w for _, w in keys}
        )
    }
    fresh: list[WeekReview] = []
    for key in keys:
        review = existing.get(key)
        if review is None:
            check_version(0, versions.get(key))
            review = WeekReview(cadre_id=key[0], week_start=key[1], org_unit_id=logs[key][0][1])
            fresh.append(review)
        else:
            check_version(review.version, versions.get(key))
            review.version += 1
        review.mark, review.score, review.comment = mark, score, comment
        review.reviewer, review.reviewed_at, review.updated_at = by, now, now
    changed = [existing[k] for k in keys if k in existing]
    WeekReview.objects.bulk_update(
        changed, ["mark", "score", "comment", "reviewer", "reviewed_at", "version", "updated_at"]
    )
    WeekReview.objects.bulk_create(fresh)
    by_key = {(r.cadre_id, r.week_start): r for r in [*changed, *fresh]}
    return [by_key[k] for k in keys]


# ---------------------------------------------------------------- delegation


@transaction.atomic
def delegate_review(
    *,
    by: Any,
    unit: OrgUnit,
    delegate: str,
    starts_on: date,
    ends_on: date | None,
    note: str = "",
    request: Any = None,
) -> ReviewerDelegation:
    """A unit head lets a staff member (by username) review the unit's logs, not confirm
    grades."""
    if not access.within(access.head_paths(by), unit.path):
        raise OutOfScope()  # the unit itself came through get_object_for_user (read scope)
    account = User.objects.filter(username=(delegate or "").strip(), is_active=True).first()
    if account is None:
        raise Refused("未找到受托人账号")
    if account.pk == by.pk:
        raise Refused("不能委托给本人")
    if not is_staff(account):
        # Staff accounts must pass TOTP (TRUST.md AU-01); a plain cadre account does not.
        raise Refused("被委托人须为已开通双因素认证的工作人员账号")
    if ends_on is not None and ends_on < starts_on:
        raise Refused("截止日期不能早于起始日期")
    delegation = ReviewerDelegation.objects.create(
        org_unit=unit,
        delegate=account,
        granted_by=by,
        starts_on=starts_on,
        ends_on=ends_on,
        note=(note or "").strip()[:200],
    )
    record_event(
        actor=by,
        action="review_delegated",
        obj=delegation,
        request=request,
        detail={"delegate": account.get_username(), "unit": unit.pk},
    )
    return delegation


@transaction.atomic
def revoke_delegation(
    *, by: Any, delegation: ReviewerDelegation, request: Any = None
) -> ReviewerDelegation:
    locked = ReviewerDelegation.objects.select_for_update().get(pk=delegation.pk)
    if locked.revoked_at is not None:
        raise Refused("该委托已撤销")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at", "updated_at"])
    record_event(actor=by, action="review_delegation_revoked", obj=locked, request=request)
    return locked
