"""The year cycle through the services: drafted → approved → mid-year snapshot → reconciled →
scored, by the roles that may; the others are refused."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from cadre.audit.models import AuditEvent
from cadre.targets import evidence, services
from cadre.targets.models import ReviewEntry, Task
from cadre.targets.rules import RuleError
from cadre.targets.services import ConflictError
from cadre.targets.tests.conftest import act, draft_book, numeric, signed_book


def test_a_book_goes_through_the_whole_year(world: Any, travel: Any) -> None:
    # given: the unit head drafts organ_a's book in January
    book = draft_book(world)
    numeric_task, stone_task = book.tasks.order_by("seq")
    # when: submitted, approved by the org department, signed
    act(book, world.head_a, "submit")
    act(book, world.city_admin, "approve")
    book = act(book, world.head_a, "sign")
    assert book.status == "signed"
    # mid-year: the owner reports, the org department snapshots
    travel("2026-06-20")
    services.record_progress(
        by=world.cadre_user,
        task=numeric_task,
        on=date(2026, 6, 20),
        value=Decimal(40),
        narrative="完成40亿元",
        lag_reason="资金到位晚",
    )
    first = numeric_task.milestones.model.objects.filter(task=stone_task).order_by("due_date")[0]
    services.record_progress(
        by=world.cadre_user,
        task=stone_task,
        on=date(2026, 3, 30),
        milestone_id=first.pk,
        narrative="方案已批复",
    )
    travel("2026-07-01")
    review = services.create_midyear_review(
        by=world.city_admin, unit=world.county_a, as_of=date(2026, 6, 30)
    )
    entry = ReviewEntry.objects.get(review=review, book=book)
    assert (entry.tasks_total, entry.tasks_at_risk, entry.tasks_lagging) == (2, 1, 1)
    frozen = entry.data
    assert frozen["tasks"][0]["actual"] == "20.0"
    assert frozen["tasks"][0]["reason"] == "资金到位晚"
    # later progress does not change the snapshot
    services.record_progress(
        by=world.cadre_user,
        task=numeric_task,
        on=date(2026, 7, 1),
        value=Decimal(150),
        narrative="大项目落地",
    )
    entry.refresh_from_db()
    assert entry.data == frozen
    services.save_review_opinion(
        by=world.city_admin,
        review=review,
        opinion="总体推进有序，招商引资滞后需加力",
        finalize=True,
    )
    with pytest.raises(RuleError, match="已定稿"):
        services.save_review_opinion(by=world.city_admin, review=review, opinion="改")
    # year end: the owner proposes, the org department confirms or changes with a reason
    travel("2026-12-22")
    services.propose_reconciliation(
        by=world.cadre_user,
        task=numeric_task,
        outcome="exceeded",
        actual_value=Decimal(220),
        evidence="统计局年报",
    )
    services.propose_reconciliation(
        by=world.cadre_user,
        task=stone_task,
        outcome="basic",
        evidence="竣工验收材料",
        shortfall_reason="验收推迟",
    )
    services.confirm_reconciliation(by=world.city_admin, task=numeric_task, outcome="exceeded")
    services.confirm_reconciliation(
        by=world.city_admin, task=stone_task, outcome="incomplete", reason="未通过验收"
    )
    book = act(book, world.city_admin, "close")
    # then: scored from weights and outcomes (60×110% + 40×0), evidence for the assessment
    assert (book.status, book.score) == ("reconciled", Decimal("66.00"))
    unit_result = evidence.unit_year_result(world.organ_a.pk, 2026)
    assert (unit_result.reconciled, unit_result.score) == (True, Decimal("66.00"))
    cadre_result = evidence.cadre_year_result(world.cadre_a.pk, 2026)
    assert cadre_result.outcomes == {"exceeded": 1, "incomplete": 1}
    assert cadre_result.tasks == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "targets.book.approve",
        "targets.review.create",
        "targets.book.close",
        "targets.reconciliation.confirm",
        "targets.progress.record",
    } <= actions


def test_the_unit_head_may_not_approve_its_own_units_book(world: Any, travel: Any) -> None:
    book = draft_book(world, unit=world.county_a)
    act(book, world.head_a, "submit")
    with pytest.raises(PermissionDenied):
        act(book, world.head_a, "approve")
    act(book, world.city_admin, "approve")  # the org department may


def test_the_superior_unit_head_may_approve(world: Any, travel: Any) -> None:
    book = draft_book(world)
    act(book, world.head_a, "submit")
    assert act(book, world.head_a, "approve").status == "approved"  # county_a over organ_a


@pytest.mark.parametrize("persona", ["cadre_user", "discipline_a", "auditor", "head_b"])
def test_others_may_not_approve(world: Any, travel: Any, persona: str) -> None:
    book = draft_book(world)
    act(book, world.head_a, "submit")
    with pytest.raises(PermissionDenied):
        act(book, getattr(world, persona), "approve")
    book.refresh_from_db()
    assert book.status == "submitted"


def test_a_leading_cadre_drafts_own_book_and_may_not_approve_it(world: Any, travel: Any) -> None:
    book = services.create_book(
        by=world.cadre_user, unit=world.organ_a, year=2026, kind="annual", owner_cadre=world.cadre_a
    )
    services.save_task(by=world.cadre_user, book=book, data=numeric([], "100"))
    act(book, world.cadre_user, "submit")
    with pytest.raises(PermissionDenied):
        act(book, world.cadre_user, "approve")
    assert act(book, world.head_a, "approve").status == "approved"


def test_return_needs_comments_and_returned_book_can_be_resubmitted(
    world: Any, travel: Any
) -> None:
    book = draft_book(world)
    act(book, world.head_a, "submit")
    with pytest.raises(RuleError, match="修改意见"):
        act(book, world.city_admin, "return")
    act(book, world.city_admin, "return", comment="指标偏低，请提高目标值")
    book.refresh_from_db()
    assert (book.status, book.review_comment) == ("returned", "指标偏低，请提高目标值")
    services.save_task(
        by=world.head_a,
        book=book,
        task=book.tasks.first(),
        data=numeric([world.cadre_a.pk], "60", target="300"),
    )
    assert act(book, world.head_a, "submit").status == "submitted"


def test_an_approved_book_changes_only_by_a_recorded_amendment(world: Any, travel: Any) -> None:
    book = signed_book(world)
    first, second = book.tasks.order_by("seq")
    with pytest.raises(RuleError, match="调整程序"):
        services.save_task(by=world.head_a, book=book, task=first, data=numeric([], "60"))
    with pytest.raises(RuleError, match="理由"):
        services.amend_book(
            by=world.city_admin,
            book=book,
            version=book.version,
            reason=" ",
            changes={first.pk: {"weight": Decimal(50)}},
        )
    with pytest.raises(PermissionDenied):
        services.amend_book(
            by=world.head_b,
            book=book,
            version=book.version,
            reason="x",
            changes={first.pk: {"weight": Decimal(50)}},
        )
    amendment = services.amend_book(
        by=world.city_admin,
        book=book,
        version=book.version,
        reason="省里下达任务调整",
        changes={
            first.pk: {"weight": Decimal(50), "target_value": Decimal(250)},
            second.pk: {"weight": Decimal(50)},
        },
    )
    assert amendment.before[str(first.pk)] == {"weight": "60.00", "target_value": "200.00"}
    assert amendment.after[str(first.pk)] == {"weight": "50", "target_value": "250"}
    assert Task.objects.get(pk=first.pk).weight == Decimal(50)


def test_a_second_reviewer_on_a_stale_version_is_refused(world: Any, travel: Any) -> None:
    # given: two reviewers opened the submitted book at the same version
    book = draft_book(world)
    act(book, world.head_a, "submit")
    book.refresh_from_db()
    seen = book.version
    # when: the first approves, the second returns on what they saw
    services.act_on_book(by=world.city_admin, book=book, action="approve", version=seen)
    with pytest.raises(ConflictError, match="已被他人处理"):
        services.act_on_book(
            by=world.head_a, book=book, action="return", version=seen, comment="退回"
        )
    # then: the first decision stands, not merged
    book.refresh_from_db()
    assert (book.status, book.version) == ("approved", seen + 1)
    assert AuditEvent.objects.filter(action="targets.book.return").count() == 0


def test_a_second_confirmation_of_the_same_task_is_refused(world: Any, travel: Any) -> None:
    book = signed_book(world)
    task = book.tasks.order_by("seq").first()
    travel("2026-12-20")
    services.propose_reconciliation(
        by=world.cadre_user, task=task, outcome="completed", evidence="年报"
    )
    services.confirm_reconciliation(by=world.city_admin, task=task, outcome="completed")
    with pytest.raises(RuleError, match="已经审核"):
        services.confirm_reconciliation(by=world.head_a, task=task, outcome="basic", reason="x")


def test_closing_needs_every_task_confirmed(world: Any, travel: Any) -> None:
    book = signed_book(world)
    with pytest.raises(RuleError, match="未完成对账审核"):
        act(book, world.city_admin, "close")


def test_books_not_approved_by_the_deadline_are_listed(
    world: Any, travel: Any, as_user: Any
) -> None:
    late = draft_book(world)
    on_time = draft_book(world, unit=world.town_a)
    act(on_time, world.head_a, "submit")
    act(on_time, world.city_admin, "approve")
    travel("2026-04-01")
    page = as_user(world.head_a).get("/targets/books/?year=2026&overdue=1")
    assert page.status_code == 200
    assert late.title in page.content.decode()
    assert on_time.title not in page.content.decode()
    assert "仍未审批的任务书 1 本" in page.content.decode()
