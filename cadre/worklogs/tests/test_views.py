import io
from datetime import date
from typing import Any

import openpyxl
import pytest

from cadre.audit.models import AuditEvent
from cadre.workdays.services import workdays_in
from cadre.worklogs import rules, services
from cadre.worklogs.models import QuarterGrade, ReviewerDelegation, WeekReview, WorkLog
from cadre.worklogs.tests.conftest import NOW, TODAY, fill_logs

TEXT = "上午参加全县安全生产工作会议，下午赴青石镇调研农村饮用水工程建设进度"
MONDAY = date(2026, 11, 23)


def submit(world: Any, day: date = TODAY) -> WorkLog:
    return services.save_log(
        by=world.cadre_user, cadre=world.cadre_a, day=day, text=TEXT, submit=True
    )


# ---------------------------------------------------------------- my logs


def test_my_page_shows_the_week_missing_days_and_the_late_window(world: Any, as_user: Any) -> None:
    fill_logs(world.cadre_a, [date(2026, 11, 17), date(2026, 11, 18)])
    page = as_user(world.cadre_user).get("/worklogs/").content.decode()
    assert "3个工作日" in page
    assert "day-missing" in page  # Monday 23 November is past the window
    assert "近6周缺填" in page
    assert "11月23日" in page
    assert "尚可补填" in page


def test_submitting_from_the_page_saves_once_and_redirects(world: Any, as_user: Any) -> None:
    client = as_user(world.cadre_user)
    form = {"day": "2026-11-27", "text": TEXT, "hours": "8", "task_ids": "3, 5", "submit": "1"}
    assert client.post("/worklogs/save/", form).status_code == 302
    form["text"] = TEXT + "。晚上整理纪要"
    client.post("/worklogs/save/", form)
    log = WorkLog.objects.get()
    assert (log.status, log.task_ids, log.text.endswith("整理纪要")) == ("submitted", [3, 5], True)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"day": "2026-11-22", "text": TEXT}, "不是工作日"),
        ({"day": "2026-11-30", "text": TEXT}, "未来日期"),
        ({"day": "2026-11-20", "text": TEXT}, "已超过补填期限"),
        ({"day": "2026-11-27", "text": ""}, "日志内容不能为空"),
        ({"day": "2026-11-27", "text": "字" * 2001}, "不能超过2000字"),
        ({"day": "不是日期", "text": TEXT}, "日期格式应为"),
    ],
)
def test_bad_input_on_the_page_gets_a_chinese_message_and_writes_nothing(
    world: Any, as_user: Any, form: dict, message: str
) -> None:
    response = as_user(world.cadre_user).post("/worklogs/save/", {**form, "submit": "1"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WorkLog.objects.exists()


def test_a_staff_user_without_a_cadre_record_has_no_log_page(world: Any, as_user: Any) -> None:
    assert as_user(world.head_a).get("/worklogs/").status_code == 404


# ---------------------------------------------------------------- out of scope: 404 everywhere


@pytest.fixture
def b_records(world: Any) -> dict[str, int]:
    """A log, a week review and a grade of cadre_b (county_b), out of head_a's scope."""
    from tests import factories as f

    user_b = f.make_user("cadre_b_user", cadre=world.cadre_b)
    log = services.save_log(by=user_b, cadre=world.cadre_b, day=TODAY, text=TEXT, submit=True)
    grade = QuarterGrade.objects.create(
        cadre=world.cadre_b,
        org_unit=world.organ_b,
        year=2026,
        quarter=3,
        proposed_grade="good",
        proposed_at=NOW,
    )
    delegation = ReviewerDelegation.objects.create(
        org_unit=world.organ_b, delegate=world.auditor, granted_by=world.head_b, starts_on=TODAY
    )
    return {
        "log": log.pk,
        "grade": grade.pk,
        "cadre": world.cadre_b.pk,
        "delegation": delegation.pk,
        "unit": world.organ_b.pk,
    }


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/worklogs/logs/{log}/"),
        ("post", "/worklogs/logs/{log}/annotate/"),
        ("get", "/worklogs/review/{cadre}/2026-11-23/"),
        ("get", "/worklogs/grades/{grade}/"),
        ("get", "/worklogs/grades/{grade}/print/"),
        ("post", "/worklogs/grades/{grade}/confirm/"),
        ("post", "/worklogs/grades/{grade}/decide/"),
        ("get", "/worklogs/compliance/cadres/{cadre}/"),
        ("get", "/worklogs/compliance/?unit={unit}"),
        ("get", "/worklogs/grades/?unit={unit}"),
        ("get", "/worklogs/export/logs/?unit={unit}"),
        ("post", "/worklogs/delegations/{delegation}/revoke/"),
    ],
)
def test_pages_out_of_scope_answer_404(
    world: Any, as_user: Any, b_records: dict, method: str, url: str
) -> None:
    client = as_user(world.head_a)
    if method == "get":
        response = client.get(url.format(**b_records))
    else:
        data = {"text": "x", "grade": "poor", "version": 1, "note": "x"}
        response = client.post(url.format(**b_records), data)
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="authz_denied", actor=world.head_a).exists()


def test_a_cadre_cannot_read_a_colleagues_log(world: Any, as_user: Any) -> None:
    from tests import factories as f

    town_user = f.make_user("town", cadre=world.cadre_town)
    log = services.save_log(by=town_user, cadre=world.cadre_town, day=TODAY, text=TEXT)
    assert as_user(world.cadre_user).get(f"/worklogs/logs/{log.pk}/").status_code == 404


# ---------------------------------------------------------------- review


def test_the_queue_lists_the_week_and_batch_marking_reviews_it(world: Any, as_user: Any) -> None:
    submit(world, date(2026, 11, 25))
    client = as_user(world.head_a)
    page = client.get("/worklogs/review/?week=2026-11-23").content.decode()
    assert "王甲" in page
    assert "待审阅" in page
    response = client.post(
        "/worklogs/review/mark/",
        {"week_key": [f"{world.cadre_a.pk}:2026-11-23"], "mark": "good", "comment": "扎实"},
    )
    assert response.status_code == 302
    assert WeekReview.objects.get().mark == "good"
    assert WorkLog.objects.get().status == "reviewed"


def test_batch_marking_out_of_scope_is_404_and_writes_nothing(
    world: Any, as_user: Any, b_records: dict
) -> None:
    submit(world, date(2026, 11, 25))
    response = as_user(world.head_a).post(
        "/worklogs/review/mark/",
        {
            "week_key": [f"{world.cadre_a.pk}:2026-11-23", f"{world.cadre_b.pk}:2026-11-23"],
            "mark": "good",
        },
    )
    assert response.status_code == 404
    assert not WeekReview.objects.exists()


def test_the_review_pages_are_for_reviewers(world: Any, as_user: Any) -> None:
    assert as_user(world.cadre_user).get("/worklogs/review/").status_code == 403
    assert as_user(world.auditor).get("/worklogs/review/").status_code == 403


def test_a_week_page_flags_near_duplicates(world: Any, as_user: Any) -> None:
    fill_logs(world.cadre_a, [date(2026, 11, 16), date(2026, 11, 17)], text=TEXT)
    page = (
        as_user(world.head_a)
        .get(f"/worklogs/review/{world.cadre_a.pk}/2026-11-16/")
        .content.decode()
    )
    assert "高度雷同" in page


# ---------------------------------------------------------------- grades


def test_the_unit_head_proposes_and_confirms_from_the_grades_page(world: Any, as_user: Any) -> None:
    fill_logs(world.cadre_a, workdays_in(*rules.quarter_bounds(2026, 3)))
    client = as_user(world.head_a)
    client.post("/worklogs/grades/propose/", {"year": 2026, "quarter": 3})
    grade = QuarterGrade.objects.get(cadre=world.cadre_a)
    page = client.get("/worklogs/grades/?year=2026&quarter=3").content.decode()
    assert "王甲" in page
    assert "生成/更新等次建议" in page
    # no weekly mark and no target task: incomplete, nothing computed from the logs alone
    assert (grade.incomplete, grade.proposed_grade) == (True, "")
    assert "依据不全" in page
    detail = client.get(f"/worklogs/grades/{grade.pk}/").content.decode()
    assert "依据不全：缺周审阅评价、任务进展" in detail
    client.post("/worklogs/grades/confirm/", {"grade_id": [grade.pk]})
    grade.refresh_from_db()
    assert grade.status == "proposed"  # nothing to confirm "as proposed"
    client.post(
        f"/worklogs/grades/{grade.pk}/confirm/",
        {"grade": "good", "reason": "依据不全，按日志情况人工评定", "version": grade.version},
    )
    grade.refresh_from_db()
    assert grade.status == "confirmed"
    # the cadre sees it and asks for review once
    cadre = as_user(world.cadre_user)
    assert "申请复核" in cadre.get(f"/worklogs/grades/{grade.pk}/").content.decode()
    cadre.post(
        f"/worklogs/grades/{grade.pk}/request-review/", {"reason": "理由", "version": grade.version}
    )
    grade.refresh_from_db()
    assert grade.status == "review_requested"
    sheet = cadre.get(f"/worklogs/grades/{grade.pk}/print/").content.decode()
    assert "公务员平时考核登记表" in sheet
    assert "本人签字" in sheet


def test_confirming_a_change_without_a_reason_is_refused_on_the_page(
    world: Any, as_user: Any
) -> None:
    grade = QuarterGrade.objects.create(
        cadre=world.cadre_a,
        org_unit=world.organ_a,
        year=2026,
        quarter=3,
        proposed_grade="good",
        proposed_at=NOW,
    )
    response = as_user(world.head_a).post(
        f"/worklogs/grades/{grade.pk}/confirm/", {"grade": "average", "version": 1}, follow=True
    )
    assert "请填写调整建议等次的理由" in response.content.decode()
    grade.refresh_from_db()
    assert grade.status == "proposed"


# ---------------------------------------------------------------- compliance and exports


def test_unit_compliance_lists_missing_days_per_cadre(world: Any, as_user: Any) -> None:
    fill_logs(world.cadre_a, workdays_in(date(2026, 11, 2), date(2026, 11, 13)))
    response = as_user(world.head_a).get("/worklogs/compliance/?start=2026-11-01&end=2026-11-27")
    page = response.content.decode()
    totals = response.context["totals"]
    assert (totals.cadres, totals.missing) == (2, 16 - 10 + 16)  # 甲 wrote 10 of 16, 乙 none
    assert "王甲" in page
    assert "李乙" in page
    assert "赵丙" not in page


def test_the_overview_draws_a_chart_by_unit_for_org_admins(world: Any, as_user: Any) -> None:
    page = as_user(world.city_admin).get("/worklogs/overview/").content.decode()
    assert 'id="chart-data"' in page
    assert "东湖县" in page
    assert "西山县" in page
    assert "worklogs/charts.js" in page
    assert as_user(world.head_a).get("/worklogs/overview/").status_code == 403


def test_the_log_export_holds_only_logs_in_scope(world: Any, as_user: Any, b_records: dict) -> None:
    submit(world, TODAY)
    response = as_user(world.head_a).get("/worklogs/export/logs/?start=2026-11-01&end=2026-11-30")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["王甲"]
    assert AuditEvent.objects.filter(action="export", object_type="worklogs.worklog").exists()


def test_the_grade_export_is_an_excel_file(world: Any, as_user: Any) -> None:
    QuarterGrade.objects.create(
        cadre=world.cadre_a,
        org_unit=world.organ_a,
        year=2026,
        quarter=3,
        proposed_grade="good",
        proposed_at=NOW,
    )
    response = as_user(world.city_admin).get("/worklogs/export/grades/?year=2026")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][1] == "王甲"
    assert rows[1][5] == "好"
