"""Reads other apps need from tolerance (no writes)."""

from datetime import date

from cadre.tolerance.models import ApplicationStatus, ExemptionApplication

DECIDED = [ApplicationStatus.DETERMINED, ApplicationStatus.FED_BACK, ApplicationStatus.PUBLISHED]


def case_exempted_on(*, case_id: int, cadre_id: int) -> date | None:
    """The decision date of the cadre's 免责 determination on the case, if any: measures on
    the case recorded later are exempted from that date (they do not count from it on)."""
    return (
        ExemptionApplication.objects.filter(
            case_id=case_id, cadre_id=cadre_id, outcome="exempted", status__in=DECIDED
        )
        .order_by("determined_on")
        .values_list("determined_on", flat=True)
        .first()
    )
