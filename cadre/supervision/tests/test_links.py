"""Issue 14 item 2: a report or clue linked to the cadre it is about by discipline staff (found
by name in their own scope), unlinked again with a reason, audited; out-of-scope records and
cadres are 404, a conflicted link is refused; once linked, the clue, its case and the
measures on it appear on the cadre's accountability archive."""

from datetime import date
from typing import Any

import pytest

from cadre.accountability import services as acc
from cadre.audit.models import AuditEvent
from cadre.supervision import links, services
from cadre.supervision.models import Case, Clue, Report
from cadre.supervision.rules import RuleError
from cadre.supervision.tests.helpers import approve, staff_report
from tests import factories as f
from tests.clock import current_clock

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def report(world: Any) -> Report:
    """A letter about "王某" of 东湖县财政局: the name matches nobody, so it is not linked."""
    found = staff_report(world.discipline_a, world.organ_a, "王某")
    assert found.subject_cadre is None
    return found


def _link(
    client: Any, kind: str, pk: int, cadre: Any, reason: str = "经核对，反映对象即王甲"
) -> Any:
    return client.post(
        f"/supervision/{kind}/{pk}/link/", {"cadre": cadre.pk if cadre else "", "reason": reason}
    )


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_staff_find_the_cadre_by_name_in_their_scope(
    world: Any, report: Report, as_user: Any
) -> None:
    client = as_user(world.discipline_a)
    page = client.get(f"/supervision/reports/{report.pk}/").content.decode()
    assert 'hx-get="/supervision/reports/' in page
    assert "按姓名搜索" in page
    partial = client.get(f"/supervision/reports/{report.pk}/link/?q=王", **HX)
    assert partial.status_code == 200
    html = partial.content.decode()
    assert "王甲" in html
    assert f'value="{world.cadre_a.pk}"' in html
    assert "<html" not in html  # the HTMX partial only
    # the other county's cadres are not offered; without JavaScript the whole page answers
    assert (
        "赵丙"
        not in client.get(f"/supervision/reports/{report.pk}/link/?q=赵", **HX).content.decode()
    )
    full = client.get(f"/supervision/reports/{report.pk}/link/?q=王甲")
    assert full.status_code == 200
    assert "<html" in full.content.decode()


def test_link_then_unlink_a_report_and_its_clue(world: Any, report: Report, as_user: Any) -> None:
    clue = services.accept_report(report=report, by=world.discipline_a)
    client = as_user(world.discipline_a)
    # when: linked through the report
    assert _link(client, "reports", report.pk, world.cadre_a).status_code == 302
    report.refresh_from_db()
    clue.refresh_from_db()
    # then: the report and its clue name the cadre, and the link is audited with its reason
    assert (report.subject_cadre_id, clue.subject_cadre_id) == (world.cadre_a.pk,) * 2
    [event] = _events("supervision_subject_linked")
    assert event.detail == {
        "cadre": world.cadre_a.pk,
        "report": report.pk,
        "clue": clue.pk,
        "reason": "经核对，反映对象即王甲",
    }
    page = client.get(f"/supervision/clues/{clue.pk}/").content.decode()
    assert "已关联" in page
    assert "解除关联" in page
    # when: unlinked through the clue, with a reason
    response = client.post(f"/supervision/clues/{clue.pk}/unlink/", {"reason": "同名误关联"})
    assert response.status_code == 302
    report.refresh_from_db()
    clue.refresh_from_db()
    # then: both are unlinked again, nothing deleted, audited
    assert (report.subject_cadre_id, clue.subject_cadre_id) == (None, None)
    assert Report.objects.filter(pk=report.pk).exists()
    assert Clue.objects.filter(pk=clue.pk).exists()
    [event] = _events("supervision_subject_unlinked")
    assert event.detail["reason"] == "同名误关联"
    assert event.detail["cadre"] == world.cadre_a.pk
    # and it can be linked again (reversible)
    assert _link(client, "clues", clue.pk, world.cadre_a).status_code == 302


@pytest.mark.parametrize(
    ("cadre", "reason", "message"),
    [
        ("a", "", "关联理由"),
        (None, "理由充分", "请从搜索结果中选择干部"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    world: Any, report: Report, as_user: Any, cadre: str | None, reason: str, message: str
) -> None:
    client = as_user(world.discipline_a)
    response = _link(client, "reports", report.pk, world.cadre_a if cadre else None, reason)
    assert response.status_code == 400
    assert message in response.content.decode()
    report.refresh_from_db()
    assert report.subject_cadre_id is None
    assert not _events("supervision_subject_linked")


def test_a_linked_record_is_not_linked_again_nor_unlinked_when_not_linked(
    world: Any, report: Report
) -> None:
    with pytest.raises(RuleError, match="尚未关联"):
        links.unlink_subject(by=world.discipline_a, reason="无", report=report)
    links.link_subject(by=world.discipline_a, cadre=world.cadre_a, reason="核对", report=report)
    other = f.make_cadre(world.organ_a, "王乙")
    with pytest.raises(RuleError, match="先说明理由解除关联"):
        links.link_subject(by=world.discipline_a, cadre=other, reason="核对", report=report)
    with pytest.raises(RuleError, match="无需重复关联"):
        links.link_subject(by=world.discipline_a, cadre=world.cadre_a, reason="核对", report=report)


def test_out_of_scope_cadre_or_report_is_404(world: Any, report: Report, as_user: Any) -> None:
    client = as_user(world.discipline_a)
    # a cadre of the other county: not found for this user
    assert _link(client, "reports", report.pk, world.cadre_b).status_code == 404
    report.refresh_from_db()
    assert report.subject_cadre_id is None
    # a report of the other county: not found for this user either
    elsewhere = staff_report(
        f.make_user("discipline_b", role="discipline", unit=world.county_b), world.organ_b, "赵某"
    )
    assert _link(client, "reports", elsewhere.pk, world.cadre_b).status_code == 404
    assert client.get(f"/supervision/reports/{elsewhere.pk}/link/?q=赵").status_code == 404
    assert (
        client.post(f"/supervision/reports/{elsewhere.pk}/unlink/", {"reason": "x"}).status_code
        == 404
    )
    assert not _events("supervision_subject_linked")
    assert AuditEvent.objects.filter(action="authz_denied").exists()


def test_only_discipline_staff_link(world: Any, report: Report, as_user: Any) -> None:
    # the organization department reads the report but does not decide whom it is about
    client = as_user(world.city_admin)
    page = client.get(f"/supervision/reports/{report.pk}/").content.decode()
    assert "按姓名搜索" not in page
    response = _link(client, "reports", report.pk, world.cadre_a)
    assert response.status_code == 400
    assert links.ONLY_DISCIPLINE in response.content.decode()
    assert client.get(f"/supervision/reports/{report.pk}/link/?q=王").status_code == 403


@pytest.fixture
def conflicted(world: Any) -> Any:
    """A discipline officer of county A who is 李乙 (青石镇) and heads 青石镇's team."""
    from cadre.cadres.models import LeadershipTeam, TeamMembership

    team = LeadershipTeam.objects.create(org_unit=world.town_a, name="青石镇党委")
    TeamMembership.objects.create(
        team=team, cadre=world.cadre_town, role="head", started_on=date(2021, 1, 1)
    )
    return f.make_user(
        "discipline_li", role="discipline", unit=world.county_a, cadre=world.cadre_town
    )


def test_a_conflicted_link_is_refused(
    world: Any, report: Report, conflicted: Any, as_user: Any
) -> None:
    client = as_user(conflicted)
    # linking the report (about 东湖县财政局, which they may handle) to themselves ...
    response = _link(client, "reports", report.pk, world.cadre_town)
    assert response.status_code == 400
    assert "回避" in response.content.decode()
    # ... or to someone in the town they lead is refused; such cadres are not even offered
    clerk = f.make_cadre(world.town_a, "青石镇干事")
    assert _link(client, "reports", report.pk, clerk).status_code == 400
    assert (
        "青石镇干事"
        not in client.get(f"/supervision/reports/{report.pk}/link/?q=青石", **HX).content.decode()
    )
    report.refresh_from_db()
    assert report.subject_cadre_id is None
    # a report about the town (they lead it) is not theirs to see at all: 404
    about_town = staff_report(world.discipline_a, world.town_a, "")
    assert _link(client, "reports", about_town.pk, world.cadre_a).status_code == 404


def test_the_api_links_and_unlinks(world: Any, report: Report, as_user: Any) -> None:
    clue = services.accept_report(report=report, by=world.discipline_a)
    client = as_user(world.discipline_a)
    url = f"/api/v1/supervision/clues/{clue.pk}/subject-candidates?q=王甲"
    found = client.get(url).json()["items"]
    assert [c["id"] for c in found] == [world.cadre_a.pk]
    assert found[0]["unit"] == "东湖县财政局"
    linked = client.post(
        f"/api/v1/supervision/clues/{clue.pk}/subject-link",
        {"cadre_id": world.cadre_a.pk, "reason": "核对身份证号"},
        content_type="application/json",
    )
    assert linked.status_code == 200
    assert linked.json()["subject_cadre_id"] == world.cadre_a.pk
    again = client.post(
        f"/api/v1/supervision/clues/{clue.pk}/subject-link",
        {"cadre_id": world.cadre_a.pk, "reason": "再次"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert "无需重复关联" in again.json()["detail"]
    away = client.post(
        f"/api/v1/supervision/reports/{report.pk}/subject-link",
        {"cadre_id": world.cadre_b.pk, "reason": "x"},
        content_type="application/json",
    )
    assert away.status_code == 404
    unlinked = client.post(
        f"/api/v1/supervision/reports/{report.pk}/subject-unlink",
        {"reason": "误关联"},
        content_type="application/json",
    )
    assert unlinked.status_code == 200
    assert unlinked.json()["subject_cadre_id"] is None


def test_the_archive_shows_the_clue_its_case_and_measures_after_linking(
    world: Any, report: Report, second_discipline: Any, as_user: Any
) -> None:
    # given: the report became a clue and a case, about "王某" (nobody yet)
    clue = services.accept_report(report=report, by=world.discipline_a)
    approve(clue, world.discipline_a, second_discipline, "preliminary_verification")
    case = Case.objects.get(clue=clue)
    client = as_user(world.discipline_a)
    archive = f"/accountability/archive/{world.cadre_a.pk}/"
    assert clue.number not in client.get(archive).content.decode()
    # when: staff link the clue to 王甲, and the case goes on to a measure
    assert _link(client, "clues", clue.pk, world.cadre_a).status_code == 302
    services.add_case_fact(case=case, by=world.discipline_a, text="确有推诿", established=True)
    case = services.advance_case(case=case, by=world.discipline_a, target="reviewing")
    today = current_clock().today
    measure = acc.record_measure(
        by=world.discipline_a,
        cadre=world.cadre_a,
        case=case,
        data=acc.MeasureInput(
            kind="admonishment",
            issuing_body="东湖县纪委",
            decided_on=today,
            effective_on=today,
            facts="推诿扯皮",
            article="公务员法第五十七条",
        ),
    )
    # then: the archive shows the clue, its case and the measure taken on it
    html = client.get(archive).content.decode()
    assert clue.number in html
    assert case.number in html
    assert f"/accountability/measures/{measure.pk}/" in html
    # and the profile's accountability section counts it
    profile = client.get(f"/cadres/{world.cadre_a.pk}/").content.decode()
    assert "已关联问题线索 1 件" in profile
    # the cadre's own archive shows nothing from supervision
    own = as_user(world.cadre_user).get(archive).content.decode()
    assert clue.number not in own
    # after unlinking, the clue leaves the archive again
    client.post(f"/supervision/clues/{clue.pk}/unlink/", {"reason": "误关联"})
    assert clue.number not in client.get(archive).content.decode()
