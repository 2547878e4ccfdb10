"""Staff pages render for the discipline staff, refuse other roles (403) and hide records
of other units (404, audited)."""

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cadre.audit.models import AuditEvent
from cadre.supervision import intake, services, uploads
from cadre.supervision.models import Case, Clue, Report
from cadre.supervision.tests.helpers import PNG, approve, data
from tests import factories as f


@pytest.fixture
def records(world: Any, second_discipline: Any) -> dict[str, Any]:
    checked = uploads.check_files(None, [SimpleUploadedFile("照片.png", PNG)])
    report, _ = intake.submit_public_report(
        data=data(world.town_a, "李乙"), files=checked, submission_key="z" * 16
    )
    clue = services.accept_report(report=report, by=world.discipline_a)
    approve(clue, world.discipline_a, second_discipline, "preliminary_verification")
    inspection = services.create_inspection(
        by=world.discipline_a,
        org_unit=world.county_a,
        title="暗访",
        mode="covert",
        conducted_on=date(2025, 5, 6),
    )
    return {
        "report": report,
        "clue": clue,
        "case": Case.objects.get(clue=clue),
        "inspection": inspection,
        "attachment": report.attachments.get(),
    }


def _urls(r: dict[str, Any]) -> list[str]:
    return [
        f"/supervision/reports/{r['report'].pk}/",
        f"/supervision/clues/{r['clue'].pk}/",
        f"/supervision/cases/{r['case'].pk}/",
        f"/supervision/inspections/{r['inspection'].pk}/",
        f"/supervision/attachments/{r['attachment'].pk}/",
    ]


def test_pages_render_for_the_discipline_staff(world: Any, records: dict, as_user: Any) -> None:
    client = as_user(world.discipline_a)
    for url in [
        "/supervision/",
        "/supervision/reports/",
        "/supervision/clues/",
        "/supervision/cases/",
        "/supervision/inspections/",
        "/supervision/reports/new/",
        *_urls(records),
    ]:
        assert client.get(url).status_code == 200, url


def test_an_attachment_is_served_as_a_download_and_the_download_audited(
    world: Any, records: dict, as_user: Any
) -> None:
    response = as_user(world.discipline_a).get(_urls(records)[-1])
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == PNG
    assert AuditEvent.objects.filter(action="attachment_download").count() == 1


def test_other_units_get_404_and_the_denial_is_audited(
    world: Any, records: dict, as_user: Any
) -> None:
    other = f.make_user("discipline_b", role="discipline", unit=world.county_b)
    client = as_user(other)
    for url in _urls(records):
        assert client.get(url).status_code == 404, url
    assert AuditEvent.objects.filter(action="authz_denied", actor=other).count() == 5
    assert client.get("/supervision/").context["counts"]["reports"] == 0


@pytest.mark.parametrize("persona", ["head_a", "auditor", "cadre_user"])
def test_other_roles_are_refused(world: Any, records: dict, persona: str, as_user: Any) -> None:
    client = as_user(getattr(world, persona))
    assert client.get("/supervision/").status_code == 403
    for url in _urls(records):
        assert client.get(url).status_code in (403, 404), url


def test_staff_record_a_letter_and_act_on_it_through_the_pages(
    world: Any, as_user: Any, second_discipline: Any
) -> None:
    client = as_user(world.discipline_a)
    response = client.post(
        "/supervision/reports/new/",
        {
            "channel": "hotline_12345",
            "received_on": "2025-06-02",
            "subject_kind": "cadre",
            "subject_unit": world.town_a.pk,
            "subject_name": "李乙",
            "problem_kind": "inaction",
            "title": "12345转办：办证拖延",
            "body": "群众反映办证拖延",
            "anonymous": "1",
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302
    assert report.channel == "hotline_12345"
    client.post(f"/supervision/reports/{report.pk}/accept/", {"summary": ""})
    clue = Clue.objects.get()
    client.post(
        f"/supervision/clues/{clue.pk}/propose/",
        {"disposal": "talk_or_inquiry", "reason": "一般性问题，函询了解"},
    )
    refused = client.post(f"/supervision/clues/{clue.pk}/decide/", {"approve": "1", "note": ""})
    assert refused.status_code == 400
    assert "不能自己审批" in refused.content.decode()
    as_user(second_discipline).post(
        f"/supervision/clues/{clue.pk}/decide/", {"approve": "1", "note": "同意"}
    )
    clue.refresh_from_db()
    assert clue.status == "talk_or_inquiry"


def test_bad_input_on_a_page_writes_nothing(world: Any, records: dict, as_user: Any) -> None:
    client = as_user(world.discipline_a)
    case = records["case"]
    response = client.post(
        f"/supervision/cases/{case.pk}/advance/",
        {"target": "closed", "conclusion": "", "conclusion_text": ""},
    )
    assert response.status_code == 400
    assert "请按流程办理" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "verifying"


def test_the_staff_upload_form_still_checks_csrf(world: Any) -> None:
    from conftest import login_as

    client = login_as(world.discipline_a)
    client.handler.enforce_csrf_checks = True
    response = client.post("/supervision/reports/new/", {"channel": "letter"})
    assert response.status_code == 403
    assert not Report.objects.exists()
