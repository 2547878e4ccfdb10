from typing import Any

from cadre.accounts.access import get_object_for_user


def get_application(user: Any, pk: Any, *, write: bool = False, request: Any = None) -> Any:
    from cadre.tolerance.models import ExemptionApplication

    qs = ExemptionApplication.objects.select_related(
        "cadre", "cadre__org_unit", "measure", "case", "notice"
    )
    return get_object_for_user(qs, user, pk, write=write, request=request)
