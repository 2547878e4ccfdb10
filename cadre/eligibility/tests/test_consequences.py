"""The consequence list (issue 11 part 4): who became eligible, who became blocked, whose
influence period ends within 30 days — set-based, with reasons and sources; page, export, API.

November 2026 (horizon 2026-12-30):
  王甲 (东湖县): 诫勉 from 2026-11-10 → blocked in the period;
  李乙 (东湖县): 诫勉 from 2026-06-10 → promotion blocked until 2026-12-09, within 30 days;
  赵丙 (西山县): 诫勉 from 2026-05-05 → blocked until 2026-11-04, eligible from 2026-11-05.
"""

import io
from datetime import date
from typing import Any

import openpyxl
import pytest

from cadre.audit.models import AuditEvent
from cadre.cadres.models import Cadre
from cadre.eligibility import consequences, services
from cadre.eligibility.consequences import Period
from cadre.eligibility.services import EligibilityError
from cadre.supervision.tests.helpers import measure
from tests import factories as f

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
QUERY = "start=2026-11-01&end=2026-11-30"


@pytest.fixture
def measures(world: Any, clock: Any) -> None:
    clock.move_to("2026-12-07")
    measure(world.city_admin, world.cadre_a, "admonishment", on=date(2026, 11, 10))
    measure(world.city_admin, world.cadre_town, "admonishment", on=date(2026, 6, 10))
    measure(world.city_admin, world.cadre_b, "admonishment", on=date(2026, 5, 5))


def by_name(found: list[consequences.Change]) -> dict[tuple[str, str], consequences.Change]:
    return {(c.name, c.kind): c for c in found}


def test_the_three_kinds_of_change_with_reason_and_source(world: Any, measures: None) -> None:
    found = by_name(consequences.changes(list(Cadre.objects.all()), NOVEMBER))
    assert set(found) == {("王甲", "blocked"), ("李乙", "ending"), ("赵丙", "eligible")}

    blocked = found[("王甲", "blocked")]
    [reason] = blocked.reasons
    assert "诫勉（2026-11-10起）" in reason.reason
    assert "第二十四条(六)" in reason.source
    assert reason.fact_label == "问责措施"
    assert reason.until == date(2027, 5, 9)

    ending = found[("李乙", "ending")]
    assert [r.until for r in ending.reasons] == [date(2026, 12, 9), date(2026, 12, 9)]
    assert ending.changed_on == date(2026, 12, 10)
    assert "提拔" in ending.reasons[0].decisions_label

    eligible = found[("赵丙", "eligible")]
    assert eligible.changed_on == date(2026, 11, 5)
    assert "诫勉（2026-05-05起）" in eligible.reason_text
    assert "第二十四条(六)" in eligible.source_text


def test_a_change_on_the_first_day_counts_and_a_later_period_is_quiet(
    world: Any, measures: None
) -> None:
    from_tenth = Period(date(2026, 11, 10), date(2026, 11, 20))
    assert ("王甲", "blocked") in by_name(consequences.changes([world.cadre_a], from_tenth))
    later = Period(date(2026, 11, 11), date(2026, 11, 20))
    assert consequences.changes([world.cadre_a], later) == []


def test_two_set_based_calls_whatever_the_number_of_cadres(
    world: Any, measures: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        f.make_cadre(world.organ_a, f"干部{i}")
    calls: list[tuple[int, date]] = []

    def counting(ids: list[int], on: date, position_id: int | None = None) -> Any:
        calls.append((len(ids), on))
        return services.answers(ids, on, position_id)

    monkeypatch.setattr(consequences, "answers", counting)
    consequences.changes(list(Cadre.objects.all()), NOVEMBER)
    assert calls == [(8, date(2026, 10, 31)), (8, date(2026, 11, 30))]


def test_the_period_defaults_to_the_month_and_bad_input_is_refused() -> None:
    assert consequences.parse_period(None, None, date(2026, 12, 7)) == Period(
        date(2026, 12, 1), date(2026, 12, 31)
    )
    with pytest.raises(EligibilityError, match="开始日期格式应为"):
        consequences.parse_period("2026/11/01", None, date(2026, 12, 7))
    with pytest.raises(EligibilityError, match="结束日期不能早于开始日期"):
        consequences.parse_period("2026-11-30", "2026-11-01", date(2026, 12, 7))
    with pytest.raises(EligibilityError, match="不能超过"):
        consequences.parse_period("2024-01-01", "2026-01-01", date(2026, 12, 7))


# ---- page, export, API -----------------------------------------------------------------------


def test_the_page_filters_by_unit_and_period(world: Any, measures: None, as_user: Any) -> None:
    client = as_user(world.city_admin)
    page = client.get(f"/eligibility/consequences/?{QUERY}").content.decode()
    for text in ("资格变化清单", "王甲", "李乙", "赵丙", "影响期将满", "可提拔", "第二十四条(六)"):
        assert text in page
    county_a = client.get(f"/eligibility/consequences/?{QUERY}&unit={world.county_a.pk}")
    assert "赵丙" not in county_a.content.decode()
    assert "王甲" in county_a.content.decode()
    only = client.get(f"/eligibility/consequences/?{QUERY}&kind=eligible").content.decode()
    assert "赵丙" in only
    assert "王甲" not in only
    default = client.get("/eligibility/consequences/")
    assert default.status_code == 200
    assert default.context["period"] == Period(date(2026, 12, 1), date(2026, 12, 31))
    bad = client.get("/eligibility/consequences/?start=2026-13-01")
    assert bad.status_code == 400
    assert "开始日期格式应为" in bad.content.decode()


def test_the_export_opens_with_a_row_per_reason(world: Any, measures: None, as_user: Any) -> None:
    response = as_user(world.discipline_a).get(f"/eligibility/consequences/export.xlsx?{QUERY}")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == consequences.EXPORT_HEADERS
    names = {(r[0], r[2]) for r in rows[1:]}
    # discipline_a sees 东湖县 only: no 赵丙
    assert names == {("受限（不得提拔）", "王甲"), ("影响期将满", "李乙")}
    assert all(r[8] for r in rows[1:])  # every row has its source
    assert AuditEvent.objects.filter(object_type="eligibility.consequences").exists()


def test_the_api_lists_pages_and_refuses_out_of_scope(
    world: Any, measures: None, as_user: Any
) -> None:
    client = as_user(world.city_admin)
    answer = client.get(f"/api/v1/eligibility/consequences?{QUERY}&limit=2").json()
    assert answer["count"] == 3
    assert len(answer["items"]) == 2
    first = answer["items"][0]
    assert first["kind"] == "eligible"
    assert first["name"] == "赵丙"
    assert first["reasons"][0]["source"]
    head_b_unit = client.get(f"/api/v1/eligibility/consequences?{QUERY}&unit={world.county_b.pk}")
    assert [i["name"] for i in head_b_unit.json()["items"]] == ["赵丙"]
    discipline = as_user(world.discipline_a)
    out = discipline.get(f"/api/v1/eligibility/consequences?{QUERY}&unit={world.county_b.pk}")
    assert out.status_code == 404
    assert discipline.get(f"/eligibility/consequences/?unit={world.county_b.pk}").status_code == 404
    assert as_user(world.head_a).get("/api/v1/eligibility/consequences").status_code == 403
    bad = client.get("/api/v1/eligibility/consequences?start=2026-11-30&end=2026-11-01")
    assert bad.status_code == 400
    assert "结束日期不能早于开始日期" in bad.json()["detail"]


def test_the_index_links_everything(world: Any, as_user: Any) -> None:
    page = as_user(world.discipline_a).get("/eligibility/").content.decode()
    for text in ("任用资格", "资格变化清单", "不适宜担任现职", "破格使用情况"):
        assert text in page
    assert 'href="/eligibility/"' in page  # the nav entry
    assert "/eligibility/" not in as_user(world.head_a).get("/").content.decode()
