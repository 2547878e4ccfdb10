"""Years without an official schedule: 推定 deadlines, confirmation that moves them, warnings.

The statutory holidays are those of 全国年节及纪念日放假办法 (2024年修订，2025年起施行):
元旦1天、春节4天（除夕起）、清明1天、劳动节2天、端午1天、中秋1天、国庆3天; a holiday on a
weekend gives a 补假 on the next working day (第六条). What no one knows in advance is the 调休.
"""

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from cadre.accountability import services as accountability
from cadre.accountability.models import Rectification, WrittenInquiry
from cadre.audit.models import AuditEvent
from cadre.core.models import Notification
from cadre.tolerance import services as tolerance
from cadre.workdays import rules, services
from cadre.workdays.deadlines import _REGISTRY, DeadlineSpec, register
from cadre.workdays.models import DeadlineChange

# ---- rules, without a database ----------------------------------------------------------

STATUTORY_2027 = {
    date(2027, 1, 1): "元旦",
    date(2027, 2, 5): "农历除夕",
    date(2027, 2, 6): "春节",
    date(2027, 2, 7): "春节",
    date(2027, 2, 8): "春节",
    date(2027, 4, 5): "清明节",
    date(2027, 5, 1): "劳动节",
    date(2027, 5, 2): "劳动节",
    date(2027, 6, 9): "端午节",
    date(2027, 9, 15): "中秋节",
    date(2027, 10, 1): "国庆节",
    date(2027, 10, 2): "国庆节",
    date(2027, 10, 3): "国庆节",
}


def test_the_statutory_holidays_of_2027_follow_the_2024_amendment() -> None:
    assert rules.statutory_holidays(2027, with_makeup=False) == STATUTORY_2027
    with_makeup = rules.statutory_holidays(2027)
    # 春节 6–7 Feb and 国庆 2–3 Oct fall on a weekend: 补假 on the next weekdays (第六条)
    assert {date(2027, 2, 9), date(2027, 2, 10), date(2027, 10, 4), date(2027, 10, 5)} <= set(
        with_makeup
    )


def _cal(provisional: bool) -> rules.Calendar:
    holidays = frozenset(rules.statutory_holidays(2027))
    years = frozenset({2027})
    return rules.Calendar(
        holidays,
        frozenset(),
        frozenset({2026}) | (frozenset() if provisional else years),
        years if provisional else frozenset(),
    )


@pytest.mark.parametrize(
    ("start", "n", "due", "provisional"),
    [
        (date(2027, 1, 4), 5, date(2027, 1, 11), True),
        (date(2027, 2, 4), 1, date(2027, 2, 11), True),  # 除夕 to 补假: six days off
        (date(2027, 1, 4), 0, date(2027, 1, 4), False),  # nothing counted
    ],
)
def test_a_deadline_through_a_provisional_year_is_marked(
    start: date, n: int, due: date, provisional: bool
) -> None:
    assert rules.due_after(_cal(True), start, n) == rules.Due(due, provisional)
    assert rules.due_after(_cal(False), start, n) == rules.Due(due, False)


def test_the_mark_explains_itself() -> None:
    note = rules.Due(date(2027, 1, 19), True).note
    assert note.startswith("推定：2027年节假日安排尚未公布")
    assert "全国年节及纪念日放假办法" in note


def test_a_year_outside_every_calendar_is_refused() -> None:
    with pytest.raises(rules.UnknownYearError, match="2028年"):
        _cal(True).is_workday(date(2028, 1, 3))


@pytest.mark.parametrize(
    ("off", "worked", "message"),
    [
        ({}, {}, "缺少法定节假日 2027-01-01（元旦）"),
        (
            {d: n for d, n in STATUTORY_2027.items() if d != date(2027, 2, 6)},
            {date(2027, 2, 6): ""},
            "2027-02-06（春节）是法定节假日，不能安排上班",
        ),
        ({**STATUTORY_2027, date(2027, 2, 13): ""}, {date(2027, 2, 13): ""}, "同时被列为"),
        ({**STATUTORY_2027, date(2028, 1, 1): ""}, {}, "2028-01-01 不在2027年内"),
    ],
)
def test_a_schedule_is_checked_against_the_law(off: dict, worked: dict, message: str) -> None:
    with pytest.raises(rules.ScheduleError, match=message):
        rules.check_schedule(2027, off, worked, STATUTORY_2027)


def test_a_complete_schedule_passes() -> None:
    rules.check_schedule(2027, STATUTORY_2027, {date(2027, 2, 14): "春节调休"}, STATUTORY_2027)


# ---- the flow: 函询 sent on 2026-12-28, 2027 confirmed later ---------------------------------


def _schedule_2027(extra_worked: date | None = None) -> tuple[dict, dict]:
    off = dict(rules.statutory_holidays(2027))
    return off, ({extra_worked: "调休上班"} if extra_worked else {})


def _send(world: Any, on: date) -> WrittenInquiry:
    return accountability.send_inquiry(
        by=world.city_admin,
        cadre=world.cadre_a,
        issuing_body="东湖县委组织部",
        questions="请说明情况",
        sent_on=on,
    )


@pytest.mark.django_db
def test_a_december_inquiry_gets_a_provisional_due_that_moves_on_confirmation(
    world: Any, as_user: Any, clock: Any
) -> None:
    # given 函询 sent Mon 2026-12-28, 15 working days: 12/29–31 (3), 元旦 1/1 off,
    # 1/4–8 (8), 1/11–15 (13), 1/18, 1/19 (15) — counted through 2027, which is 推定
    clock.move_to("2026-12-28")
    inquiry = _send(world, date(2026, 12, 28))
    assert (inquiry.due_on, inquiry.due_on_provisional) == (date(2027, 1, 19), True)
    # shown as 推定 on the page, in the API, and to the cadre who must answer
    page = as_user(world.city_admin).get(f"/accountability/inquiries/{inquiry.pk}/")
    assert "推定：2027年节假日安排尚未公布" in page.content.decode()
    api = as_user(world.city_admin).get(f"/api/v1/accountability/inquiries/{inquiry.pk}")
    assert api.json()["due_on_provisional"] is True
    mine = as_user(world.cadre_user).get(f"/accountability/inquiries/{inquiry.pk}/")
    assert "推定" in mine.content.decode()

    # when staff confirm 2027 with a worked Saturday 1/9 inside the span
    clock.move_to("2027-01-05")
    off, worked = _schedule_2027(date(2027, 1, 9))
    result = services.confirm_year(
        by=world.city_admin,
        year=2027,
        source="国办发明电〔2026〕",
        days_off=off,
        days_worked=worked,
    )

    # then the due date moves a day earlier, is official, listed, audited and notified
    inquiry.refresh_from_db()
    assert (inquiry.due_on, inquiry.due_on_provisional) == (date(2027, 1, 18), False)
    change = DeadlineChange.objects.get(model="accountability.writteninquiry", object_id=inquiry.pk)
    assert (change.old_due, change.new_due, change.moved) == (
        date(2027, 1, 19),
        date(2027, 1, 18),
        True,
    )
    assert [c.object_id for c in result.moved] == [inquiry.pk]
    event = AuditEvent.objects.get(action="calendar_year_confirmed")
    assert event.detail["moved"][0]["from"] == "2027-01-19"
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"city_admin", "cadre_a"}
    assert "调整为2027-01-18" in Notification.objects.first().text
    calendar = as_user(world.city_admin).get("/workdays/").content.decode()
    assert "函询回复期限" in calendar
    assert "已调整并通知" in calendar
    page = as_user(world.city_admin).get(f"/accountability/inquiries/{inquiry.pk}/")
    assert "推定：" not in page.content.decode()


@pytest.mark.django_db
def test_a_passed_deadline_is_listed_not_moved(world: Any, clock: Any) -> None:
    clock.move_to("2026-12-28")
    inquiry = _send(world, date(2026, 12, 28))
    clock.move_to("2027-02-01")  # the provisional due 2027-01-19 has passed
    off, worked = _schedule_2027(date(2027, 1, 9))
    result = services.confirm_year(
        by=world.city_admin, year=2027, source="通知", days_off=off, days_worked=worked
    )
    inquiry.refresh_from_db()
    assert inquiry.due_on == date(2027, 1, 19)
    assert [(c.old_due, c.new_due, c.moved) for c in result.kept] == [
        (date(2027, 1, 19), date(2027, 1, 18), False)
    ]
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_correction_recomputes_again(world: Any, clock: Any) -> None:
    clock.move_to("2026-12-28")
    inquiry = _send(world, date(2026, 12, 28))
    clock.move_to("2027-01-05")
    off, worked = _schedule_2027(date(2027, 1, 9))
    services.confirm_year(
        by=world.city_admin, year=2027, source="通知", days_off=off, days_worked=worked
    )
    off[date(2027, 1, 15)] = "临时放假"
    services.confirm_year(
        by=world.city_admin,
        year=2027,
        source="通知（更正）",
        days_off=off,
        days_worked=worked,
        correction="补录放假日",
    )
    inquiry.refresh_from_db()
    assert inquiry.due_on == date(2027, 1, 19)
    assert DeadlineChange.objects.filter(object_id=inquiry.pk, revision=2).exists()
    assert AuditEvent.objects.filter(action="calendar_year_corrected").count() == 1


@pytest.mark.django_db
def test_closing_an_inquiry_with_a_talk_reminder_works_in_december(world: Any, clock: Any) -> None:
    clock.move_to("2026-12-01")
    inquiry = _send(world, date(2026, 12, 1))
    clock.move_to("2026-12-20")
    accountability.reply_inquiry(
        inquiry=inquiry,
        by=world.cadre_user,
        reply_text="说明",
        replied_on=date(2026, 12, 4),
        signoff_name="周正",
        signoff_opinion="属实",
        signoff_on=date(2026, 12, 4),
    )
    accountability.close_inquiry(
        inquiry=inquiry, by=world.city_admin, outcome="reminder", note="谈话提醒，限期整改"
    )
    rect = Rectification.objects.get(measure__inquiry=inquiry)
    assert rect.due_on.year == 2027
    assert rect.due_on_provisional is True


@pytest.mark.django_db
def test_an_exemption_application_works_in_december(world: Any, clock: Any) -> None:
    from cadre.supervision.tests.helpers import measure

    clock.move_to("2026-12-21")
    m = measure(world.city_admin, world.cadre_a, "admonishment", on=date(2026, 11, 2))
    app = tolerance.apply(
        by=world.cadre_user,
        cadre=world.cadre_a,
        measure=m,
        case=None,
        data=tolerance.ApplicationInput(
            facts="改革试点未达预期",
            applicant_kind="self",
            distinction="inexperience_vs_knowing_violation",
            statements={
                "goal_missed": "a",
                "per_guidance": "b",
                "diligent": "c",
                "no_private_gain": "d",
            },
        ),
    )
    assert app.verify_due_on.year == 2027
    assert app.verify_due_on_provisional is True


# ---- warnings -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "persona", "shown"),
    [
        ("2026-12-07", "city_admin", True),
        ("2026-11-01", "discipline_a", True),
        ("2026-10-31", "city_admin", False),  # before 1 November, 2026 itself official
        ("2026-12-07", "head_a", False),  # a unit head does not maintain deadlines
    ],
)
def test_staff_home_pages_warn_before_the_cliff(
    world: Any, as_user: Any, clock: Any, today: str, persona: str, shown: bool
) -> None:
    clock.move_to(today)
    page = as_user(getattr(world, persona)).get("/").content.decode()
    assert ("2027年的节假日安排尚未确认" in page) is shown
    if shown:
        assert 'href="/workdays/"' in page


@pytest.mark.django_db
def test_open_provisional_deadlines_are_counted_on_the_home_page(
    world: Any, as_user: Any, clock: Any
) -> None:
    clock.move_to("2026-12-28")
    _send(world, date(2026, 12, 28))
    page = as_user(world.city_admin).get("/").content.decode()
    assert "目前有 1 项未到期的期限为推定" in page


@pytest.mark.django_db
def test_the_system_check_warns_from_november(world: Any, clock: Any) -> None:
    clock.move_to("2026-11-02")
    with pytest.raises(SystemCheckError, match="2027年的节假日安排尚未确认"):
        call_command("check", fail_level="WARNING")
    clock.move_to("2026-06-01")
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_a_missing_deadline_field_stops_the_start(world: Any, clock: Any) -> None:
    clock.move_to("2026-06-01")
    spec = DeadlineSpec(
        model="accountability.WrittenInquiry", due="answer_by", start="sent_on", label="x"
    )
    register(spec)
    try:
        with pytest.raises(SystemCheckError, match="answer_by"):
            call_command("check")
    finally:
        _REGISTRY.pop(("accountability.writteninquiry", "answer_by"))
