"""Issue 11: the assessment proposal pages and the cadre page show the same live answer.

The evidence panel is a snapshot compiled at the evidence phase; a 诫勉 issued after it used
to leave the proposal page saying "本年度无影响期内的问责措施" while the cadre page (live) and
the proposal check (live) said otherwise. Now the accountability items and the 优秀 answer
(cadre.cadres.decisions, on the decision day: the year's last day) are read on every view.
"""

from datetime import date
from typing import Any

import pytest

from cadre.assessments import rules
from cadre.assessments.models import CycleKind, Participant
from cadre.assessments.services import cycles, proposals
from cadre.assessments.services.compile import compile_evidence, decision_day
from cadre.core.errors import Refused
from cadre.supervision.tests.helpers import measure

from .conftest import go

pytestmark = pytest.mark.django_db

REASON = "诫勉（2026-11-20起）影响期内"
SOURCE = "党政领导干部考核工作条例(2019)、公务员考核规定(2020) [U]"
STALE = "本年度无影响期内的问责措施"


@pytest.fixture
def compiled(county: Any, clock: Any) -> Any:
    """2026's cycle in the proposal phase, its evidence compiled on 2026-11-20 — before any
    measure. The day is fixed: the cadre page asks about today, the cycle about 2026."""
    clock.move_to("2026-11-20")
    cycle = cycles.open_cycle(
        by=county.city_admin,
        data=cycles.CycleInput(
            year=2026, kind=CycleKind.CIVIL_SERVANTS, scope_unit=county.county_a
        ),
    )
    go(cycle, county.city_admin, rules.SUMMARIES, rules.DEMOCRATIC, rules.EVIDENCE)
    compile_evidence(cycle=cycle, by=county.city_admin)
    go(cycle, county.city_admin, rules.PROPOSAL)
    return cycle


def test_after_an_admonishment_both_pages_give_the_same_reason(
    county: Any, compiled: Any, as_user: Any, clock: Any
) -> None:
    p = Participant.objects.get(cycle=compiled, cadre=county.cadre_a)
    client = as_user(county.city_admin)
    assert STALE in client.get(f"/assessments/participants/{p.pk}/").content.decode()
    # when: a 诫勉 is issued after the evidence was compiled
    measure(county.city_admin, county.cadre_a, "admonishment", on=clock.today)
    # then: the cadre page, the participant page and the unit's proposal page agree
    cadre_page = client.get(f"/cadres/{county.cadre_a.pk}/").content.decode()
    participant = client.get(f"/assessments/participants/{p.pk}/").content.decode()
    unit_page = client.get(f"/assessments/{compiled.pk}/units/{p.org_unit_id}/").content.decode()
    for page in (cadre_page, participant, unit_page):
        assert REASON in page
        assert SOURCE in page
        assert "2027-05-19" in page  # the block's end: the influence period's last day
    assert "任用资格" in cadre_page
    assert "按 2026-11-20 的情况实时判断" in cadre_page
    assert "按 2026-12-31 的情况实时判断" in participant  # the decision day
    assert decision_day(compiled).isoformat() == "2026-12-31"
    assert STALE not in participant
    assert "诫勉（2026-11-20起，至2027-05-19）：影响期与本年度重叠" in participant  # measures item
    # each reason once: the assessment rule's own 诫勉 block is not listed beside the answer's
    assert participant.count(REASON) == 1
    assert "处于诫勉影响期内" not in participant
    # and proposing 优秀 is refused with the reason the page gives (the gate, issue 11)
    with pytest.raises(Refused, match=r"诫勉（2026-11-20起）影响期内（党政领导干部考核工作条例"):
        proposals.propose(
            participant=p,
            by=county.city_admin,
            data=proposals.ProposalInput(rules.EXCELLENT, "成绩突出"),
        )


def test_the_cadre_sees_the_same_answer_on_their_own_page(
    county: Any, compiled: Any, as_user: Any, clock: Any
) -> None:
    measure(county.city_admin, county.cadre_a, "admonishment", on=clock.today)
    page = as_user(county.cadre_user).get(f"/cadres/{county.cadre_a.pk}/").content.decode()
    assert "任用资格" in page
    assert REASON in page
    assert "不可以" in page


def test_a_cadre_without_blocks_may_be_rated_excellent_on_the_panel(
    county: Any, compiled: Any, as_user: Any
) -> None:
    p = Participant.objects.get(cycle=compiled, cadre=county.cadre_a)
    page = as_user(county.city_admin).get(f"/assessments/participants/{p.pk}/").content.decode()
    assert "年度考核评为优秀" in page
    assert '<span class="badge text-bg-success">可以</span>' in page
    assert "不可以" not in page


def test_a_reason_only_the_assessment_rules_give_is_listed_once_beside_the_answer(
    county: Any, compiled: Any, as_user: Any
) -> None:
    # a 2025 诫勉 whose period runs into 2026 but is over by the decision day: the answer
    # (当年 / 影响期内 on 2026-12-31) does not name it; the assessment rule (影响期与本年度
    # 重叠, setting assessments.measures_block_excellent) still does, and the panel says so.
    measure(county.city_admin, county.cadre_a, "admonishment", on=date(2025, 10, 1))
    p = Participant.objects.get(cycle=compiled, cadre=county.cadre_a)
    page = as_user(county.city_admin).get(f"/assessments/participants/{p.pk}/").content.decode()
    assert '<span class="badge text-bg-success">可以</span>' in page
    assert page.count("另据考核规则不得确定为优秀：处于诫勉影响期内") == 1


def test_the_evidence_api_gives_the_same_live_answer(
    county: Any, compiled: Any, as_user: Any, clock: Any
) -> None:
    measure(county.city_admin, county.cadre_a, "admonishment", on=clock.today)
    p = Participant.objects.get(cycle=compiled, cadre=county.cadre_a)
    body = (
        as_user(county.city_admin).get(f"/api/v1/assessments/participants/{p.pk}/evidence").json()
    )
    items = {i["key"]: i for i in body["items"]}
    assert items["measures"]["lines"] == ["诫勉（2026-11-20起，至2027-05-19）：影响期与本年度重叠"]
    assert body["excellent_blocks"] == [{"rule": f"{REASON}，不得确定为优秀等次", "source": SOURCE}]
    verdict = body["eligibility"]["excellent_grade"]
    assert (body["eligibility"]["on"], verdict["eligible"]) == ("2026-12-31", False)
    assert [b["reason"] for b in verdict["blocks"]] == [REASON]
