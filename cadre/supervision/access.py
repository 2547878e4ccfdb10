"""Single-object access for supervision records: scope, then the conflict exclusion.

A user out of scope gets 404 (audited by get_object_for_user); a user in scope who is the
subject of the record or leads the subject also gets 404, audited here with the reason
(TRUST.md AC-06, G-AC2). Neither response says which.
"""

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from cadre.accounts.access import get_object_for_user
from cadre.audit.services import record_event

M = TypeVar("M", bound=Model)


def get_for_user(
    qs: QuerySet[M], user: Any, pk: Any, *, write: bool = False, request: Any = None
) -> M:
    obj = get_object_for_user(qs, user, pk, write=write, request=request)
    visible = qs.model.objects.visible_to(user, write=write)  # type: ignore[attr-defined]
    if not visible.filter(pk=obj.pk).exists():
        record_event(
            actor=user,
            action="authz_denied",
            obj=obj,
            request=request,
            detail={"reason": "conflict_of_interest"},
        )
        raise Http404("未找到该记录")
    return obj


def get_report(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> Any:
    from cadre.supervision.models import Report

    qs = Report.objects.select_related("subject_unit", "handling_unit", "subject_cadre")
    return get_for_user(qs, user, pk, write=write, request=request)


def get_clue(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> Any:
    from cadre.supervision.models import Clue

    qs = Clue.objects.select_related("subject_unit", "subject_cadre", "handling_unit", "report")
    return get_for_user(qs, user, pk, write=write, request=request)


def get_case(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> Any:
    from cadre.supervision.models import Case

    qs = Case.objects.select_related("clue", "clue__report", "handling_unit")
    return get_for_user(qs, user, pk, write=write, request=request)


def get_attachment(user: Any, pk: Any, *, request: Any = None) -> Any:
    """In scope, and its report passes the conflict check too."""
    from cadre.supervision.models import Report, ReportAttachment

    att = get_object_for_user(ReportAttachment.objects.all(), user, pk, request=request)
    get_for_user(Report.objects.all(), user, att.report_id, request=request)
    return att


def get_inspection(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> Any:
    from cadre.supervision.models import Inspection

    qs = Inspection.objects.select_related("org_unit")
    return get_object_for_user(qs, user, pk, write=write, request=request)
