"""Issue 14: an open formal investigation (立案审查调查) reaches the annual assessment by itself.

The supervision app provides "cadres under formal investigation on a day" through the
`assessments.under_investigation` contract; nobody ticks the participant by hand. Through the
services of both apps: a clue → 初步核实 (a case, not yet an investigation) → 立案审查调查 →
不定等次 with the reason → the case is closed → graded again.
"""

from typing import Any

import pytest

from cadre.assessments import rules
from cadre.assessments.models import Participant
from cadre.assessments.services import AssessmentError, proposals
from cadre.assessments.services.compile import compile_evidence
from cadre.supervision import services as supervision
from cadre.supervision.models import Case
from cadre.supervision.rules import RuleError
from cadre.supervision.tests.helpers import approve, clue_for
from tests import factories as f

from .conftest import go

REASON = "正在接受立案审查调查且尚未结案"


@pytest.fixture
def case(county: Any) -> Case:
    """A report on 李乙 (东湖县青石镇), accepted and sent to 初步核实 with four eyes."""
    second = f.make_user("discipline_a2", role="discipline", unit=county.county_a)
    clue = clue_for(county.discipline_a, county.town_a, county.cadre_town.name)
    approve(clue, county.discipline_a, second, "preliminary_verification")
    county.second_discipline = second
    return Case.objects.get(clue=clue)


def _compiled(cycle: Any, county: Any) -> Participant:
    compile_evidence(cycle=cycle, by=county.city_admin)
    return Participant.objects.get(cycle=cycle, cadre=county.cadre_town)


def test_an_open_investigation_makes_the_participant_ungraded_until_the_case_is_closed(
    county: Any, cycle: Any, case: Case
) -> None:
    admin, investigator = county.city_admin, county.discipline_a
    go(cycle, admin, rules.SUMMARIES, rules.DEMOCRATIC, rules.EVIDENCE)

    # a preliminary verification is not an investigation (and stays confidential)
    assert _compiled(cycle, county).evidence["ungraded"] is None

    # 立案审查调查: the participant is ungraded with the reason, nobody ticked anything
    supervision.add_case_fact(
        case=case, by=investigator, text="多次推诿群众办事诉求", established=True
    )
    supervision.file_case(case=case, by=investigator)
    p = _compiled(cycle, county)
    assert REASON in p.evidence["ungraded"]
    assert p.under_investigation is False  # the staff checkbox stays untouched
    go(cycle, admin, rules.PROPOSAL)
    with pytest.raises(AssessmentError, match=REASON):
        proposals.propose(
            participant=p, by=admin, data=proposals.ProposalInput(rules.COMPETENT, "履职尽责")
        )
    p = proposals.propose(
        participant=p,
        by=admin,
        data=proposals.ProposalInput(None, "该同志本年度正在接受审查调查，只写评语"),
    )
    p.refresh_from_db()
    assert (p.proposed_grade, REASON in p.ungraded_reason) == ("", True)

    # the case is concluded: no longer under investigation, a grade is due again
    supervision.advance_case(case=case, by=investigator, target="reviewing")
    supervision.advance_case(
        case=case,
        by=county.second_discipline,
        target="closed",
        conclusion="partly",
        conclusion_text="部分属实，已批评教育",
    )
    assert _compiled(cycle, county).evidence["ungraded"] is None
    with pytest.raises(AssessmentError, match="应当确定考核等次"):
        proposals.propose(participant=p, by=admin, data=proposals.ProposalInput(None, "只写评语"))
    proposals.propose(
        participant=p, by=admin, data=proposals.ProposalInput(rules.COMPETENT, "履职尽责")
    )


def test_filing_needs_an_established_fact_and_happens_once(county: Any, case: Case) -> None:
    investigator = county.discipline_a
    with pytest.raises(RuleError, match="经核实属实的事实"):
        supervision.file_case(case=case, by=investigator)
    supervision.add_case_fact(case=case, by=investigator, text="确有推诿", established=True)
    filed = supervision.file_case(case=case, by=investigator)
    assert filed.filed_on is not None
    with pytest.raises(RuleError, match="已于"):
        supervision.file_case(case=case, by=investigator)


def test_the_provider_answers_for_many_cadres_in_one_query(
    county: Any, case: Case, django_assert_num_queries: Any
) -> None:
    from cadre.supervision.evidence import under_investigation

    supervision.add_case_fact(case=case, by=county.discipline_a, text="确有推诿", established=True)
    filed = supervision.file_case(case=case, by=county.discipline_a)
    ids = [county.cadre_a.pk, county.cadre_town.pk, county.cadre_b.pk]
    with django_assert_num_queries(1):
        found = under_investigation(ids, filed.filed_on)
    assert found == {county.cadre_town.pk}


def test_the_case_page_files_the_case(county: Any, case: Case, as_user: Any) -> None:
    client = as_user(county.discipline_a)
    assert "登记立案审查调查" in client.get(f"/supervision/cases/{case.pk}/").content.decode()
    refused = client.post(f"/supervision/cases/{case.pk}/file/")
    assert "经核实属实的事实" in refused.content.decode()
    supervision.add_case_fact(case=case, by=county.discipline_a, text="确有推诿", established=True)
    client.post(f"/supervision/cases/{case.pk}/file/")
    case.refresh_from_db()
    assert case.filed_on is not None
    page = client.get(f"/supervision/cases/{case.pk}/").content.decode()
    assert "立案审查调查 " in page
    assert "登记立案审查调查" not in page


def test_the_api_files_the_case_and_refuses_out_of_scope(
    county: Any, case: Case, as_user: Any
) -> None:
    url = f"/api/v1/supervision/cases/{case.pk}/file"
    outsider = f.make_user("discipline_far", role="discipline", unit=county.county_b)
    assert as_user(outsider).post(url).status_code == 404
    client = as_user(county.discipline_a)
    refused = client.post(url)
    assert refused.status_code == 400
    assert "经核实属实的事实" in refused.json()["detail"]
    supervision.add_case_fact(case=case, by=county.discipline_a, text="确有推诿", established=True)
    filed = client.post(url)
    assert filed.status_code == 200
    assert filed.json()["filed_on"] is not None
