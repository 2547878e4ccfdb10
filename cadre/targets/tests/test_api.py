"""The REST API: same scope (404 outside), same services, Chinese errors."""

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from cadre.targets import services
from cadre.targets.models import InspectionTopic
from cadre.targets.tests.conftest import draft_book


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def objects(world: Any, signed: Any, travel: Any) -> dict[str, Any]:
    task = signed.tasks.order_by("seq").first()
    project = services.create_project(
        by=world.head_a,
        unit=world.organ_a,
        year=2026,
        name="产业园基础设施",
        budget=Decimal(5000),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    inspection = services.create_inspection(
        by=world.city_admin,
        topic=InspectionTopic.objects.get(name="三改一拆"),
        title="三改一拆督查",
        unit=world.city,
        starts_on=date(2026, 1, 10),
        ends_on=date(2026, 2, 10),
        unit_ids=[world.organ_a.pk],
    )
    services.add_finding(
        by=world.city_admin,
        inspection=inspection,
        unit_id=world.organ_a.pk,
        positive=True,
        found_on=date(2026, 1, 15),
        description="拆违有力",
        evidence="台账",
    )
    return {"book": signed, "task": task, "project": project, "inspection": inspection}


URLS = [
    ("/api/v1/targets/books/{book.pk}", "head_a"),
    ("/api/v1/targets/tasks/{task.pk}", "head_a"),
    ("/api/v1/targets/tasks/{task.pk}/progress", "cadre_user"),
    ("/api/v1/targets/projects/{project.pk}", "head_a"),
    ("/api/v1/targets/inspections/{inspection.pk}", "city_admin"),  # the organising side
]


@pytest.mark.parametrize(("url", "viewer"), URLS)
def test_out_of_scope_is_404(
    world: Any, objects: dict[str, Any], as_user: Any, url: str, viewer: str
) -> None:
    path = url.format(**objects)
    assert as_user(getattr(world, viewer)).get(path).status_code == 200
    response = as_user(world.head_b).get(path)
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到该记录"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/targets/books",
        "/api/v1/targets/projects",
        "/api/v1/targets/inspections",
        "/api/v1/targets/findings",
    ],
)
def test_lists_are_scoped(world: Any, objects: dict[str, Any], as_user: Any, url: str) -> None:
    assert as_user(world.city_admin).get(url).json()["count"] >= 1
    assert as_user(world.head_b).get(url).json()["count"] == 0


def test_book_detail_carries_tasks_with_progress(
    world: Any, objects: dict[str, Any], as_user: Any
) -> None:
    body = as_user(world.cadre_user).get(f"/api/v1/targets/books/{objects['book'].pk}").json()
    assert body["status"] == "signed"
    assert body["status_label"] == "已签订"
    assert [t["weight"] for t in body["tasks"]] == ["60.00", "40.00"]
    assert body["tasks"][0]["progress_status"] in ("on_track", "lagging", "at_risk")


def test_progress_and_reconciliation_through_the_api(
    world: Any, objects: dict[str, Any], as_user: Any, travel: Any
) -> None:
    task = objects["task"]
    travel("2026-06-30")
    owner = as_user(world.cadre_user)
    response = post(
        owner,
        f"/api/v1/targets/tasks/{task.pk}/progress",
        {"on": "2026-06-30", "value": "120", "narrative": "上半年完成120亿元"},
    )
    assert response.status_code == 201
    assert response.json()["pct"] == "60.0"
    travel("2026-12-20")  # sessions expire over time: log in again
    owner, admin = as_user(world.cadre_user), as_user(world.city_admin)
    response = post(
        owner,
        f"/api/v1/targets/tasks/{task.pk}/reconciliation",
        {"outcome": "exceeded", "actual_value": "150", "evidence": "统计数据"},
    )
    assert response.status_code == 400
    assert "超额完成" in response.json()["detail"]
    assert (
        post(
            owner,
            f"/api/v1/targets/tasks/{task.pk}/reconciliation",
            {"outcome": "completed", "actual_value": "205", "evidence": "统计数据"},
        ).status_code
        == 200
    )
    assert (
        post(
            owner,
            f"/api/v1/targets/tasks/{task.pk}/reconciliation/confirm",
            {"outcome": "completed"},
        ).status_code
        == 403
    )
    response = post(
        admin, f"/api/v1/targets/tasks/{task.pk}/reconciliation/confirm", {"outcome": "basic"}
    )
    assert response.status_code == 400
    assert "理由" in response.json()["detail"]
    body = post(
        admin, f"/api/v1/targets/tasks/{task.pk}/reconciliation/confirm", {"outcome": "completed"}
    ).json()
    assert body["confirmed"] is True


def test_stale_action_is_409(world: Any, travel: Any, as_user: Any) -> None:
    book = draft_book(world)
    head = as_user(world.head_a)
    ok = post(
        head,
        f"/api/v1/targets/books/{book.pk}/actions",
        {"action": "submit", "version": book.version},
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == book.version + 1
    stale = post(
        as_user(world.city_admin),
        f"/api/v1/targets/books/{book.pk}/actions",
        {"action": "approve", "version": book.version},
    )
    assert stale.status_code == 409
    assert "已被他人处理" in stale.json()["detail"]


def test_bad_enum_is_a_chinese_400(world: Any, objects: dict[str, Any], as_user: Any) -> None:
    response = post(
        as_user(world.city_admin),
        f"/api/v1/targets/books/{objects['book'].pk}/actions",
        {"action": "delete", "version": 1},
    )
    assert response.status_code == 400
    assert "取值无效" in response.json()["detail"]
