"""Pages: each view family answers 404 out of scope; the role pages show what they promise."""

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from cadre.audit.models import AuditEvent
from cadre.cadres.models import Cadre
from cadre.targets import services
from cadre.targets.models import InspectionTopic, TaskBook
from cadre.targets.tests.conftest import act, draft_book


@pytest.fixture
def year(world: Any, signed: Any, travel: Any) -> dict[str, Any]:
    """A signed book with progress, a review, a project and an inspection with a finding."""
    task = signed.tasks.order_by("seq").first()
    travel("2026-07-01")
    services.record_progress(
        by=world.cadre_user,
        task=task,
        on=date(2026, 6, 30),
        value=Decimal(20),
        narrative="进度偏慢",
        lag_reason="项目未落地",
    )
    review = services.create_midyear_review(
        by=world.city_admin, unit=world.county_a, as_of=date(2026, 6, 30)
    )
    project = services.create_project(
        by=world.head_a,
        unit=world.organ_a,
        year=2026,
        name="城北污水处理厂",
        budget=Decimal(12000),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    inspection = services.create_inspection(
        by=world.city_admin,
        topic=InspectionTopic.objects.get(name="五水共治"),
        title="2026年五水共治专项督查",
        unit=world.city,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 7, 31),
        unit_ids=[world.organ_a.pk],
        task_ids=[task.pk],
    )
    finding = services.add_finding(
        by=world.city_admin,
        inspection=inspection,
        unit_id=world.organ_a.pk,
        positive=False,
        found_on=date(2026, 6, 15),
        description="截污纳管进度滞后",
        evidence="现场核查记录",
        cadre_id=world.cadre_a.pk,
        requirement="限期完成截污纳管",
        deadline=date(2026, 9, 30),
    )
    return {
        "book": signed,
        "task": task,
        "review": review,
        "project": project,
        "inspection": inspection,
        "finding": finding,
        "entry": review.entries.get(book=signed),
    }


PAGES = [
    "/targets/books/{book.pk}/",
    "/targets/books/{book.pk}/export.xlsx",
    "/targets/tasks/{task.pk}/",
    "/targets/reviews/{review.pk}/",
    "/targets/reviews/{review.pk}/books/{entry.pk}/",
    "/targets/reviews/{review.pk}/export.xlsx",
    "/targets/projects/{project.pk}/",
    "/targets/inspections/{inspection.pk}/",
    "/targets/findings/{finding.pk}/",
    "/targets/units/{book.unit_id}/",
]


@pytest.mark.parametrize("url", PAGES)
def test_out_of_scope_users_get_404(
    world: Any, year: dict[str, Any], as_user: Any, url: str
) -> None:
    path = url.format(**year)
    assert as_user(world.city_admin).get(path).status_code == 200
    assert as_user(world.head_b).get(path).status_code == 404


@pytest.mark.parametrize("url", PAGES[:3] + PAGES[6:7])
def test_a_plain_user_gets_404_too(
    world: Any, year: dict[str, Any], as_user: Any, url: str
) -> None:
    assert as_user(world.outsider).get(url.format(**year)).status_code == 404


POSTS = [
    ("/targets/books/{book.pk}/action/", {"action": "sign", "version": 1}),
    ("/targets/tasks/{task.pk}/progress/", {"on": "2026-07-01", "value": 1, "narrative": "x"}),
    ("/targets/tasks/{task.pk}/confirm/", {"outcome": "completed"}),
    ("/targets/reviews/{review.pk}/opinion/", {"opinion": "x"}),
    ("/targets/projects/{project.pk}/problem/", {"title": "x", "raised_on": "2026-06-01"}),
    ("/targets/inspections/{inspection.pk}/visit/", {"on": "2026-06-01"}),
    ("/targets/findings/{finding.pk}/follow-up/", {"on": "2026-07-01", "note": "x"}),
]


@pytest.mark.parametrize(("url", "data"), POSTS)
def test_out_of_scope_writes_get_404_and_are_audited(
    world: Any, year: dict[str, Any], as_user: Any, url: str, data: dict
) -> None:
    before = AuditEvent.objects.filter(action="authz_denied").count()
    assert as_user(world.head_b).post(url.format(**year), data).status_code == 404
    assert AuditEvent.objects.filter(action="authz_denied").count() == before + 1


def test_lists_show_only_the_scope(world: Any, year: dict[str, Any], as_user: Any) -> None:
    for url in (
        "/targets/books/?year=2026",
        "/targets/reviews/",
        "/targets/projects/?year=2026",
        "/targets/inspections/",
        "/targets/yearend/?year=2026",
    ):
        other = as_user(world.head_b).get(url).content.decode()
        assert "东湖县财政局" not in other, url
    assert "东湖县财政局" in as_user(world.head_a).get("/targets/books/?year=2026").content.decode()


def test_my_tasks_shows_the_cadres_tasks_with_progress(
    world: Any, year: dict[str, Any], as_user: Any
) -> None:
    page = as_user(world.cadre_user).get("/targets/my/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "招商引资到位资金" in html
    assert "<progress" in html
    assert as_user(world.head_b).get("/targets/my/").status_code == 404  # no cadre record


def test_unit_books_show_progress_bars_and_lagging_tasks(
    world: Any, year: dict[str, Any], as_user: Any
) -> None:
    html = as_user(world.head_a).get("/targets/books/?year=2026").content.decode()
    assert html.count("<progress") >= 2
    assert "严重滞后" in html  # 10% done against an expected ~50%


def test_overview_has_a_chart_and_the_lagging_list(
    world: Any, year: dict[str, Any], as_user: Any
) -> None:
    page = as_user(world.city_admin).get("/targets/overview/?year=2026")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="chart-data"' in html
    assert "targets/charts.js" in html
    assert "东湖县" in html
    assert "招商引资到位资金" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html)
    assert ' style="' not in html
    assert as_user(world.head_a).get("/targets/overview/").status_code == 403


def test_overview_export_is_an_xlsx(world: Any, year: dict[str, Any], as_user: Any) -> None:
    response = as_user(world.city_admin).get("/targets/overview/lagging.xlsx?year=2026")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="export", object_type="targets.lagging").exists()


def test_a_book_page_walks_the_workflow(world: Any, travel: Any, as_user: Any) -> None:
    book = draft_book(world)
    head, admin = as_user(world.head_a), as_user(world.city_admin)
    assert "提交审批" in head.get(f"/targets/books/{book.pk}/").content.decode()
    assert (
        head.post(
            f"/targets/books/{book.pk}/action/", {"action": "submit", "version": book.version}
        ).status_code
        == 302
    )
    page = admin.get(f"/targets/books/{book.pk}/").content.decode()
    assert "审批通过" in page
    assert "退回修改" in page
    stale = book.version  # the reviewer's page was opened before the submission
    response = admin.post(
        f"/targets/books/{book.pk}/action/", {"action": "approve", "version": stale}
    )
    assert response.status_code == 409
    assert "已被他人处理" in response.content.decode()
    book.refresh_from_db()
    assert (
        admin.post(
            f"/targets/books/{book.pk}/action/", {"action": "approve", "version": book.version}
        ).status_code
        == 302
    )
    assert TaskBook.objects.get(pk=book.pk).status == "approved"


def test_a_cadre_user_sees_no_approval_buttons(world: Any, travel: Any, as_user: Any) -> None:
    book = draft_book(world)
    act(book, world.head_a, "submit")
    page = as_user(world.cadre_user).get(f"/targets/books/{book.pk}/")
    assert page.status_code == 200
    assert "审批通过" not in page.content.decode()
    response = as_user(world.cadre_user).post(
        f"/targets/books/{book.pk}/action/", {"action": "approve", "version": book.version + 1}
    )
    assert response.status_code in (403, 409)
    assert TaskBook.objects.get(pk=book.pk).status == "submitted"


def test_review_page_shows_the_frozen_snapshot(
    world: Any, year: dict[str, Any], as_user: Any
) -> None:
    client = as_user(world.city_admin)
    html = client.get(
        f"/targets/reviews/{year['review'].pk}/books/{year['entry'].pk}/"
    ).content.decode()
    assert "项目未落地" in html
    response = client.post(
        f"/targets/reviews/{year['review'].pk}/opinion/", {"opinion": "", "finalize": "on"}
    )
    assert response.status_code == 400
    assert "定稿前请填写检查意见" in response.content.decode()


def test_finding_follow_up_until_closed(world: Any, year: dict[str, Any], as_user: Any) -> None:
    finding = year["finding"]
    head = as_user(world.head_a)
    assert (
        head.post(
            f"/targets/findings/{finding.pk}/follow-up/", {"on": "2026-07-01", "note": "已完成60%"}
        ).status_code
        == 302
    )
    response = head.post(
        f"/targets/findings/{finding.pk}/follow-up/",
        {"on": "2026-07-01", "note": "完成", "closes": "on"},
    )
    assert response.status_code == 403  # only the inspecting side closes
    assert (
        as_user(world.city_admin)
        .post(
            f"/targets/findings/{finding.pk}/follow-up/",
            {"on": "2026-07-01", "note": "验收合格", "closes": "on"},
        )
        .status_code
        == 302
    )
    finding.refresh_from_db()
    assert (finding.status, finding.closed_on) == ("closed", date(2026, 7, 1))


def test_findings_show_on_the_cadre_page(world: Any, year: dict[str, Any], as_user: Any) -> None:
    html = as_user(world.head_a).get(f"/cadres/{world.cadre_a.pk}/").content.decode()
    assert "目标任务与专项督查" in html
    assert "截污纳管进度滞后" in html
    assert "招商引资到位资金" in html
    assert "督查发现" in html  # the timeline item


def test_key_project_leaders_visits_and_problems(
    world: Any, year: dict[str, Any], as_user: Any
) -> None:
    project = year["project"]
    head = as_user(world.head_a)
    Cadre.objects.filter(pk=world.cadre_town.pk).update(is_leader=True)
    response = head.post(
        f"/targets/projects/{project.pk}/link/",
        {"cadre": world.cadre_town.pk, "role": "lead", "since": "2026-01-10"},
    )
    assert response.status_code == 400  # a leader of another branch is not offered
    Cadre.objects.filter(pk=world.cadre_a.pk).update(is_leader=True)
    assert (
        head.post(
            f"/targets/projects/{project.pk}/link/",
            {"cadre": world.cadre_a.pk, "role": "lead", "since": "2026-01-10"},
        ).status_code
        == 302
    )
    assert (
        head.post(
            f"/targets/projects/{project.pk}/visit/",
            {"cadre": world.cadre_a.pk, "on": "2026-06-30", "note": "现场调度"},
        ).status_code
        == 302
    )
    head.post(
        f"/targets/projects/{project.pk}/problem/",
        {"title": "用地指标不足", "raised_on": "2026-05-01"},
    )
    problem = project.problems.get()
    response = head.post(
        f"/targets/projects/{project.pk}/problems/{problem.pk}/",
        {"status": "solved", "solved_on": "2026-04-01", "note": "x"},
    )
    assert response.status_code == 400
    assert "不能早于提出日期" in response.content.decode()
    assert (
        head.post(
            f"/targets/projects/{project.pk}/problems/{problem.pk}/",
            {
                "status": "solved",
                "solved_on": "2026-06-20",
                "solved_by": world.cadre_a.pk,
            },
        ).status_code
        == 302
    )
    html = as_user(world.cadre_user).get(f"/targets/projects/{project.pk}/").content.decode()
    assert "领办" in html
    assert "现场调度" in html
    assert "已解决" in html


def test_topics_are_editable_by_the_org_department_only(world: Any, as_user: Any) -> None:
    assert (
        as_user(world.city_admin)
        .post("/targets/topics/", {"name": "四张清单一张网", "sort_order": 4, "active": "on"})
        .status_code
        == 302
    )
    assert InspectionTopic.objects.filter(name="四张清单一张网").exists()
    response = as_user(world.city_admin).post(
        "/targets/topics/", {"name": "五水共治", "sort_order": 1}
    )
    assert response.status_code == 400
    assert "已存在" in response.content.decode()
    assert (
        as_user(world.head_a)
        .post("/targets/topics/", {"name": "另一个", "sort_order": 5})
        .status_code
        == 403
    )
