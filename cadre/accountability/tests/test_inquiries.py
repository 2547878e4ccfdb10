"""函询: due in working days, reply with the Party committee head's sign-off, outcome,
overdue list and reminders."""

from datetime import date
from typing import Any

import pytest
import time_machine

from cadre.accountability import services
from cadre.accountability.models import Measure, WrittenInquiry
from cadre.accountability.rules import RuleError
from cadre.core.models import RuleSetting
from cadre.supervision.models import Clue
from cadre.supervision.tests.helpers import approve, clue_for


def _send(world: Any, sent_on: date = date(2025, 9, 26), clue: Any = None) -> WrittenInquiry:
    return services.send_inquiry(
        by=world.city_admin,
        cadre=world.cadre_town,
        clue=clue,
        issuing_body="东湖县委组织部",
        questions="请说明推诿情况",
        sent_on=sent_on,
    )


def _reply(inquiry: WrittenInquiry, by: Any, on: date = date(2025, 10, 15)) -> WrittenInquiry:
    return services.reply_inquiry(
        inquiry=inquiry,
        by=by,
        reply_text="情况说明如下……",
        replied_on=on,
        signoff_name="周正",
        signoff_opinion="情况属实，同意上报",
        signoff_on=on,
    )


def test_the_reply_is_due_15_working_days_later_across_national_day(world: Any) -> None:
    # sent Fri 2025-09-26: 9/28 (Sun, worked 调休) 1, 9/29 2, 9/30 3, 国庆 10/1–10/8 off,
    # 10/9 4, 10/10 5, 10/11 (Sat, worked) 6, 10/13–10/17 7–11, 10/20–10/23 12–15
    inquiry = _send(world)
    assert inquiry.due_on == date(2025, 10, 23)
    # without the holiday it would have been 15 weekdays: 2025-10-17
    assert inquiry.due_on != date(2025, 10, 17)


def test_the_number_of_working_days_is_a_setting(world: Any) -> None:
    RuleSetting.objects.create(key="accountability.inquiry_reply_working_days", value=10)
    assert _send(world).due_on == date(2025, 10, 16)


def test_a_year_without_an_official_schedule_gives_a_provisional_due(world: Any) -> None:
    # 2031 has no official schedule: statutory holidays and weekends (推定), never a refusal
    with time_machine.travel(date(2031, 1, 2)):
        inquiry = _send(world, sent_on=date(2031, 1, 2))
    assert inquiry.due_on_provisional is True
    assert _send(world).due_on_provisional is False  # 2025 is official


def test_the_reply_needs_the_sign_off_and_comes_after_the_letter(world: Any) -> None:
    inquiry = _send(world)
    with pytest.raises(RuleError, match="主要负责人"):
        services.reply_inquiry(
            inquiry=inquiry,
            by=world.cadre_user,
            reply_text="说明",
            replied_on=date(2025, 10, 9),
            signoff_name="",
            signoff_opinion="同意",
            signoff_on=date(2025, 10, 9),
        )
    with pytest.raises(RuleError, match="回复日期"):
        _reply(inquiry, world.cadre_user, on=date(2025, 9, 1))
    inquiry.refresh_from_db()
    assert inquiry.status == "sent"
    assert _reply(inquiry, world.cadre_user).status == "replied"


def test_a_reply_after_closure_is_refused(world: Any) -> None:
    inquiry = _reply(_send(world), world.city_admin)
    services.close_inquiry(
        inquiry=inquiry, by=world.city_admin, outcome="clarified", note="经函询，问题已说清"
    )
    with pytest.raises(RuleError, match="函询已办结，不能再回复"):
        _reply(inquiry, world.city_admin)
    inquiry.refresh_from_db()
    assert inquiry.reply_text == "情况说明如下……"


def test_closing_without_a_reply_is_refused(world: Any) -> None:
    inquiry = _send(world)
    with pytest.raises(RuleError, match="尚未收到回复"):
        services.close_inquiry(inquiry=inquiry, by=world.city_admin, outcome="clarified", note="x")


def test_an_admonishment_outcome_records_the_measure(world: Any) -> None:
    inquiry = _reply(_send(world), world.city_admin)
    services.close_inquiry(
        inquiry=inquiry, by=world.city_admin, outcome="admonishment", note="情节较重，予以诫勉"
    )
    m = Measure.objects.get(inquiry=inquiry)
    assert (m.kind, m.cadre) == ("admonishment", world.cadre_town)
    assert m.influence_until is not None


def test_the_outcome_settles_the_clue(world: Any, second_discipline: Any) -> None:
    clue = approve(
        clue_for(world.discipline_a, world.town_a, "李乙"),
        world.discipline_a,
        second_discipline,
        "talk_or_inquiry",
    )
    inquiry = _reply(_send(world, clue=clue), world.city_admin)
    services.close_inquiry(
        inquiry=inquiry,
        by=world.city_admin,
        outcome="further_verification",
        note="说明不清，需初核",
    )
    assert Clue.objects.get(pk=clue.pk).status == "pending"


def test_an_inquiry_needs_an_approved_talk_or_inquiry_disposal(world: Any) -> None:
    clue = clue_for(world.discipline_a, world.town_a, "李乙")
    with pytest.raises(RuleError, match="尚未批准以谈话函询方式处置"):
        _send(world, clue=clue)


def test_overdue_inquiries_are_listed_and_reminded(world: Any, as_user: Any) -> None:
    late = _send(world, sent_on=date(2025, 1, 6))
    _send(world, sent_on=date(2025, 11, 20))
    with time_machine.travel(date(2025, 11, 24)):
        assert list(WrittenInquiry.objects.overdue(date(2025, 11, 24))) == [late]
        client = as_user(world.city_admin)
        page = client.get("/accountability/inquiries/?overdue=1")
        assert [q.pk for q in page.context["page"]] == [late.pk]
        client.post("/accountability/inquiries/remind-overdue/")
    late.refresh_from_db()
    assert (late.reminder_count, late.reminded_on) == (1, date(2025, 11, 24))


def test_the_nightly_command_lifts_and_reminds(world: Any) -> None:
    from django.core.management import call_command

    from cadre.supervision.tests.helpers import measure

    m = measure(world.city_admin, world.cadre_town, "admonishment")
    late = _send(world, sent_on=date(2025, 1, 6))
    with time_machine.travel(date(2025, 11, 24)):
        call_command("accountability_nightly", stdout=__import__("io").StringIO())
    m.refresh_from_db()
    late.refresh_from_db()
    assert (m.status, late.reminder_count) == ("lifted", 1)
