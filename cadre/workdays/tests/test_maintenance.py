"""Staff maintain the calendar for years the library does not know yet (org_admin at root)."""

import json
from datetime import date
from typing import Any

import pytest

from cadre.audit.models import AuditEvent
from cadre.workdays import services
from cadre.workdays.models import CalendarYear, DayOverride
from cadre.workdays.rules import UnknownYearError


def test_a_registered_year_is_computed_with_its_holidays(world: Any) -> None:
    # given 2030 is unknown
    with pytest.raises(UnknownYearError):
        services.is_workday(date(2030, 2, 4))
    # when staff enter a holiday and a worked Sunday, then register the year
    services.set_day_override(by=world.city_admin, day=date(2030, 2, 4), is_workday=False,
                              name="春节")
    services.set_day_override(by=world.city_admin, day=date(2030, 2, 10), is_workday=True,
                              name="春节调休")
    services.add_calendar_year(by=world.city_admin, year=2030,
                               source="国务院办公厅关于2030年部分节假日安排的通知")
    # then the cache was refreshed and the year counts, with the entered days
    assert services.is_workday(date(2030, 2, 4)) is False  # a Monday off
    assert services.is_workday(date(2030, 2, 10)) is True  # a Sunday worked
    assert services.add_working_days(date(2030, 2, 1), 1) == date(2030, 2, 5)
    assert AuditEvent.objects.filter(action="calendar_year_added").count() == 1


def test_an_override_corrects_a_library_year_at_once(world: Any) -> None:
    assert services.is_workday(date(2026, 11, 27)) is True  # warms the cache
    services.set_day_override(by=world.city_admin, day=date(2026, 11, 27), is_workday=False,
                              name="临时调整")
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
    with pytest.raises(services.CalendarError, match=message):
        services.add_calendar_year(by=world.city_admin, year=year, source=source)
    assert not CalendarYear.objects.exists()


def test_a_year_is_registered_once(world: Any) -> None:
    services.add_calendar_year(by=world.city_admin, year=2030, source="通知")
    with pytest.raises(services.CalendarError, match="2030年度已登记"):
        services.add_calendar_year(by=world.city_admin, year=2030, source="通知")


def test_the_calendar_page_lets_a_root_admin_maintain_it(world: Any, as_user: Any) -> None:
    client = as_user(world.city_admin)
    assert "登记新年度" in client.get("/workdays/").content.decode()
    response = client.post("/workdays/days/", {"day": "2030-10-01", "is_workday": "0",
                                               "name": "国庆节"})
    assert response.status_code == 302
    response = client.post("/workdays/years/", {"year": "2030", "source": "通知"})
    assert response.status_code == 302
    assert services.is_workday(date(2030, 10, 1)) is False


def test_bad_input_on_the_calendar_page_gets_a_message(world: Any, as_user: Any) -> None:
    response = as_user(world.city_admin).post("/workdays/years/", {"year": "2026",
                                                                  "source": "通知"})
    assert response.status_code == 400
    assert "已由日历库提供" in response.content.decode()
    response = as_user(world.city_admin).post("/workdays/days/", {"day": "明天",
                                                                 "is_workday": "0"})
    assert response.status_code == 400
    assert "日期格式应为" in response.content.decode()
    assert not DayOverride.objects.exists()


@pytest.mark.parametrize("persona", ["head_a", "auditor", "discipline_a"])
def test_only_a_root_org_admin_maintains_the_calendar(world: Any, as_user: Any,
                                                      persona: str) -> None:
    client = as_user(getattr(world, persona))
    assert "登记新年度" not in client.get("/workdays/").content.decode()
    response = client.post("/workdays/days/", {"day": "2030-10-01", "is_workday": "0"})
    assert response.status_code == 403
    assert not DayOverride.objects.exists()


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
    refused = client.get("/api/v1/workdays/days?start=2031-01-01&end=2031-01-31")
    assert refused.status_code == 400
    assert "2031年的节假日安排尚未录入" in refused.json()["detail"]
    body = json.dumps({"day": "2031-01-01", "is_workday": False, "name": "元旦"})
    put = client.put("/api/v1/workdays/overrides", body, content_type="application/json")
    assert put.status_code == 200
    posted = client.post("/api/v1/workdays/years", json.dumps({"year": 2031, "source": "通知"}),
                         content_type="application/json")
    assert posted.status_code == 201
    assert 2031 in posted.json()["registered_years"]
    head = as_user(world.head_a).post("/api/v1/workdays/years", json.dumps(
        {"year": 2032, "source": "通知"}), content_type="application/json")
    assert head.status_code == 403
