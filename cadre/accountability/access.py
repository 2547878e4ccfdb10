"""Single-object access for accountability records (404 for missing and out of scope)."""

from typing import Any

from django.http import Http404

from cadre.accounts.access import get_object_for_user
from cadre.audit.services import record_denied


def get_measure(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> Any:
    from cadre.accountability.models import Measure

    qs = Measure.objects.select_related("cadre", "cadre__org_unit", "case", "replaces")
    return get_object_for_user(qs, user, pk, write=write, request=request)


def get_inquiry(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> Any:
    from cadre.accountability.models import WrittenInquiry

    qs = WrittenInquiry.objects.select_related("cadre", "clue", "sent_by")
    return get_object_for_user(qs, user, pk, write=write, request=request)


def get_rectification(user: Any, pk: Any, *, request: Any = None) -> Any:
    from cadre.accountability.models import Rectification

    return get_object_for_user(
        Rectification.objects.select_related("measure"), user, pk, write=True, request=request
    )


def get_appeal(user: Any, pk: Any, *, request: Any = None) -> Any:
    from cadre.accountability.models import MeasureAppeal

    return get_object_for_user(
        MeasureAppeal.objects.select_related("measure"), user, pk, write=True, request=request
    )


def get_notice(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> Any:
    """Managed notices (scope) or, for reading, received ones (published internal)."""
    from cadre.accountability.models import Notice

    qs = Notice.objects.visible_to(user, write=write).select_related("org_unit", "case")
    try:
        return qs.get(pk=pk)
    except (Notice.DoesNotExist, ValueError, TypeError):
        if str(pk).isdigit() and Notice.objects.filter(pk=pk).exists():
            record_denied(user=user, model=Notice, object_id=pk, request=request)
        raise Http404("未找到该记录") from None
