"""破格 (选拔任用条例 第八条): request, second-person approval, the report and its export."""

import io
from datetime import date
from typing import Any

import openpyxl
import pytest

from cadre.audit.models import AuditEvent
from cadre.eligibility import services
from cadre.eligibility.models import Override
from cadre.eligibility.services import EligibilityError
from tests import factories as f


@pytest.fixture(autouse=True)
def _today(clock: Any) -> None:
    clock.move_to("2026-12-07")


@pytest.fixture
def post(world: Any) -> Any:
    """A county deputy post: 李乙 lacks grass-roots years and training hours (第七条 一、五)."""
    return f.make_position(
        world.county_a, "副县长", is_leadership=True, leadership_level="county_deputy"
    )


@pytest.fixture
def org_a(world: Any) -> Any:
    """A second org_admin over 东湖县, to approve what city_admin requests."""
    return f.make_user("org_a", role="org_admin", unit=world.county_a)


def requested(world: Any, post: Any, reason: str = "脱贫攻坚一线表现特别优秀") -> Override:
    return services.request_override(
        by=world.city_admin,
        cadre=world.cadre_town,
        decision="promotion",
        on=date(2026, 12, 7),
        reason=reason,
        position=post,
    )


def test_a_request_records_the_qualification_blocks_it_passes_over(world: Any, post: Any) -> None:
    item = requested(world, post)
    assert item.status == "pending"
    reasons = [b["reason"] for b in item.blocks]
    assert any("基层工作经历" in r for r in reasons)
    assert all(b["overridable"] for b in item.blocks)
    assert AuditEvent.objects.filter(action="override_requested").count() == 1


def test_a_reason_is_required_and_nothing_is_written(world: Any, post: Any) -> None:
    with pytest.raises(EligibilityError, match="请填写破格理由"):
        requested(world, post, reason="   ")
    assert not Override.objects.exists()
    assert not AuditEvent.objects.filter(action="override_requested").exists()


def test_the_requester_cannot_approve_and_a_second_person_can(
    world: Any, post: Any, org_a: Any
) -> None:
    item = requested(world, post)
    with pytest.raises(EligibilityError, match="另一人审批"):
        services.approve_override(by=world.city_admin, override=item, approve=True)
    item.refresh_from_db()
    assert (item.status, item.approved_by) == ("pending", None)
    with pytest.raises(EligibilityError, match="不批准时请填写意见"):
        services.approve_override(by=org_a, override=item, approve=False)
    done = services.approve_override(by=org_a, override=item, approve=True, note="同意")
    assert (done.status, done.approved_by) == ("approved", org_a)


# ---- pages -----------------------------------------------------------------------------------


def test_request_approve_and_report_on_the_pages(
    world: Any, post: Any, org_a: Any, as_user: Any
) -> None:
    admin = as_user(world.city_admin)
    form = admin.get("/eligibility/overrides/new/?q=李乙").content.decode()
    assert "申请破格" in form
    assert "李乙" in form
    assert "提拔（列为考察对象、任上一级职务）" in form
    missing = admin.post(
        "/eligibility/overrides/new/", {"cadre": world.cadre_town.pk, "position": post.pk}
    )
    assert missing.status_code == 400
    assert not Override.objects.exists()
    none_to_pass = admin.post(
        "/eligibility/overrides/new/", {"cadre": world.cadre_town.pk, "reason": "优秀"}
    )
    assert none_to_pass.status_code == 400
    assert "没有可以破格的资格条件限制" in none_to_pass.content.decode()
    made = admin.post(
        "/eligibility/overrides/new/",
        {"cadre": world.cadre_town.pk, "position": post.pk, "reason": "脱贫攻坚一线表现特别优秀"},
    )
    item = Override.objects.get()
    assert made.status_code == 302
    own = admin.get(f"/eligibility/overrides/{item.pk}/").content.decode()
    assert "须由另一人审批" in own
    self_approved = admin.post(f"/eligibility/overrides/{item.pk}/approve/", {"approve": "1"})
    assert self_approved.status_code == 400
    assert "另一人审批" in self_approved.content.decode()
    item.refresh_from_db()
    assert item.status == "pending"
    second = as_user(org_a)
    assert (
        second.post(
            f"/eligibility/overrides/{item.pk}/approve/", {"approve": "1", "note": "同意"}
        ).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.status == "approved"

    report = admin.get("/eligibility/overrides/").content.decode()
    for text in (
        "破格使用情况",
        "李乙",
        "东湖县副县长",
        "脱贫攻坚一线表现特别优秀",
        "基层工作经历",
    ):
        assert text in report
    assert "org_a" in report
    assert "已批准" in report

    export = admin.get("/eligibility/overrides/export.xlsx?status=approved")
    assert export.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "干部", "单位", "事项")
    assert rows[1][1] == "李乙"
    assert "基层工作经历" in rows[1][6]
    assert rows[1][7] == "city_admin"
    assert rows[1][9] == "org_a"
    assert rows[1][13] == "已批准"
    assert AuditEvent.objects.filter(action="export", object_type="eligibility.override").exists()


def test_out_of_scope_and_wrong_roles_are_refused_on_the_pages(
    world: Any, post: Any, as_user: Any
) -> None:
    item = requested(world, post)
    org_b = as_user(f.make_user("org_b", role="org_admin", unit=world.county_b))
    assert org_b.get(f"/eligibility/overrides/{item.pk}/").status_code == 404
    assert (
        org_b.post(f"/eligibility/overrides/{item.pk}/approve/", {"approve": "1"}).status_code
        == 404
    )
    assert (
        org_b.post(
            "/eligibility/overrides/new/",
            {"cadre": world.cadre_town.pk, "reason": "越权"},
        ).status_code
        == 404
    )
    assert org_b.get("/eligibility/overrides/").context["page"].paginator.count == 0
    discipline = as_user(world.discipline_a)
    assert discipline.get("/eligibility/overrides/").status_code == 200
    assert (
        discipline.post(f"/eligibility/overrides/{item.pk}/approve/", {"approve": "1"}).status_code
        == 403
    )
    assert as_user(world.head_a).get("/eligibility/overrides/").status_code == 403
    item.refresh_from_db()
    assert item.status == "pending"
    assert Override.objects.count() == 1


# ---- API -------------------------------------------------------------------------------------


def test_the_api_requests_approves_and_reports(
    world: Any, post: Any, org_a: Any, as_user: Any
) -> None:
    admin = as_user(world.city_admin)
    no_reason = admin.post(
        "/api/v1/eligibility/overrides",
        {"cadre_id": world.cadre_town.pk, "position_id": post.pk, "reason": ""},
        content_type="application/json",
    )
    assert no_reason.status_code == 400
    assert "破格理由" in no_reason.json()["detail"]
    created = admin.post(
        "/api/v1/eligibility/overrides",
        {"cadre_id": world.cadre_town.pk, "position_id": post.pk, "reason": "特别优秀"},
        content_type="application/json",
    )
    assert created.status_code == 201
    item_id = created.json()["id"]
    assert created.json()["blocks"][0]["overridable"] is True
    same = admin.post(
        f"/api/v1/eligibility/overrides/{item_id}/approve",
        {"approve": True},
        content_type="application/json",
    )
    assert same.status_code == 400
    assert "另一人" in same.json()["detail"]
    approved = as_user(org_a).post(
        f"/api/v1/eligibility/overrides/{item_id}/approve",
        {"approve": True, "note": "同意"},
        content_type="application/json",
    )
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == "org_a"
    listing = admin.get("/api/v1/eligibility/overrides?status=approved").json()
    assert listing["count"] == 1
    assert listing["items"][0]["requested_by"] == "city_admin"
    not_promotion = admin.post(
        "/api/v1/eligibility/overrides",
        {"cadre_id": world.cadre_town.pk, "reason": "x", "decision": "excellent_grade"},
        content_type="application/json",
    )
    assert not_promotion.status_code == 400
    assert "只有提拔可按" in not_promotion.json()["detail"]


def test_the_api_refuses_out_of_scope(world: Any, post: Any, as_user: Any) -> None:
    item = requested(world, post)
    org_b = as_user(f.make_user("org_b", role="org_admin", unit=world.county_b))
    assert org_b.get(f"/api/v1/eligibility/overrides/{item.pk}").status_code == 404
    assert (
        org_b.post(
            f"/api/v1/eligibility/overrides/{item.pk}/approve",
            {"approve": True},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        org_b.post(
            "/api/v1/eligibility/overrides",
            {"cadre_id": world.cadre_town.pk, "reason": "越权"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert org_b.get("/api/v1/eligibility/overrides").json()["count"] == 0
    item.refresh_from_db()
    assert item.status == "pending"
