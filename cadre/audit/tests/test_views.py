"""The audit trail viewer: auditors only, filters, export, separation of duties (LG-07)."""

import hashlib
import io
from datetime import timedelta
from typing import Any

import openpyxl
import pytest

from cadre.audit.models import AuditEvent
from cadre.audit.services import record_event
from tests import factories as f


@pytest.fixture
def trail(world: Any) -> dict[str, AuditEvent]:
    return {
        "view_a": record_event(actor=world.head_a, action="view", obj=world.cadre_a),
        "view_b": record_event(actor=world.head_b, action="view", obj=world.cadre_b),
        "export_a": record_event(
            actor=world.head_a, action="export", object_type="cadres.cadre", detail={"rows": 2}
        ),
        "anon": record_event(
            actor=None,
            action="login_failed",
            object_type="accounts.user",
            detail={"username": "ghost"},
        ),
    }


def listed_ids(response: Any) -> set[int]:
    return {e.pk for e in response.context["page"]}


def test_an_auditor_of_the_root_reads_the_whole_trail(world: Any, trail: Any, as_user: Any) -> None:
    response = as_user(world.auditor).get("/audit/")
    assert response.status_code == 200
    assert {e.pk for e in trail.values()} <= listed_ids(response)


def test_each_reading_of_the_trail_is_itself_audited(world: Any, trail: Any, as_user: Any) -> None:
    as_user(world.auditor).get("/audit/", {"action": "view"})
    event = AuditEvent.objects.filter(action="audit_view").latest("id")
    assert event.actor_name == "auditor"
    assert event.detail == {"filters": {"action": "view"}}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "view"}, {"view_a", "view_b"}),
        ({"actor": "head_a"}, {"view_a", "export_a"}),
        ({"object_type": "cadres.cadre", "action": "export"}, {"export_a"}),
        ({"action": "login_failed"}, {"anon"}),
    ],
)
def test_the_filters_narrow_the_trail(
    world: Any, trail: Any, as_user: Any, query: dict[str, str], expected: set[str]
) -> None:
    response = as_user(world.auditor).get("/audit/", query)
    found = listed_ids(response) & {e.pk for e in trail.values()}
    assert found == {trail[k].pk for k in expected}


def test_filter_by_object_id(world: Any, trail: Any, as_user: Any) -> None:
    query = {"object_type": "cadres.cadre", "object_id": str(world.cadre_b.pk)}
    response = as_user(world.auditor).get("/audit/", query)
    assert trail["view_b"].pk in listed_ids(response)
    assert trail["view_a"].pk not in listed_ids(response)


def test_the_date_range_is_in_local_days(world: Any, trail: Any, as_user: Any, clock: Any) -> None:
    client = as_user(world.auditor)
    today = clock.today
    inside = client.get("/audit/", {"date_from": today, "date_to": today})
    assert trail["view_a"].pk in listed_ids(inside)
    before = client.get("/audit/", {"date_to": today - timedelta(days=1)})
    assert trail["view_a"].pk not in listed_ids(before)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2025-13-01"}, "起始日期格式应为 YYYY-MM-DD"),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "起始日期不能晚于截止日期"),
        ({"action": "'; DROP TABLE"}, "动作只能包含小写英文字母和下划线"),
        ({"object_type": "x" * 100}, "60"),
    ],
)
def test_bad_filters_get_a_chinese_message(
    world: Any, trail: Any, as_user: Any, query: dict[str, str], message: str
) -> None:
    response = as_user(world.auditor).get("/audit/", query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert listed_ids(response) == set()


def test_the_export_is_the_filtered_trail_hashed_and_audited(
    world: Any, trail: Any, as_user: Any
) -> None:
    response = as_user(world.auditor).get("/audit/export.xlsx", {"actor": "head_a"})
    assert response.status_code == 200
    digest = hashlib.sha256(response.content).hexdigest()
    assert response["X-Content-SHA256"] == digest
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {trail["view_a"].pk, trail["export_a"].pk}
    by_id = {r[0]: r for r in rows}
    assert by_id[trail["view_a"].pk][-1] == trail["view_a"].hash  # each row carries its hash
    event = AuditEvent.objects.filter(action="audit_export").latest("id")
    assert event.detail == {"rows": 2, "sha256": digest, "filters": {"actor": "head_a"}}


def test_an_auditor_of_a_county_reads_only_that_county(
    world: Any, trail: Any, as_user: Any
) -> None:
    county_auditor = f.make_user("auditor_a", role="auditor", unit=world.county_a)
    cadre_event = record_event(actor=world.cadre_user, action="view", obj=world.cadre_a)
    about_a = record_event(actor=world.city_admin, action="change", obj=world.cadre_a)
    response = as_user(county_auditor).get("/audit/")
    ids = listed_ids(response)
    assert {trail["view_a"].pk, trail["export_a"].pk, cadre_event.pk, about_a.pk} <= ids
    assert trail["view_b"].pk not in ids  # head_b, about a county-B cadre
    assert trail["anon"].pk not in ids  # unknown actor: root auditors only


# --- separation of duties (LG-07, AC-05) ---------------------------------------------------


@pytest.mark.parametrize("persona", ["city_admin", "head_a", "discipline_a", "cadre_user"])
@pytest.mark.parametrize("url", ["/audit/", "/audit/export.xlsx"])
def test_only_auditors_see_the_trail_and_refusals_are_audited(
    world: Any, trail: Any, as_user: Any, persona: str, url: str
) -> None:
    user = getattr(world, persona)
    response = as_user(user).get(url)
    assert response.status_code == 403
    assert "审计日志仅限审计人员查看" in response.content.decode()
    event = AuditEvent.objects.filter(action="authz_denied").latest("id")
    assert (event.actor_id, event.object_type, event.route) == (user.pk, "audit.auditevent", url)


def test_a_superuser_is_not_an_auditor(world: Any, as_user: Any) -> None:
    boss = f.make_user("boss")
    boss.is_superuser = True
    boss.save()
    assert as_user(boss).get("/audit/").status_code == 403


def test_the_audit_link_shows_for_auditors_only(world: Any, as_user: Any) -> None:
    assert 'href="/audit/"' in as_user(world.auditor).get("/").content.decode()
    assert 'href="/audit/"' not in as_user(world.city_admin).get("/").content.decode()


def test_an_auditor_cannot_change_business_data(world: Any, as_user: Any) -> None:
    client = as_user(world.auditor)
    cadre = world.cadre_a
    assert client.get(f"/cadres/{cadre.pk}/").status_code == 200  # may read
    assert client.get(f"/cadres/{cadre.pk}/edit/").status_code == 404
    response = client.post(f"/cadres/{cadre.pk}/edit/", {"name": "审计改名", "version": 1})
    assert response.status_code == 404
    cadre.refresh_from_db()
    assert (cadre.name, cadre.version) == ("王甲", 1)
    assert client.get("/settings/rules/").status_code == 403
    assert AuditEvent.objects.filter(action="authz_denied", actor=world.auditor).count() >= 2
