import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from cadre.accounts.models import ApiToken
from cadre.audit.models import AuditEvent
from cadre.worklogs import services
from cadre.worklogs.models import QuarterGrade, WeekReview, WorkLog
from cadre.worklogs.tests.conftest import NOW, TODAY

TEXT = "上午参加全县安全生产工作会议，下午赴青石镇调研农村饮用水工程建设进度"
API = "/api/v1/worklogs"


class Program:
    """A client calling the API with a bearer token, as a program would."""

    def __init__(self, user: Any) -> None:
        _, raw = ApiToken.issue(user=user, name="测试")
        self.client, self.auth = Client(), f"Bearer {raw}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(API + path, params, HTTP_AUTHORIZATION=self.auth)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            API + path,
            json.dumps(body, default=str),
            content_type="application/json",
            HTTP_AUTHORIZATION=self.auth,
        )


@pytest.fixture
def cadre_api(world: Any) -> Program:
    return Program(world.cadre_user)


def test_submitting_twice_updates_the_same_log(cadre_api: Program) -> None:
    first = cadre_api.post("/logs", {"day": TODAY, "text": "起草材料", "submit": False})
    second = cadre_api.post("/logs", {"day": TODAY, "text": TEXT, "hours": "8"})
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert (second.json()["status"], second.json()["version"]) == ("submitted", 2)
    assert WorkLog.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"day": "2026-11-22", "text": TEXT}, 400, "不是工作日"),
        ({"day": "2026-12-01", "text": TEXT}, 400, "未来日期"),
        ({"day": "2026-11-20", "text": TEXT}, 400, "已超过补填期限"),
        ({"day": "2026-11-27", "text": ""}, 400, "日志内容不能为空"),
        ({"day": "2026-11-27", "text": "字" * 2001}, 400, "不能超过2000字"),
        ({"day": "2026-11-27", "text": TEXT, "cadre_id": 999}, 403, "只能提交本人的日志"),
        ({"day": "2026-11-27"}, 400, "请求参数有误"),
    ],
)
def test_bad_log_input_is_refused_in_chinese_and_writes_nothing(
    cadre_api: Program, body: dict, status: int, message: str
) -> None:
    response = cadre_api.post("/logs", body)
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert not WorkLog.objects.exists()


def test_a_staff_account_without_a_cadre_cannot_submit(world: Any) -> None:
    response = Program(world.head_a).post("/logs", {"day": TODAY, "text": TEXT})
    assert response.status_code == 403
    assert "未关联干部档案" in response.json()["detail"]


def test_bulk_submit_is_all_or_nothing_with_per_item_errors(cadre_api: Program) -> None:
    items = [
        {"day": "2026-11-25", "text": TEXT},
        {"day": "2026-11-22", "text": TEXT},
        {"day": "2026-11-26", "text": " "},
    ]
    response = cadre_api.post("/logs/bulk", {"items": items})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "共2条日志有误，全部未保存"
    assert [(e["index"], e["day"]) for e in body["errors"]] == [
        (1, "2026-11-22"),
        (2, "2026-11-26"),
    ]
    assert not WorkLog.objects.exists()
    items = [{"day": f"2026-11-{d}", "text": f"{TEXT}{d}"} for d in (24, 25, 26, 27)]
    response = cadre_api.post("/logs/bulk", {"items": items})
    assert response.status_code == 200
    assert [log["is_late"] for log in response.json()] == [True, True, True, False]


def test_reading_logs_is_scoped(world: Any, cadre_api: Program) -> None:
    own = cadre_api.post("/logs", {"day": TODAY, "text": TEXT}).json()
    assert Program(world.head_a).get(f"/logs/{own['id']}").status_code == 200
    assert Program(world.head_b).get(f"/logs/{own['id']}").status_code == 404
    assert Program(world.head_b).get("/logs").json()["count"] == 0
    assert Program(world.city_admin).get("/logs", cadre_id=world.cadre_a.pk).json()["count"] == 1
    assert AuditEvent.objects.filter(action="authz_denied", actor=world.head_b).exists()


def test_review_in_scope_and_out_of_scope(world: Any, cadre_api: Program) -> None:
    cadre_api.post("/logs", {"day": "2026-11-25", "text": TEXT})
    week = [{"cadre_id": world.cadre_a.pk, "week_start": "2026-11-23"}]
    refused = Program(world.head_b).post("/reviews", {"weeks": week, "mark": "poor"})
    assert refused.status_code == 404
    assert not WeekReview.objects.exists()
    done = Program(world.head_a).post(
        "/reviews", {"weeks": week, "mark": "good", "comment": "扎实"}
    )
    assert done.status_code == 200
    assert done.json()[0]["mark"] == "good"
    again = cadre_api.post("/logs", {"day": "2026-11-25", "text": "改写"})
    assert again.status_code == 400
    assert "已审阅" in again.json()["detail"]
    note = cadre_api.post(f"/logs/{WorkLog.objects.get().pk}/annotations", {"text": "补充说明"})
    assert note.status_code == 201


def test_a_cadre_cannot_review(world: Any, cadre_api: Program) -> None:
    week = [{"cadre_id": world.cadre_a.pk, "week_start": "2026-11-23"}]
    assert cadre_api.post("/reviews", {"weeks": week, "mark": "good"}).status_code == 403


def test_grades_confirm_and_review_request_over_the_api(world: Any, cadre_api: Program) -> None:
    grade = QuarterGrade.objects.create(
        cadre=world.cadre_a,
        org_unit=world.organ_a,
        year=2026,
        quarter=3,
        proposed_grade="good",
        proposed_at=NOW,
    )
    assert (
        Program(world.head_b)
        .post(f"/grades/{grade.pk}/confirm", {"grade": "good", "version": 1})
        .status_code
        == 404
    )
    head = Program(world.head_a)
    missing_reason = head.post(f"/grades/{grade.pk}/confirm", {"grade": "poor", "version": 1})
    assert missing_reason.status_code == 400
    assert "理由" in missing_reason.json()["detail"]
    ok = head.post(f"/grades/{grade.pk}/confirm", {"grade": "good", "version": 1})
    assert (ok.status_code, ok.json()["final_grade"]) == (200, "good")
    stale = head.post(f"/grades/{grade.pk}/confirm", {"grade": "good", "version": 1})
    assert stale.status_code == 409
    asked = cadre_api.post(f"/grades/{grade.pk}/review-request", {"reason": "请复核", "version": 2})
    assert asked.json()["status"] == "review_requested"
    twice = cadre_api.post(f"/grades/{grade.pk}/review-request", {"reason": "再次", "version": 3})
    assert "只能提出一次" in twice.json()["detail"]
    assert cadre_api.get("/grades").json()["count"] == 1
    assert Program(world.head_b).get("/grades").json()["count"] == 0


def test_signals_api_is_scoped(world: Any, cadre_api: Program) -> None:
    services.save_log(by=world.cadre_user, cadre=world.cadre_a, day=TODAY, text=TEXT, submit=True)
    params = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}
    mine = cadre_api.get(f"/signals/cadres/{world.cadre_a.pk}", **params)
    assert mine.status_code == 200
    assert mine.json()["missing_days"][0] == "2026-11-02"
    assert cadre_api.get(f"/signals/cadres/{world.cadre_b.pk}", **params).status_code == 404
    assert cadre_api.get(f"/signals/units/{world.organ_a.pk}", **params).status_code == 403
    unit = Program(world.head_a).get(f"/signals/units/{world.county_a.pk}", **params)
    rows = unit.json()["items"]
    assert {row["cadre_id"] for row in rows} == {world.cadre_a.pk, world.cadre_town.pk}
    assert (
        Program(world.head_a).get(f"/signals/units/{world.organ_b.pk}", **params).status_code == 404
    )
