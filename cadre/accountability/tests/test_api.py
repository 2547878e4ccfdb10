"""Staff API for measures, inquiries and exemptions: same rules, same scope, Chinese errors."""

from typing import Any

from cadre.accountability.models import Measure, WrittenInquiry
from cadre.supervision.tests.helpers import measure
from cadre.tolerance.models import ExemptionApplication

MEASURE = {
    "kind": "gov_demerit",
    "issuing_body": "东湖县监委",
    "decided_on": "2025-05-06",
    "effective_on": "2025-05-06",
    "facts": "推诿扯皮",
    "article": "政务处分法第三十九条",
}


def test_recording_a_measure_through_the_api(world: Any, as_user: Any) -> None:
    client = as_user(world.discipline_a)
    ok = client.post(
        "/api/v1/accountability/measures",
        content_type="application/json",
        data={**MEASURE, "cadre_id": world.cadre_town.pk},
    )
    assert ok.status_code == 201
    assert ok.json()["influence_until"] == "2026-05-05"
    bad = client.post(
        "/api/v1/accountability/measures",
        content_type="application/json",
        data={**MEASURE, "cadre_id": world.cadre_town.pk, "effective_on": "2025-05-07"},
    )
    assert bad.status_code == 400
    assert "自作出之日起生效" in bad.json()["detail"]
    other = client.post(
        "/api/v1/accountability/measures",
        content_type="application/json",
        data={**MEASURE, "cadre_id": world.cadre_b.pk},
    )
    assert other.status_code == 404
    assert Measure.objects.count() == 1


def test_inquiry_through_the_api_and_a_reply_after_closure(world: Any, as_user: Any) -> None:
    client = as_user(world.city_admin)
    sent = client.post(
        "/api/v1/accountability/inquiries",
        content_type="application/json",
        data={
            "cadre_id": world.cadre_a.pk,
            "issuing_body": "县委组织部",
            "questions": "请说明",
            "sent_on": "2025-09-26",
        },
    )
    assert (sent.status_code, sent.json()["due_on"]) == (201, "2025-10-23")
    inquiry = WrittenInquiry.objects.get()
    reply = {
        "reply_text": "说明",
        "replied_on": "2025-10-09",
        "signoff_name": "周正",
        "signoff_opinion": "属实",
        "signoff_on": "2025-10-09",
    }
    own = as_user(world.cadre_user)
    assert (
        own.post(
            f"/api/v1/accountability/inquiries/{inquiry.pk}/reply",
            content_type="application/json",
            data=reply,
        ).status_code
        == 200
    )
    client.post(
        f"/api/v1/accountability/inquiries/{inquiry.pk}/close",
        content_type="application/json",
        data={"outcome": "clarified", "note": "已澄清"},
    )
    again = own.post(
        f"/api/v1/accountability/inquiries/{inquiry.pk}/reply",
        content_type="application/json",
        data=reply,
    )
    assert again.status_code == 400
    assert again.json()["detail"] == "函询已办结，不能再回复"


def test_exemption_through_the_api_is_refused_for_someone_elses_measure(
    world: Any, as_user: Any
) -> None:
    own_measure = measure(world.city_admin, world.cadre_a, "admonishment")
    body = {
        "facts": "改革试点",
        "distinction": "inexperience_vs_knowing_violation",
        "statements": {
            "goal_missed": "a",
            "per_guidance": "b",
            "diligent": "c",
            "no_private_gain": "d",
        },
    }
    client = as_user(world.cadre_user)
    ok = client.post(
        "/api/v1/tolerance/exemptions",
        content_type="application/json",
        data={**body, "measure_id": own_measure.pk},
    )
    assert ok.status_code == 201
    others = measure(world.city_admin, world.cadre_town, "admonishment")
    refused = client.post(
        "/api/v1/tolerance/exemptions",
        content_type="application/json",
        data={**body, "measure_id": others.pk},
    )
    assert refused.status_code == 404  # not the applicant's: out of their scope
    staff = as_user(world.city_admin).post(
        "/api/v1/tolerance/exemptions",
        content_type="application/json",
        data={
            **body,
            "applicant_kind": "unit",
            "cadre_id": world.cadre_a.pk,
            "measure_id": others.pk,
        },
    )
    assert staff.status_code == 400
    assert "不属于申请人" in staff.json()["detail"]
    assert ExemptionApplication.objects.count() == 1


def test_unauthenticated_staff_api_is_refused(world: Any) -> None:
    from django.test import Client

    assert Client().get("/api/v1/accountability/measures").status_code == 401
    assert Client().get("/api/v1/supervision/reports").status_code == 401
