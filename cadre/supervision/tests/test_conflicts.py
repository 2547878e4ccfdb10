"""AC-06 / G-AC2: a report is never visible to the person it names or to those who lead
them — not in lists, counts, pages or the API — while the discipline staff see it."""

from datetime import date
from typing import Any

import pytest

from cadre.audit.models import AuditEvent
from cadre.cadres.models import LeadershipTeam, TeamMembership
from cadre.supervision import services
from cadre.supervision.models import Case, Clue, Report
from cadre.supervision.tests.helpers import approve, public_report
from tests import factories as f


@pytest.fixture
def people(world: Any) -> dict[str, Any]:
    """X is the reported cadre; H heads and D deputises the town's team. All three hold
    staff roles that would otherwise let them read county A's reports."""
    team = LeadershipTeam.objects.create(org_unit=world.town_a, name="青石镇党委")
    head = f.make_cadre(world.town_a, "周正")
    deputy = f.make_cadre(world.town_a, "吴副")
    TeamMembership.objects.create(team=team, cadre=head, role="head", started_on=date(2021, 1, 1))
    TeamMembership.objects.create(
        team=team, cadre=deputy, role="deputy", started_on=date(2021, 1, 1)
    )
    return {
        "X": f.make_user("x_user", role="discipline", unit=world.county_a, cadre=world.cadre_town),
        "H": f.make_user("h_user", role="org_admin", unit=world.county_a, cadre=head),
        "D": f.make_user("d_user", role="discipline", unit=world.county_a, cadre=deputy),
    }


@pytest.fixture
def filed(world: Any, people: dict[str, Any], second_discipline: Any) -> dict[str, Any]:
    about_x, _ = public_report(world.town_a, "李乙", key="a" * 16)
    about_unit, _ = public_report(world.town_a, "", key="b" * 16)
    clue = services.accept_report(report=about_x, by=world.discipline_a)
    approve(clue, world.discipline_a, second_discipline, "preliminary_verification")
    return {
        "report": about_x,
        "unit_report": about_unit,
        "clue": clue,
        "case": Case.objects.get(clue=clue),
    }


@pytest.mark.parametrize("who", ["X", "H", "D"])
def test_the_subject_and_their_leaders_see_nothing(
    world: Any, people: dict[str, Any], filed: dict[str, Any], who: str, as_user: Any
) -> None:
    user = people[who]
    # X does not lead the town, so X may see the report about the town as a unit
    others = 1 if who == "X" else 0
    assert list(Report.objects.visible_to(user)) == ([filed["unit_report"]] if others else [])
    assert not Clue.objects.visible_to(user).exists()
    assert not Case.objects.visible_to(user).exists()
    client = as_user(user)
    inbox = client.get("/supervision/")
    assert inbox.status_code == 200
    assert inbox.context["counts"] == {"reports": others, "clues": 0, "cases": 0, "inquiries": 0}
    for url in (
        f"/supervision/reports/{filed['report'].pk}/",
        f"/supervision/clues/{filed['clue'].pk}/",
        f"/supervision/cases/{filed['case'].pk}/",
        f"/api/v1/supervision/reports/{filed['report'].pk}",
    ):
        assert client.get(url).status_code == 404, url
    listed = [r["id"] for r in client.get("/api/v1/supervision/reports").json()["items"]]
    assert filed["report"].pk not in listed
    denied = AuditEvent.objects.filter(action="authz_denied", actor=user)
    assert denied.count() == 4
    assert all(e.detail == {"reason": "conflict_of_interest"} for e in denied)


def test_a_report_about_a_unit_is_hidden_from_its_leaders_only(
    world: Any, people: dict[str, Any], filed: dict[str, Any]
) -> None:
    unit_report = filed["unit_report"]
    assert unit_report.handling_unit == world.county_a  # routed one level up
    assert not Report.objects.visible_to(people["H"]).filter(pk=unit_report.pk).exists()
    assert Report.objects.visible_to(people["X"]).filter(pk=unit_report.pk).exists()


def test_the_discipline_staff_see_everything(
    world: Any, people: dict[str, Any], filed: dict[str, Any], as_user: Any
) -> None:
    assert Report.objects.visible_to(world.discipline_a).count() == 2
    client = as_user(world.discipline_a)
    assert client.get("/supervision/").context["counts"]["clues"] == 1
    assert client.get(f"/supervision/cases/{filed['case'].pk}/").status_code == 200


def test_a_case_subject_added_later_is_hidden_too(
    world: Any, people: dict[str, Any], filed: dict[str, Any], city_discipline: Any
) -> None:
    # a case on the town's cadre A, later naming cadre_a (王甲) as a subject
    from cadre.accounts.models import Grant

    cadre_a_user = world.cadre_user  # 王甲's own account, now also discipline staff
    Grant.objects.create(user=cadre_a_user, role="discipline", org_unit=world.city)
    case = filed["case"]
    assert Case.objects.visible_to(cadre_a_user).filter(pk=case.pk).exists()
    services.add_case_subject(
        case=case, by=world.discipline_a, cadre=world.cadre_a, unit=None, responsibility="leading"
    )
    assert not Case.objects.visible_to(cadre_a_user).filter(pk=case.pk).exists()
