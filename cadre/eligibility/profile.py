"""The cadre page's "任用资格" section (cadres.extensions hook): today's live answer for every
decision — 可以 / 不可以, each block with its reason, source and end — and the 降职/辞退
proposals. Shown to org and discipline staff (the page itself is already scoped) and to the
cadre on their own page, as the accountability section is.
"""

from typing import Any

from django.utils import timezone

from cadre.accounts.access import has_role, own_cadre_id
from cadre.accounts.models import User
from cadre.cadres.extensions import Section
from cadre.eligibility import services


def sections(*, cadre: Any, user: User) -> list[Section]:
    if not (has_role(user, "org_admin", "discipline") or own_cadre_id(user) == cadre.pk):
        return []
    today = timezone.localdate()
    answer = services.answers([cadre.pk], today)[cadre.pk]
    return [Section("任用资格", "eligibility/_profile_section.html", {"answer": answer})]
