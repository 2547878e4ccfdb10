"""Reads other apps need from tolerance (no writes)."""

from cadre.tolerance.models import ApplicationStatus, ExemptionApplication

DECIDED = [ApplicationStatus.DETERMINED, ApplicationStatus.FED_BACK, ApplicationStatus.PUBLISHED]


def case_exempted(*, case_id: int, cadre_id: int) -> bool:
    """A case for which the cadre was exempted: later measures on it do not count."""
    return ExemptionApplication.objects.filter(
        case_id=case_id, cadre_id=cadre_id, outcome="exempted", status__in=DECIDED
    ).exists()
