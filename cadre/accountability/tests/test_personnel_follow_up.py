"""公职人员政务处分法 第五十四条: after 降级, 撤职 or 开除 the personnel office changes post, rank
and pay within one month of the decision; extendable, at most six months. Tracked on the
measure, with page actions, API routes and an overdue list."""

from datetime import date, timedelta
from typing import Any

import pytest

from cadre.accountability import rules, services
from cadre.accountability.models import Measure
from cadre.accountability.rules import RuleError
from cadre.audit.models import AuditEvent
from cadre.supervision.tests.helpers import measure
from tests import factories as f


@pytest.mark.parametrize(
    ("decided", "due", "latest"),
    [
        # one month / six months counted from the decision day (period_end, decision 006)
        (date(2026, 1, 5), date(2026, 2, 4), date(2026, 7, 4)),
        (date(2026, 3, 1), date(2026, 3, 31), date(2026, 8, 31)),
        (date(2026, 1, 31), date(2026, 2, 28), date(2026, 7, 30)),  # no 31 February
        (date(2026, 8, 31), date(2026, 9, 30), date(2027, 2, 28)),  # no 31 Sep, 31 Feb
    ],
)
def test_the_deadline_and_the_longest_extension(decided: date, due: date, latest: date) -> None:
    assert rules.personnel_due(decided) == due
    assert rules.personnel_latest(decided) == latest


def test_an_extension_must_move_later_and_stay_within_six_months() -> None:
    decided = date(2026, 1, 5)
    rules.check_personnel_extension(decided, date(2026, 2, 4), date(2026, 7, 4))
    with pytest.raises(RuleError, match="最长不得超过作出政务处分决定后六个月（至2026-07-04"):
        rules.check_personnel_extension(decided, date(2026, 2, 4), date(2026, 7, 5))
    with pytest.raises(RuleError, match="应晚于当前办理期限"):
        rules.check_personnel_extension(decided, date(2026, 2, 4), date(2026, 2, 4))


@pytest.mark.parametrize(
    ("kind", "follow_up"),
    [
        ("gov_grade_reduction", True),  # 降级
        ("gov_dismissal", True),  # 撤职
        ("gov_expulsion", True),  # 开除
        ("gov_major_demerit", False),  # 记大过: below 降级
        ("admonishment", False),
    ],
)
def test_only_grade_reduction_and_above_get_the_follow_up(
    world: Any, kind: str, follow_up: bool
) -> None:
    cadre = world.cadre_town
    f.make_appointment(cadre, f.make_position(world.town_a), date(2020, 1, 1))
    f.make_rank(cadre, "level1_clerk", date(2020, 1, 1))
    m = measure(world.discipline_a, cadre, kind, on=date(2026, 3, 10))
    assert m.personnel_due_on == (date(2026, 4, 9) if follow_up else None)
    assert (m.personnel_extended_to, m.personnel_done_on, m.personnel_note) == (None, None, "")


@pytest.fixture
def reduction(world: Any, clock: Any) -> Measure:
    """降级 decided 40 days ago: its month has passed, six months have not."""
    return measure(
        world.discipline_a,
        world.cadre_town,
        "gov_grade_reduction",
        on=clock.today - timedelta(days=40),
    )


def _overdue(world: Any, clock: Any) -> list[Measure]:
    return list(Measure.objects.visible_to(world.discipline_a).personnel_overdue(clock.today))


def test_overdue_until_extended_then_until_done(world: Any, clock: Any, reduction: Measure) -> None:
    assert _overdue(world, clock) == [reduction]
    latest = rules.personnel_latest(reduction.decided_on)
    with pytest.raises(RuleError, match="最长不得超过"):
        services.extend_personnel_change(
            measure=reduction, by=world.discipline_a, until=latest + timedelta(days=1), reason="x"
        )
    m = services.extend_personnel_change(
        measure=reduction, by=world.discipline_a, until=latest, reason="工资套改待批"
    )
    assert m.personnel_extended_to == latest
    assert m.personnel_deadline == latest
    assert "工资套改待批" in m.personnel_note
    assert _overdue(world, clock) == []
    with pytest.raises(RuleError, match="不晚于今天"):
        services.complete_personnel_change(
            measure=m, by=world.discipline_a, done_on=clock.today + timedelta(days=1), note="x"
        )
    done = services.complete_personnel_change(
        measure=m, by=world.discipline_a, done_on=clock.today, note="已降低级别和工资"
    )
    assert done.personnel_done_on == clock.today
    with pytest.raises(RuleError, match="已办结"):
        services.complete_personnel_change(
            measure=m, by=world.discipline_a, done_on=clock.today, note="x"
        )
    assert list(
        AuditEvent.objects.filter(action__startswith="personnel_change")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["personnel_change_extended", "personnel_change_done"]


def test_no_follow_up_to_handle_for_other_measures(world: Any) -> None:
    m = measure(world.discipline_a, world.cadre_town, "gov_demerit")
    with pytest.raises(RuleError, match="该措施不需要办理"):
        services.complete_personnel_change(
            measure=m, by=world.discipline_a, done_on=date(2024, 4, 1), note="x"
        )


def test_the_overdue_list_page_is_scoped_and_linked_from_the_index(
    world: Any, reduction: Measure, as_user: Any
) -> None:
    client = as_user(world.discipline_a)
    index = client.get("/accountability/").content.decode()
    assert "/accountability/personnel-overdue/" in index
    page = client.get("/accountability/personnel-overdue/").content.decode()
    assert world.cadre_town.name in page
    assert "公职人员政务处分法 第五十四条" in page
    other = as_user(f.make_user("discipline_b", role="discipline", unit=world.county_b))
    assert (
        world.cadre_town.name
        not in other.get("/accountability/personnel-overdue/").content.decode()
    )
    assert as_user(world.head_a).get("/accountability/personnel-overdue/").status_code == 403


def test_page_actions_extend_and_complete(
    world: Any, clock: Any, reduction: Measure, as_user: Any
) -> None:
    client = as_user(world.discipline_a)
    url = f"/accountability/measures/{reduction.pk}/"
    page = client.get(url).content.decode()
    assert "已逾期" in page
    assert "personnel/extend/" in page
    too_late = rules.personnel_latest(reduction.decided_on) + timedelta(days=1)
    refused = client.post(f"{url}personnel/extend/", {"until": too_late, "reason": "待批"})
    assert refused.status_code == 400
    assert "最长不得超过" in refused.content.decode()
    ok = client.post(
        f"{url}personnel/extend/",
        {"until": clock.today + timedelta(days=10), "reason": "工资套改待批"},
    )
    assert ok.status_code == 302
    done = client.post(f"{url}personnel/done/", {"done_on": clock.today, "note": "已办理"})
    assert done.status_code == 302
    reduction.refresh_from_db()
    assert reduction.personnel_done_on == clock.today
    assert "已办结" in client.get(url).content.decode()


def test_api_routes(world: Any, clock: Any, reduction: Measure, as_user: Any) -> None:
    client = as_user(world.discipline_a)
    listed = client.get("/api/v1/accountability/measures/personnel-overdue").json()
    assert (listed["count"], listed["items"][0]["id"]) == (1, reduction.pk)
    assert listed["items"][0]["personnel_due_on"] == reduction.personnel_due_on.isoformat()
    base = f"/api/v1/accountability/measures/{reduction.pk}/personnel"
    too_late = rules.personnel_latest(reduction.decided_on) + timedelta(days=1)
    refused = client.post(
        f"{base}/extend",
        content_type="application/json",
        data={"until": too_late.isoformat(), "reason": "待批"},
    )
    assert refused.status_code == 400
    assert "六个月" in refused.json()["detail"]
    done = client.post(
        f"{base}/done",
        content_type="application/json",
        data={"done_on": clock.today.isoformat(), "note": "已办理"},
    )
    assert (done.status_code, done.json()["personnel_done_on"]) == (200, clock.today.isoformat())
    assert client.get("/api/v1/accountability/measures/personnel-overdue").json()["count"] == 0
    other = as_user(f.make_user("discipline_b", role="discipline", unit=world.county_b))
    assert (
        other.post(
            f"{base}/done",
            content_type="application/json",
            data={"done_on": clock.today.isoformat(), "note": "x"},
        ).status_code
        == 404
    )
