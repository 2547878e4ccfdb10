"""Every path that appoints asks the eligibility gate first (issue 11, cadre.cadres.decisions):
the service, `POST /api/v1/appointments` and the Excel import refuse a blocked cadre with every
reason, in Chinese, and write nothing; an approved 破格 (第八条) lets a promotion blocked only by
the 第七条 qualifications through, an unapproved one does not; the 任职试用期."""

import json
from datetime import date
from typing import Any

import pytest

from cadre.audit.models import AuditEvent
from cadre.cadres import excel, services
from cadre.cadres.decisions import Decision, Ineligible, answer
from cadre.cadres.importing import import_workbook
from cadre.cadres.models import Appointment, Cadre
from cadre.cadres.tests import xlsx
from cadre.eligibility import services as eligibility
from cadre.eligibility.models import Override
from cadre.eligibility.services import EligibilityError
from cadre.supervision.tests.helpers import measure
from tests import factories as f

API = "/api/v1"
SPRING = date(2024, 5, 6)  # inside the 诫勉 of 2024-03-10 (six months)


@pytest.fixture
def admonished(world: Any, clock: Any) -> Cadre:
    """孙辛, a clerk of 青石镇 without a post, under 诫勉 from 2024-03-10."""
    clock.move_to("2024-05-10")
    cadre = f.make_cadre(world.town_a, "孙辛", id_number=xlsx.id_number(902))
    measure(world.city_admin, cadre, "admonishment", on=date(2024, 3, 10))
    return cadre


@pytest.fixture
def secretary(world: Any) -> Any:
    return f.make_position(
        world.county_a,
        "县委书记",
        is_leadership=True,
        leadership_level="county_chief",
        party_post=True,
    )


def _snapshot() -> tuple[Any, ...]:
    return (Appointment.objects.count(), list(Cadre.objects.order_by("pk").values()))


def test_the_service_refuses_a_leading_post_during_admonishment(
    world: Any, admonished: Cadre, secretary: Any
) -> None:
    before = _snapshot()
    with pytest.raises(Ineligible) as refused:
        services.appoint(
            by=world.city_admin, cadre=admonished, position=secretary, started_on=SPRING
        )
    message = refused.value.message
    assert "孙辛不符合任职、任领导职务、提拔" in message
    assert "诫勉（2024-03-10起）影响期内" in message
    assert "第二十四条" in message  # the source of the influence-period block
    assert "第七条" in message  # and every other reason: the qualifications too
    assert _snapshot() == before
    assert not AuditEvent.objects.filter(action="appoint").exists()


def test_the_api_answers_409_ineligible_in_chinese_and_writes_nothing(
    world: Any, admonished: Cadre, secretary: Any, as_user: Any
) -> None:
    before = _snapshot()
    response = as_user(world.city_admin).post(
        f"{API}/appointments",
        {"cadre_id": admonished.pk, "position_id": secretary.pk, "started_on": "2024-05-06"},
        content_type="application/json",
    )
    assert response.status_code == 409, response.content
    data = json.loads(response.content)
    assert data["code"] == "ineligible"
    assert "诫勉" in data["detail"]
    assert "不符合" in data["detail"]
    assert _snapshot() == before


def test_the_excel_import_refuses_the_row_and_imports_nothing(
    world: Any, admonished: Cadre, secretary: Any
) -> None:
    other = f.make_cadre(world.organ_a, "周庚", id_number=xlsx.id_number(903))
    clerk = f.make_position(world.organ_a, "科员")
    before = _snapshot()
    sheets = {
        excel.SHEET_APPOINTMENTS: [
            xlsx.appointment(903, "东湖县财政局", "科员", "2024-04-01"),  # fine on its own
            xlsx.appointment(902, "东湖县", "县委书记", "2024-05-06"),
        ]
    }
    result = import_workbook(data=xlsx.workbook(sheets), by=world.city_admin)
    assert not result.ok
    [problem] = result.problems
    assert (problem.sheet, problem.row, problem.column) == (excel.SHEET_APPOINTMENTS, 3, "身份证号")
    assert "孙辛不符合" in problem.message
    assert "诫勉" in problem.message
    assert _snapshot() == before  # the good row was not imported either
    assert not Appointment.objects.filter(cadre=other, position=clerk).exists()
    assert AuditEvent.objects.filter(action="import_refused").count() == 1
    assert not AuditEvent.objects.filter(action="import").exists()


# ---- 破格 (第八条) ---------------------------------------------------------------------------


@pytest.fixture
def deputy(world: Any) -> Any:
    """A section deputy post: 李乙 (no training records) lacks only 第七条(五) for it."""
    return f.make_position(
        world.town_a, "副镇长", is_leadership=True, leadership_level="section_deputy"
    )


def _override(world: Any, post: Any, *, approve: bool, cadre: Any = None) -> Override:
    item = eligibility.request_override(
        by=world.city_admin,
        cadre=cadre or world.cadre_town,
        decision=Decision.PROMOTION,
        on=SPRING,
        reason="脱贫攻坚一线表现特别突出",
        position=post,
    )
    if approve:
        second = f.make_user("org_a", role="org_admin", unit=world.county_a)
        item = eligibility.approve_override(by=second, override=item, approve=True, note="同意")
    return item


def test_a_promotion_blocked_only_by_qualifications_passes_with_an_approved_override(
    world: Any, deputy: Any, as_user: Any, clock: Any
) -> None:
    clock.move_to("2024-05-10")
    blocks = answer(world.cadre_town.pk, SPRING, deputy.pk).blocks_for([Decision.PROMOTION])
    assert blocks
    assert all(b.overridable for b in blocks)  # 第七条 only
    with pytest.raises(Ineligible, match="第七条"):
        services.appoint(
            by=world.city_admin, cadre=world.cadre_town, position=deputy, started_on=SPRING
        )
    item = _override(world, deputy, approve=False)
    client = as_user(world.city_admin)
    payload = {
        "cadre_id": world.cadre_town.pk,
        "position_id": deputy.pk,
        "started_on": "2024-05-06",
        "override_id": item.pk,
    }
    refused = client.post(f"{API}/appointments", payload, content_type="application/json")
    assert refused.status_code == 400, refused.content  # not yet approved
    assert "尚未批准" in json.loads(refused.content)["detail"]
    assert not Appointment.objects.filter(position=deputy).exists()
    second = f.make_user("org_a", role="org_admin", unit=world.county_a)
    eligibility.approve_override(by=second, override=item, approve=True, note="同意")
    done = client.post(f"{API}/appointments", payload, content_type="application/json")
    assert done.status_code == 201, done.content
    item.refresh_from_db()
    assert item.status == "used"
    assert AuditEvent.objects.filter(action="override_used").count() == 1
    again = client.post(  # used once
        f"{API}/appointments",
        {**payload, "started_on": "2024-06-01"},
        content_type="application/json",
    )
    assert again.status_code == 400


def test_an_override_does_not_pass_over_an_influence_period(
    world: Any, admonished: Cadre, deputy: Any
) -> None:
    with pytest.raises(EligibilityError, match="不能破格"):
        _override(world, deputy, approve=True, cadre=admonished)


# ---- 任职试用期 ------------------------------------------------------------------------------


def test_probation_sets_the_trial_year_and_holds_the_next_promotion(
    world: Any, deputy: Any, clock: Any
) -> None:
    clock.move_to("2024-05-10")
    approved = _override(world, deputy, approve=True)
    appt = services.appoint(
        by=world.city_admin,
        cadre=world.cadre_town,
        position=deputy,
        started_on=SPRING,
        override_id=approved.pk,
        probation=True,
    )
    assert appt.probation_until == date(2025, 5, 5)
    held = answer(world.cadre_town.pk, date(2024, 10, 1)).blocks_for([Decision.PROMOTION])
    assert any("试用期" in b.reason for b in held)


def test_probation_is_refused_for_a_post_that_is_not_a_promotion(world: Any) -> None:
    clerk = f.make_position(world.organ_a, "科员")
    count = Appointment.objects.count()
    with pytest.raises(services.RegistryError, match="试用期只适用于提拔"):
        services.appoint(
            by=world.city_admin,
            cadre=world.cadre_b,
            position=clerk,
            started_on=date(2024, 5, 6),
            probation=True,
        )
    assert Appointment.objects.count() == count


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2024, 5, 6), 12, date(2025, 5, 5)),
        (date(2024, 1, 1), 12, date(2024, 12, 31)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # no 29th: the month's last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
    ],
)
def test_months_end(start: date, months: int, end: date) -> None:
    from cadre.cadres.rules import months_end

    assert months_end(start, months) == end
