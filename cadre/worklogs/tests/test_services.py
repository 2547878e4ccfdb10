from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction

from cadre.audit.models import AuditEvent
from cadre.worklogs import services
from cadre.worklogs.models import Annotation, ReviewerDelegation, WeekReview, WorkLog
from cadre.worklogs.services import BulkRefused, Conflict, OutOfScope, Refused
from cadre.worklogs.tests.conftest import TODAY
from tests import factories as f

TEXT = "上午参加全县安全生产工作会议，下午赴青石镇调研农村饮用水工程建设进度"
MONDAY = date(2026, 11, 23)


def save(world: Any, day: date = TODAY, **kw: Any) -> WorkLog:
    kw.setdefault("text", TEXT)
    kw.setdefault("by", world.cadre_user)
    kw.setdefault("cadre", world.cadre_a)
    return services.save_log(day=day, **kw)


# ---------------------------------------------------------------- writing logs


def test_saving_the_same_day_again_updates_the_one_log(world: Any) -> None:
    # given a draft for today
    first = save(world, text="起草材料")
    # when the cadre saves again and then submits
    save(world, text="起草年终总结材料")
    final = save(world, text="起草年终总结材料并送审", submit=True)
    # then there is still one log, submitted on time, with the latest text
    assert WorkLog.objects.count() == 1
    assert final.pk == first.pk
    final.refresh_from_db()
    assert (final.status, final.is_late, final.text, final.version) == (
        "submitted",
        False,
        "起草年终总结材料并送审",
        3,
    )


def test_the_database_refuses_a_second_log_for_the_same_day(world: Any) -> None:
    save(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkLog.objects.create(cadre=world.cadre_a, org_unit=world.organ_a, day=TODAY, text="x")


def test_a_log_within_the_late_window_is_accepted_and_marked_late(world: Any) -> None:
    log = save(world, day=date(2026, 11, 24), submit=True)  # Tuesday: 3 working days ago
    assert log.is_late is True


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"day": date(2026, 11, 22)}, "不是工作日"),  # Sunday
        ({"day": date(2026, 10, 5)}, "已超过补填期限"),  # 国庆 holiday, long past
        ({"day": date(2026, 11, 30)}, "未来日期"),
        ({"day": MONDAY}, "已超过补填期限（3个工作日）"),
        ({"text": ""}, "日志内容不能为空"),
        ({"text": "   "}, "日志内容不能为空"),
        ({"text": "字" * 2001}, "不能超过2000字"),
        ({"hours": "25"}, "不超过24小时"),
        ({"task_ids": ["abc"]}, "不是有效的编号"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(
    world: Any, change: dict, message: str
) -> None:
    with pytest.raises(Refused, match=message):
        save(world, submit=True, **change)
    assert not WorkLog.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="worklog").exists()


def test_another_persons_log_is_refused(world: Any) -> None:
    with pytest.raises(Refused, match="只能填写本人的日志"):
        save(world, cadre=world.cadre_b)
    with pytest.raises(Refused, match="只能填写本人的日志"):
        save(world, by=world.head_a)  # a unit head may not write a cadre's log either
    assert not WorkLog.objects.exists()


def test_a_year_without_an_official_schedule_counts_its_statutory_holidays(world: Any) -> None:
    # 2031 is provisional (推定): a Monday is a working day, 元旦 is not (放假办法 第二条)
    with time_machine.travel(date(2031, 3, 3)):
        save(world, day=date(2031, 3, 3))
    assert WorkLog.objects.filter(day=date(2031, 3, 3)).exists()
    with time_machine.travel(date(2031, 1, 2)), pytest.raises(Refused):
        save(world, day=date(2031, 1, 1))
    assert not WorkLog.objects.filter(day=date(2031, 1, 1)).exists()


def test_a_stale_version_is_refused(world: Any) -> None:
    log = save(world)
    save(world, text="另一处先保存了", version=log.version)
    with pytest.raises(Conflict):
        save(world, text="用旧版本保存", version=log.version)
    assert WorkLog.objects.get().text == "另一处先保存了"


# ---------------------------------------------------------------- bulk


def test_bulk_submission_is_all_or_nothing_with_per_item_errors(world: Any) -> None:
    items = [
        {"day": date(2026, 11, 25), "text": TEXT},
        {"day": date(2026, 11, 22), "text": TEXT},  # Sunday
        {"day": date(2026, 11, 26), "text": ""},
        {"day": date(2026, 11, 26), "text": TEXT, "cadre_id": world.cadre_b.pk},
    ]
    with pytest.raises(BulkRefused) as caught:
        services.bulk_save_logs(by=world.cadre_user, items=items)
    assert [(e.index, e.message[:6]) for e in caught.value.errors] == [
        (1, "2026年1"),
        (2, "日志内容不能"),
        (3, "只能提交本人"),
    ]
    assert "不是工作日" in caught.value.errors[0].message
    assert not WorkLog.objects.exists()


def test_bulk_submission_writes_and_updates_in_one_go(world: Any) -> None:
    save(world, day=date(2026, 11, 26), text="草稿")
    items = [{"day": date(2026, 11, d), "text": f"{TEXT}{d}", "hours": "7.5"} for d in (25, 26, 27)]
    logs = services.bulk_save_logs(by=world.cadre_user, items=items)
    assert [(log.day.day, log.status, log.is_late) for log in logs] == [
        (25, "submitted", True),
        (26, "submitted", True),
        (27, "submitted", False),
    ]
    assert WorkLog.objects.count() == 3
    assert AuditEvent.objects.filter(action="worklog_bulk_submitted").count() == 1


# ---------------------------------------------------------------- review


def test_reviewing_a_week_makes_its_logs_immutable_but_annotatable(world: Any) -> None:
    # given a submitted log this week, reviewed by the unit head
    log = save(world, day=date(2026, 11, 25), submit=True)
    services.mark_weeks(
        by=world.head_a, weeks=[(world.cadre_a.pk, MONDAY)], mark="good", comment="本周工作扎实"
    )
    log.refresh_from_db()
    assert log.status == "reviewed"
    # then the cadre can no longer change it
    with pytest.raises(Refused, match="已审阅，不能修改，只能追加批注"):
        save(world, day=date(2026, 11, 25), text="改写")
    log.refresh_from_db()
    assert log.text == TEXT
    # but both sides may append notes
    services.annotate_log(by=world.cadre_user, log=log, text="补充：会议纪要已归档")
    services.annotate_log(by=world.head_a, log=log, text="请把纪要抄送办公室")
    assert Annotation.objects.filter(log=log).count() == 2


def test_a_review_out_of_scope_is_refused_audited_and_writes_nothing(world: Any) -> None:
    save(world, day=date(2026, 11, 25), submit=True)
    with pytest.raises(OutOfScope):
        services.mark_weeks(by=world.head_b, weeks=[(world.cadre_a.pk, MONDAY)], mark="poor")
    assert not WeekReview.objects.exists()
    assert WorkLog.objects.get().status == "submitted"
    assert AuditEvent.objects.filter(action="authz_denied", actor=world.head_b).exists()


def test_batch_marking_refuses_the_whole_batch_when_one_week_has_no_logs(world: Any) -> None:
    save(world, day=date(2026, 11, 25), submit=True)
    with pytest.raises(Refused, match=r"李乙.*没有已提交的日志"):
        services.mark_weeks(
            by=world.head_a,
            mark="good",
            weeks=[(world.cadre_a.pk, MONDAY), (world.cadre_town.pk, MONDAY)],
        )
    assert not WeekReview.objects.exists()


@pytest.mark.parametrize(
    ("mark", "score", "message"),
    [("excellent", None, "请选择评价"), (None, None, "请选择评价")],
)
def test_a_mark_off_the_scale_is_refused(world: Any, mark: Any, score: Any, message: str) -> None:
    save(world, day=date(2026, 11, 25), submit=True)
    with pytest.raises(Refused, match=message):
        services.mark_weeks(
            by=world.head_a, weeks=[(world.cadre_a.pk, MONDAY)], mark=mark, score=score
        )


def test_the_score_scale_is_a_setting(world: Any) -> None:
    from cadre.worklogs.tests.conftest import set_rule

    set_rule("worklogs.review_scale", "score")
    save(world, day=date(2026, 11, 25), submit=True)
    [review] = services.mark_weeks(by=world.head_a, weeks=[(world.cadre_a.pk, MONDAY)], score=88)
    assert (review.mark, review.score, review.mark_display) == ("", 88, "88分")


def test_nobody_reviews_their_own_logs(world: Any) -> None:
    head_cadre = f.make_cadre(world.organ_a, "钱局长")
    head_a = world.head_a
    head_a.cadre = head_cadre
    head_a.save()
    services.save_log(by=head_a, cadre=head_cadre, day=TODAY, text=TEXT, submit=True)
    with pytest.raises(Refused, match="不能审阅本人的日志"):
        services.mark_weeks(by=head_a, weeks=[(head_cadre.pk, MONDAY)], mark="good")


def test_a_delegate_reviews_the_delegated_unit_only(world: Any) -> None:
    # given the county head delegates organ_a to a staff member of the county
    deputy = f.make_user("deputy", role="discipline", unit=world.county_b)
    services.delegate_review(
        by=world.head_a, unit=world.organ_a, delegate="deputy", starts_on=TODAY, ends_on=None
    )
    save(world, day=date(2026, 11, 25), submit=True)
    # then the delegate marks organ_a's week
    services.mark_weeks(by=deputy, weeks=[(world.cadre_a.pk, MONDAY)], mark="fairly_good")
    # but a revoked delegation stops it
    services.revoke_delegation(by=world.head_a, delegation=ReviewerDelegation.objects.get())
    deputy = type(deputy).objects.get(pk=deputy.pk)  # a fresh request
    with pytest.raises(OutOfScope):
        services.mark_weeks(by=deputy, weeks=[(world.cadre_a.pk, MONDAY)], mark="good")


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("cadre_user", "被委托人须为已开通双因素认证的工作人员账号"),
        ("nobody", "未找到受托人账号"),
        ("head_a", "不能委托给本人"),
    ],
)
def test_delegation_goes_only_to_another_staff_account(world: Any, who: str, message: str) -> None:
    username = getattr(world, who).username if who != "nobody" else "nobody"
    with pytest.raises(Refused, match=message):
        services.delegate_review(
            by=world.head_a, unit=world.organ_a, delegate=username, starts_on=TODAY, ends_on=None
        )
    assert not ReviewerDelegation.objects.exists()


def test_a_head_cannot_delegate_another_county(world: Any) -> None:
    with pytest.raises(OutOfScope):
        services.delegate_review(
            by=world.head_a, unit=world.organ_b, delegate="auditor", starts_on=TODAY, ends_on=None
        )
