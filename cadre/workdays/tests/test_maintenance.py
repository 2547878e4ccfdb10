"""Staff confirm a year's official schedule; single days can be corrected at once."""

import json
from datetime import date, timedelta
from typing import Any

import pytest

from cadre.audit.models import AuditEvent
from cadre.workdays import rules, services
from cadre.workdays.models import CalendarYear, DayOverride


def official(year: int, worked: tuple[date, ...] = ()) -> tuple[dict, dict]:
    """A schedule that gives every statutory holiday off (what the notice always does)."""
    off = dict(rules.statutory_holidays(year, with_makeup=True))
    return off, dict.fromkeys(worked, "调休上班")


def test_a_confirmed_year_is_computed_with_its_schedule(world: Any) -> None:
    # given 2030 is provisional: statutory holidays, no 调休
    assert services.current_calendar().is_provisional(date(2030, 2, 10))
    assert services.is_workday(date(2030, 2, 10)) is False  # a Sunday
    off, worked = official(2030, (date(2030, 2, 10),))
    off[date(2030, 2, 8)] = "春节"  # a Friday added to the break
    services.confirm_year(
        by=world.city_admin,
        year=2030,
        days_off=off,
        days_worked=worked,
        source="国务院办公厅关于2030年部分节假日安排的通知",
    )
    # then the cache was refreshed and the year counts as official, with the entered days
    cal = services.current_calendar()
    assert not cal.is_provisional(date(2030, 2, 10))
    assert services.is_workday(date(2030, 2, 8)) is False
    assert services.is_workday(date(2030, 2, 10)) is True  # a Sunday worked
    assert AuditEvent.objects.filter(action="calendar_year_confirmed").count() == 1
    row = CalendarYear.objects.get(year=2030)
    assert row.revision == 1
    assert row.days_worked == {"2030-02-10": "调休上班"}


def test_the_old_two_step_entry_still_confirms_a_year(world: Any) -> None:
    for day, name in rules.statutory_holidays(2030).items():
        services.set_day_override(by=world.city_admin, day=day, is_workday=False, name=name)
    services.set_day_override(by=world.city_admin, day=date(2030, 2, 10), is_workday=True)
    services.add_calendar_year(by=world.city_admin, year=2030, source="通知")
    assert services.is_workday(date(2030, 2, 10)) is True
    assert CalendarYear.objects.get(year=2030).days_worked == {"2030-02-10": ""}


def test_an_override_corrects_a_library_year_at_once(world: Any) -> None:
    assert services.is_workday(date(2026, 11, 27)) is True  # warms the cache
    services.set_day_override(
        by=world.city_admin, day=date(2026, 11, 27), is_workday=False, name="临时调整"
    )
    assert services.is_workday(date(2026, 11, 27)) is False
    services.set_day_override(by=world.city_admin, day=date(2026, 11, 27), is_workday=True)
    assert services.is_workday(date(2026, 11, 27)) is True
    assert DayOverride.objects.count() == 1  # corrected in place, with the audit trail
    assert AuditEvent.objects.filter(action="calendar_day_set").count() == 2


@pytest.mark.parametrize(
    ("year", "source", "message"),
    [
        (2026, "通知", "已由日历库提供"),
        (1999, "通知", "须在2000至2100之间"),
        ("二〇三〇", "通知", "四位数字"),
        (2030, "  ", "请填写依据"),
    ],
)
def test_bad_year_input_is_refused_and_nothing_written(
    world: Any, year: Any, source: str, message: str
) -> None:
    off, worked = official(2030)
    with pytest.raises(services.CalendarError, match=message):
        services.confirm_year(
            by=world.city_admin, year=year, source=source, days_off=off, days_worked=worked
        )
    assert not CalendarYear.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # 全国年节及纪念日放假办法: 国庆 10月1日 is a statutory holiday (a Tuesday in 2030)
        (lambda off, worked: off.pop(date(2030, 10, 1)), "缺少法定节假日 2030-10-01（国庆节）"),
        (
            lambda off, worked: worked.update({date(2030, 10, 2): "上班"}),
            "2030-10-02 同时被列为放假和上班",
        ),
        (lambda off, worked: worked.update({date(2030, 1, 1): "上班"}), "2030-01-01"),
        (lambda off, worked: off.update({date(2031, 1, 1): "元旦"}), "2031-01-01 不在2030年内"),
    ],
)
def test_a_schedule_against_the_law_or_itself_is_refused(
    world: Any, change: Any, message: str
) -> None:
    off, worked = official(2030)
    change(off, worked)
    with pytest.raises(services.CalendarError, match=message):
        services.confirm_year(
            by=world.city_admin, year=2030, source="通知", days_off=off, days_worked=worked
        )
    assert not CalendarYear.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="calendar_year").exists()


def test_confirming_again_is_a_correction_with_a_reason(world: Any) -> None:
    off, worked = official(2030)
    services.confirm_year(
        by=world.city_admin, year=2030, source="通知", days_off=off, days_worked=worked
    )
    with pytest.raises(services.CalendarError, match="如需更正，请填写更正理由"):
        services.confirm_year(
            by=world.city_admin,
            year=2030,
            source="通知",
            days_off=off,
            days_worked={date(2030, 2, 10): "调休"},
        )
    with pytest.raises(services.CalendarError, match="无需更正"):
        services.confirm_year(
            by=world.city_admin,
            year=2030,
            source="通知",
            days_off=off,
            days_worked=worked,
            correction="复核",
        )
    services.confirm_year(
        by=world.city_admin,
        year=2030,
        source="通知（更正）",
        days_off=off,
        days_worked={date(2030, 2, 10): "调休"},
        correction="漏录调休日",
    )
    row = CalendarYear.objects.get(year=2030)
    assert row.revision == 2
    assert services.is_workday(date(2030, 2, 10)) is True
    event = AuditEvent.objects.get(action="calendar_year_corrected")
    assert event.detail["reason"] == "漏录调休日"
    assert event.detail["before"]["worked"] == {}


def test_the_calendar_page_lets_a_root_admin_confirm_a_year(world: Any, as_user: Any) -> None:
    client = as_user(world.city_admin)
    page = client.get("/workdays/").content.decode()
    assert "录入并确认年度安排" in page
    assert "法定节假日（推定依据）" in page
    off, _ = official(2030)
    pasted = "\n".join(f"{d:%Y-%m-%d} {n}" for d, n in sorted(off.items()))
    response = client.post(
        "/workdays/years/",
        {
            "year": "2030",
            "source": "通知",
            "days_off": pasted + "\n2030-10-07至2030-10-08 国庆节",
            "days_worked": "2030-09-29 国庆调休",
        },
    )
    assert response.status_code == 302
    assert services.is_workday(date(2030, 10, 8)) is False
    assert services.is_workday(date(2030, 9, 29)) is True


def test_a_csv_upload_confirms_a_year(world: Any, as_user: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    off, _ = official(2030)
    rows = [
        "日期,安排,名称",
        *(f"{d:%Y-%m-%d},放假,{n}" for d, n in sorted(off.items())),
        "2030-09-29,上班,国庆调休",
    ]
    upload = SimpleUploadedFile("2030.csv", "\n".join(rows).encode("utf-8-sig"), "text/csv")
    response = as_user(world.city_admin).post(
        "/workdays/years/", {"year": "2030", "source": "通知", "csv_file": upload}
    )
    assert response.status_code == 302
    assert services.is_workday(date(2030, 9, 29)) is True


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"year": "2026", "source": "通知", "days_off": "2026-10-01 国庆"}, "已由日历库提供"),
        (
            {"year": "2030", "source": "通知", "days_off": "明年元旦"},
            "第1行“明年元旦”的日期无法识别",
        ),
        ({"year": "2030", "source": "通知", "days_off": "2030-01-01 元旦"}, "缺少法定节假日"),
        ({"year": "2030", "source": "通知", "days_off": ""}, "请填写或上传该年的放假日"),
    ],
)
def test_bad_input_on_the_calendar_page_gets_a_message(
    world: Any, as_user: Any, post: dict, message: str
) -> None:
    response = as_user(world.city_admin).post("/workdays/years/", post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CalendarYear.objects.exists()


def test_a_bad_single_day_gets_a_message(world: Any, as_user: Any) -> None:
    response = as_user(world.city_admin).post("/workdays/days/", {"day": "明天", "is_workday": "0"})
    assert response.status_code == 400
    assert "日期格式应为" in response.content.decode()
    assert not DayOverride.objects.exists()


@pytest.mark.parametrize("persona", ["head_a", "auditor", "discipline_a"])
def test_only_a_root_org_admin_maintains_the_calendar(
    world: Any, as_user: Any, persona: str
) -> None:
    client = as_user(getattr(world, persona))
    assert "录入并确认年度安排" not in client.get("/workdays/").content.decode()
    response = client.post("/workdays/days/", {"day": "2030-10-01", "is_workday": "0"})
    assert response.status_code == 403
    response = client.post(
        "/workdays/years/", {"year": "2030", "source": "x", "days_off": "2030-10-01"}
    )
    assert response.status_code == 403
    assert not DayOverride.objects.exists()
    assert not CalendarYear.objects.exists()


def test_a_county_org_admin_is_not_a_root_admin(world: Any, as_user: Any) -> None:
    from tests import factories as f

    county_admin = f.make_user("county_admin", role="org_admin", unit=world.county_a)
    response = as_user(county_admin).post("/workdays/years/", {"year": "2030", "source": "x"})
    assert response.status_code == 403


def test_the_calendar_api(world: Any, as_user: Any) -> None:
    client = as_user(world.city_admin)
    days = client.get("/api/v1/workdays/days?start=2026-09-26&end=2026-10-11").json()
    worked = [d["day"] for d in days if d["is_workday"]]
    assert "2026-09-28" in worked
    assert "2026-10-01" not in worked
    assert "2026-10-10" in worked
    assert not any(d["provisional"] for d in days)
    ahead = client.get("/api/v1/workdays/days?start=2031-01-01&end=2031-01-31").json()
    assert all(d["provisional"] for d in ahead)
    assert not next(d for d in ahead if d["day"] == "2031-01-01")["is_workday"]  # 元旦
    added = client.get("/api/v1/workdays/add?day=2030-12-30&n=3").json()
    assert added == {"day": "2031-01-03", "is_workday": True, "provisional": True}
    refused = client.get("/api/v1/workdays/days?start=2045-01-01&end=2045-01-31")
    assert refused.status_code == 400
    assert "2045年的节假日安排尚未录入" in refused.json()["detail"]
    off, _ = official(2031)
    body = {
        "year": 2031,
        "source": "通知",
        "days_worked": [{"day": "2031-01-04"}],
        "days_off": [{"day": d.isoformat(), "name": n} for d, n in off.items()],
    }
    posted = client.post(
        "/api/v1/workdays/years", json.dumps(body), content_type="application/json"
    )
    assert posted.status_code == 201, posted.content
    assert posted.json()["revision"] == 1
    assert 2031 in client.get("/api/v1/workdays/years").json()["registered_years"]
    again = client.post("/api/v1/workdays/years", json.dumps(body), content_type="application/json")
    assert again.status_code == 400
    assert "如需更正" in again.json()["detail"]
    head = as_user(world.head_a).post(
        "/api/v1/workdays/years",
        json.dumps({**body, "year": 2032}),
        content_type="application/json",
    )
    assert head.status_code == 403


def test_pasted_lines_and_ranges_are_read(world: Any) -> None:
    days = rules.parse_schedule_lines("2027-02-05至2027-02-07 春节\n\n2027/5/1 劳动节")
    assert days == {
        date(2027, 2, 5): "春节",
        date(2027, 2, 6): "春节",
        date(2027, 2, 7): "春节",
        date(2027, 5, 1): "劳动节",
    }
    assert max(days) - min(days) > timedelta(days=80)
