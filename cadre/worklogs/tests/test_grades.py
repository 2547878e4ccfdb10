from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from cadre.cadres.models import Cadre
from cadre.core import contracts
from cadre.workdays.services import workdays_in
from cadre.worklogs import rules, services
from cadre.worklogs.models import QuarterGrade, WeekReview
from cadre.worklogs.services import Conflict, Refused
from cadre.worklogs.signals_api import year_routine_grades
from cadre.worklogs.tests.conftest import NOW, fill_logs, set_rule
from tests import factories as f

Q3 = rules.quarter_bounds(2026, 3)


def _weeks(mark: str, cadre: Any, reviewer: Any) -> None:
    monday = rules.week_start(Q3[0]) + timedelta(days=7)  # first Monday inside Q3
    rows = []
    while monday <= Q3[1]:
        rows.append(
            WeekReview(
                cadre=cadre,
                org_unit_id=cadre.org_unit_id,
                week_start=monday,
                mark=mark,
                reviewer=reviewer,
                reviewed_at=NOW,
            )
        )
        monday += timedelta(days=7)
    WeekReview.objects.bulk_create(rows)


@pytest.fixture
def q3(world: Any) -> Iterator[Any]:
    days = workdays_in(*Q3)
    fill_logs(world.cadre_a, days)  # every day, on time
    fill_logs(world.cadre_town, days[::2], late_every=3)  # half the days, some late
    _weeks("good", world.cadre_a, world.head_a)
    _weeks("average", world.cadre_town, world.head_a)
    progress = {world.cadre_a.pk: Decimal(90), world.cadre_town.pk: Decimal(40)}

    def task_progress(cadre_ids: Any, start: Any, end: Any) -> dict[int, Decimal]:
        """Stands in for the targets app (the flow with real tasks: test_grade_inputs.py);
        new cadres get 90."""
        return {c: progress.get(c, Decimal(90)) for c in cadre_ids}

    with contracts.replaced("worklogs.task_progress", task_progress):
        yield world


def propose(world: Any, who: str = "head_a") -> services.grades.ProposalSummary:
    user = getattr(world, who)
    return services.propose_quarter_grades(
        by=user, year=2026, quarter=3, cadres=Cadre.objects.visible_to(user)
    )


def test_the_proposal_follows_completeness_and_marks(q3: Any) -> None:
    summary = propose(q3)
    assert (summary.cadres, summary.created) == (2, 2)
    a = QuarterGrade.objects.get(cadre=q3.cadre_a)
    town = QuarterGrade.objects.get(cadre=q3.cadre_town)
    # (100*40 + 95*40 + 90*20) / 100 = 96
    assert (a.proposed_grade, a.proposed_score, a.incomplete) == ("good", Decimal("96.0"), False)
    assert town.proposed_grade == "poor"
    assert town.inputs["expected_days"] == len(workdays_in(*Q3))
    assert "任务进展90.0分" in a.inputs["reasons"]
    assert not QuarterGrade.objects.filter(cadre=q3.cadre_b).exists()  # out of head_a's scope


def test_proposing_again_refreshes_proposals_but_keeps_confirmed_grades(q3: Any) -> None:
    propose(q3)
    a = QuarterGrade.objects.get(cadre=q3.cadre_a)
    services.confirm_grade(by=q3.head_a, grade=a, final="good")
    summary = propose(q3)
    assert (summary.created, summary.updated, summary.kept_confirmed) == (0, 1, 1)
    assert QuarterGrade.objects.get(cadre=q3.cadre_a).status == "confirmed"


def test_a_quarter_not_yet_over_is_refused(world: Any) -> None:
    with pytest.raises(Refused, match="第4季度尚未结束"):
        services.propose_quarter_grades(
            by=world.head_a, year=2026, quarter=4, cadres=Cadre.objects.all()
        )


def test_changing_the_proposal_needs_a_reason_and_notifies_the_cadre(q3: Any) -> None:
    propose(q3)
    town = QuarterGrade.objects.get(cadre=q3.cadre_town)
    with pytest.raises(Refused, match="请填写调整建议等次的理由"):
        services.confirm_grade(by=q3.head_a, grade=town, final="average")
    done = services.confirm_grade(
        by=q3.head_a, grade=town, final="average", reason="七月抗台期间连续驻村，日志缺填事出有因"
    )
    assert (done.status, done.confirmed_grade, done.notified_at is not None) == (
        "confirmed",
        "average",
        True,
    )


def test_review_may_be_asked_once_and_is_decided_with_a_note(q3: Any) -> None:
    propose(q3)
    a = services.confirm_grade(
        by=q3.head_a,
        grade=QuarterGrade.objects.get(cadre=q3.cadre_a),
        final="fairly_good",
        reason="有一项重点任务滞后",
    )
    with pytest.raises(Refused, match="只能对本人的平时考核等次申请复核"):
        services.request_grade_review(by=q3.head_a, grade=a, reason="代为申请")
    a = services.request_grade_review(by=q3.cadre_user, grade=a, reason="任务滞后系计划调整所致")
    with pytest.raises(Refused, match="只能提出一次"):
        services.request_grade_review(by=q3.cadre_user, grade=a, reason="再次申请")
    a = services.decide_grade_review(by=q3.head_a, grade=a, final="good", note="理由成立")
    assert (a.status, a.final_grade, a.review_note) == ("review_decided", "good", "理由成立")
    with pytest.raises(Refused, match="只能提出一次"):
        services.request_grade_review(by=q3.cadre_user, grade=a, reason="第三次")


def test_a_stale_confirmation_is_refused(q3: Any) -> None:
    propose(q3)
    grade = QuarterGrade.objects.get(cadre=q3.cadre_a)
    services.confirm_grade(by=q3.head_a, grade=grade, final="good", version=grade.version)
    with pytest.raises(Conflict):
        services.confirm_grade(
            by=q3.head_a, grade=grade, final="poor", reason="x", version=grade.version
        )


def test_the_good_cap_lowers_proposals_and_guards_confirmation(q3: Any) -> None:
    # given the optional local cap (40%) is on: 2 participants allow no 好 at all
    set_rule("worklogs.good_cap_enabled", True)
    summary = propose(q3)
    a = QuarterGrade.objects.get(cadre=q3.cadre_a)
    assert summary.capped == 1
    assert a.proposed_grade == "fairly_good"
    assert "不超过参加人数40%" in a.inputs["cap"]
    with pytest.raises(Refused, match="“好”等次已达上限"):
        services.confirm_grade(by=q3.head_a, grade=a, final="good", reason="表现突出")


def test_without_the_cap_the_proposal_is_kept(q3: Any) -> None:
    set_rule("worklogs.good_cap_enabled", False)
    assert propose(q3).capped == 0
    assert QuarterGrade.objects.get(cadre=q3.cadre_a).proposed_grade == "good"


def _year(world: Any, grades: dict[int, str]) -> None:
    for quarter, grade in grades.items():
        QuarterGrade.objects.create(
            cadre=world.cadre_a,
            org_unit=world.organ_a,
            year=2026,
            quarter=quarter,
            status="confirmed",
            proposed_grade=grade,
            confirmed_grade=grade,
            proposed_at=NOW,
        )


@pytest.mark.parametrize(
    ("grades", "link_on", "allowed"),
    [
        ({1: "good", 2: "good", 3: "fairly_good"}, True, True),
        ({1: "good", 2: "average", 3: "good"}, True, False),
        ({1: "good", 2: "fairly_good"}, True, False),
        ({1: "good", 2: "average", 3: "good"}, False, None),  # rule off: no verdict
    ],
)
def test_the_years_routine_grades_for_the_annual_assessment(
    world: Any, grades: dict, link_on: bool, allowed: bool | None
) -> None:
    set_rule("assessments.routine_link_rule", link_on)
    _year(world, grades)
    found = year_routine_grades([world.cadre_a.pk, world.cadre_b.pk], 2026)
    assert found[world.cadre_a.pk].quarters == grades
    assert found[world.cadre_a.pk].excellent_allowed is allowed
    assert found[world.cadre_b.pk].quarters == {}


def test_routine_grades_take_the_review_decision_over_the_confirmation(world: Any) -> None:
    _year(world, {1: "fairly_good"})
    QuarterGrade.objects.filter(quarter=1).update(review_grade="good")
    assert year_routine_grades([world.cadre_a.pk], 2026)[world.cadre_a.pk].quarters == {1: "good"}


def test_year_grades_in_one_query(world: Any, django_assert_num_queries: Any) -> None:
    ids = [world.cadre_a.pk, world.cadre_town.pk, world.cadre_b.pk]
    with django_assert_num_queries(2):  # the link-rule setting, then the grades
        year_routine_grades(ids, 2026)


def test_proposal_query_count_does_not_grow_with_cadres(
    q3: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(15):
        f.make_cadre(q3.town_a, f"新干部{i}")
    with django_assert_max_num_queries(25):  # 17 cadres: not a query (or two) per cadre
        summary = propose(q3)
    assert summary.cadres == 17
