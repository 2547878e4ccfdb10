"""Single objects of this app, 404 for missing and out of scope alike (STYLE.md 2.3)."""

from typing import Any

from django.http import Http404

from cadre.accounts.access import STAFF_ROLES, covers, get_object_for_user
from cadre.assessments.models import (
    Cycle,
    Decision,
    DisclosureComment,
    EvaluationSession,
    Participant,
    ReviewRequest,
    Survey,
    SurveyComment,
)


def get_cycle(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> Cycle:
    """Cycles over the user's subtree, or (read) with participants the user may see."""
    if not write:
        found = (
            Cycle.objects.visible_to(user).select_related("scope_unit").filter(pk=pk).first()
            if str(pk).isdigit()
            else None
        )
        if found is not None:
            return found
    return get_object_for_user(
        Cycle.objects.select_related("scope_unit"), user, pk, write=write, request=request
    )


def get_participant(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> Participant:
    return get_object_for_user(
        Participant.objects.select_related("cycle__scope_unit", "cadre", "org_unit", "quota_unit"),
        user,
        pk,
        write=write,
        request=request,
    )


def get_decision(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> Decision:
    return get_object_for_user(
        Decision.objects.select_related(
            "participant__cycle", "participant__cadre", "participant__org_unit"
        ),
        user,
        pk,
        write=write,
        request=request,
    )


def get_review(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> ReviewRequest:
    return get_object_for_user(
        ReviewRequest.objects.select_related("decision__participant"),
        user,
        pk,
        write=write,
        request=request,
    )


def get_session(
    user: Any, pk: Any, *, write: bool = False, request: Any = None
) -> EvaluationSession:
    return get_object_for_user(
        EvaluationSession.objects.select_related("cycle", "org_unit"),
        user,
        pk,
        write=write,
        request=request,
    )


def get_survey(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> Survey:
    """Surveys over the user's subtree, or (read) evaluating a unit the user may see."""
    if not write:
        found = (
            Survey.objects.visible_to(user).select_related("scope_unit").filter(pk=pk).first()
            if str(pk).isdigit()
            else None
        )
        if found is not None:
            return found
    return get_object_for_user(
        Survey.objects.select_related("scope_unit"), user, pk, write=write, request=request
    )


def get_survey_comment(
    user: Any, pk: Any, *, write: bool = False, request: Any = None
) -> SurveyComment:
    return get_object_for_user(
        SurveyComment.objects.select_related("survey", "survey_unit__org_unit"),
        user,
        pk,
        write=write,
        request=request,
    )


def get_disclosure_comment(
    user: Any, pk: Any, *, write: bool = False, request: Any = None
) -> DisclosureComment:
    return get_object_for_user(
        DisclosureComment.objects.select_related("disclosure__cycle"),
        user,
        pk,
        write=write,
        request=request,
    )


def cycle_participants(user: Any, cycle: Cycle) -> Any:
    """The cycle's participants the user may see. When a grant covers the whole scope (the
    组织部门's dashboard) every participant is visible, so the scope join is left out."""
    if covers(user, cycle.scope_unit.path, STAFF_ROLES):
        return Participant.objects.filter(cycle=cycle)
    return Participant.objects.visible_to(user).filter(cycle=cycle)


def not_found() -> Http404:
    return Http404("未找到该记录")
