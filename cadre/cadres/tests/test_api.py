"""The registry API: scope (404 out of scope, audited), bad input (4xx JSON, Chinese, nothing
written), optimistic locking, mass assignment, the cadre's own field allowlist, auth paths."""

import json
import re
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from cadre.accounts.tokens import issue_token
from cadre.audit.models import AuditEvent
from cadre.cadres import services
from cadre.cadres.api import SELF_FIELDS
from cadre.cadres.models import Appointment, Cadre, LeadershipTeam, TeamMembership
from cadre.core.models import HardDeleteForbidden
from tests import factories as f

API = "/api/v1"
CJK = re.compile(r"[\u4e00-\u9fff]")


def body(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content)


def assert_chinese_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    data = body(response)
    assert set(data) >= {"detail", "code"}
    assert CJK.search(data["detail"]), data
    assert "Traceback" not in response.content.decode()
    return data


def bearer(user: Any) -> Client:
    _, raw = issue_token(user=user, name="测试", by=None)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def denials(cadre: Cadre) -> int:
    return AuditEvent.objects.filter(
        action="authz_denied", object_type="cadres.cadre", object_id=str(cadre.pk)
    ).count()


def ids(response: Any) -> set[int]:
    return {row["id"] for row in body(response)["items"]}


# ---------------------------------------------------------------- scope


@pytest.mark.parametrize("via", ["session", "token"])
@pytest.mark.parametrize("suffix", ["", "/appointments", "/ranks"])
def test_unit_head_cannot_read_other_county_cadre(
    world: Any, as_user: Any, via: str, suffix: str
) -> None:
    client = as_user(world.head_a) if via == "session" else bearer(world.head_a)
    before = denials(world.cadre_b)
    response = client.get(f"{API}/cadres/{world.cadre_b.pk}{suffix}")
    data = assert_chinese_error(response, 404)
    assert data == {"detail": "未找到该记录", "code": "not_found"}
    assert denials(world.cadre_b) == before + 1
    event = AuditEvent.objects.filter(action="authz_denied").order_by("-id").first()
    assert event.actor == world.head_a
    assert event.route == f"{API}/cadres/{world.cadre_b.pk}{suffix}"
    # ...while the own county's cadre is readable.
    assert client.get(f"{API}/cadres/{world.cadre_a.pk}{suffix}").status_code == 200


def test_missing_and_out_of_scope_look_the_same(world: Any, as_user: Any) -> None:
    client = as_user(world.head_a)
    missing = client.get(f"{API}/cadres/999999")
    hidden = client.get(f"{API}/cadres/{world.cadre_b.pk}")
    assert missing.status_code == hidden.status_code == 404
    assert body(missing) == body(hidden)


def test_lists_return_only_in_scope_rows(world: Any, as_user: Any) -> None:
    f.make_position(world.organ_b, "副局长", is_leadership=True, leadership_level="section_deputy")
    LeadershipTeam.objects.create(org_unit=world.organ_a, name="东湖县财政局领导班子")
    LeadershipTeam.objects.create(org_unit=world.organ_b, name="西山县财政局领导班子")
    client = as_user(world.head_a)
    assert ids(client.get(f"{API}/cadres")) == {world.cadre_a.pk, world.cadre_town.pk}
    units = body(client.get(f"{API}/units"))["items"]
    assert {u["name"] for u in units} == {"东湖县", "东湖县财政局", "东湖县青石镇"}
    positions = body(client.get(f"{API}/positions"))["items"]
    assert {p["org_unit_name"] for p in positions} == {"东湖县财政局"}
    teams = body(client.get(f"{API}/teams"))["items"]
    assert [t["name"] for t in teams] == ["东湖县财政局领导班子"]
    everything = as_user(world.city_admin)
    assert ids(everything.get(f"{API}/cadres")) == {
        world.cadre_a.pk,
        world.cadre_town.pk,
        world.cadre_b.pk,
    }


@pytest.mark.parametrize("endpoint", ["cadres", "positions", "teams"])
def test_unit_filter_outside_scope_is_404_and_audited(
    world: Any, as_user: Any, endpoint: str
) -> None:
    """Decision: ?unit=<a unit you cannot see> is 404 (as on the web page), not an empty list."""
    client = as_user(world.head_a)
    response = client.get(f"{API}/{endpoint}", {"unit": world.county_b.pk})
    assert_chinese_error(response, 404)
    assert AuditEvent.objects.filter(
        action="authz_denied", object_type="orgs.orgunit", object_id=str(world.county_b.pk)
    ).exists()
    inside = client.get(f"{API}/{endpoint}", {"unit": world.town_a.pk})
    assert inside.status_code == 200


def test_unit_and_team_details_are_scoped(world: Any, as_user: Any) -> None:
    team_b = LeadershipTeam.objects.create(org_unit=world.organ_b, name="西山县财政局领导班子")
    TeamMembership.objects.create(
        team=team_b, cadre=world.cadre_b, role="head", started_on=date(2020, 1, 1)
    )
    client = as_user(world.head_a)
    assert_chinese_error(client.get(f"{API}/units/{world.county_b.pk}"), 404)
    assert_chinese_error(client.get(f"{API}/teams/{team_b.pk}"), 404)
    assert client.get(f"{API}/units/{world.county_a.pk}").status_code == 200
    team = body(as_user(world.head_b).get(f"{API}/teams/{team_b.pk}"))
    assert team["members"] == [
        {
            "cadre_id": world.cadre_b.pk,
            "cadre_name": "赵丙",
            "role": "head",
            "started_on": "2020-01-01",
            "ended_on": None,
        }
    ]


def test_reading_a_cadre_is_logged_but_lists_are_not_per_row(world: Any, as_user: Any) -> None:
    client = as_user(world.head_a)
    client.get(f"{API}/cadres")
    assert not AuditEvent.objects.filter(action="view").exists()
    client.get(f"{API}/cadres/{world.cadre_a.pk}")
    client.get(f"{API}/cadres/{world.cadre_a.pk}/appointments")
    views = AuditEvent.objects.filter(action="view", object_id=str(world.cadre_a.pk))
    assert views.count() == 2
    assert {e.actor_id for e in views} == {world.head_a.pk}


def test_list_filters_and_sort(world: Any, as_user: Any) -> None:
    services.refresh_current_post(world.cadre_a)  # the fixture's appointment made 王甲 局长
    client = as_user(world.city_admin)
    leaders = client.get(f"{API}/cadres", {"leader": "1"})
    assert ids(leaders) == {world.cadre_a.pk}
    named = client.get(f"{API}/cadres", {"q": "赵"})
    assert ids(named) == {world.cadre_b.pk}


def test_a_list_is_paged_by_limit_and_offset(world: Any, as_user: Any) -> None:
    """The one page shape of every list endpoint (README, API): ?limit=&offset= in,
    {"items": [...], "count": N} out; the second page holds the next rows."""
    client = as_user(world.city_admin)
    everyone = body(client.get(f"{API}/cadres", {"sort": "name"}))
    assert set(everyone) == {"items", "count"}
    assert everyone["count"] == len(everyone["items"]) == 3
    first = body(client.get(f"{API}/cadres", {"sort": "name", "limit": 2}))
    second = body(client.get(f"{API}/cadres", {"sort": "name", "limit": 2, "offset": 2}))
    assert first["count"] == second["count"] == 3
    assert [len(first["items"]), len(second["items"])] == [2, 1]
    assert first["items"] + second["items"] == everyone["items"]
    past_the_end = body(client.get(f"{API}/cadres", {"sort": "name", "offset": 3}))
    assert past_the_end == {"items": [], "count": 3}


# ---------------------------------------------------------------- a cadre's own record


def test_a_cadre_sees_exactly_the_allowlisted_keys_of_their_own_record(
    world: Any, as_user: Any
) -> None:
    client = as_user(world.cadre_user)
    own = body(client.get(f"{API}/cadres/{world.cadre_a.pk}"))
    assert set(own) == SELF_FIELDS
    assert "version" not in own
    assert "id_hash" not in own
    for other in (world.cadre_town, world.cadre_b):
        assert_chinese_error(client.get(f"{API}/cadres/{other.pk}"), 404)
    staff = body(as_user(world.head_a).get(f"{API}/cadres/{world.cadre_a.pk}"))
    assert set(staff) == SELF_FIELDS | {"version", "updated_at"}


# ---------------------------------------------------------------- PATCH


def patch(client: Client, cadre: Cadre, payload: Any) -> Any:
    data = payload if isinstance(payload, str) else json.dumps(payload)
    return client.patch(f"{API}/cadres/{cadre.pk}", data, content_type="application/json")


def snapshot(cadre: Cadre) -> dict[str, Any]:
    return Cadre.objects.filter(pk=cadre.pk).values().get()


def test_org_admin_patches_a_cadre(world: Any, as_user: Any) -> None:
    response = patch(
        as_user(world.city_admin),
        world.cadre_a,
        {"version": 1, "name": "王甲一", "specialty": "财政学"},
    )
    assert response.status_code == 200, response.content
    data = body(response)
    assert (data["name"], data["specialty"], data["version"]) == ("王甲一", "财政学", 2)
    assert AuditEvent.objects.filter(action="change", object_id=str(world.cadre_a.pk)).exists()


def test_stale_version_is_409_and_changes_nothing(world: Any, as_user: Any) -> None:
    client = as_user(world.city_admin)
    assert patch(client, world.cadre_a, {"version": 1, "name": "先到"}).status_code == 200
    before = snapshot(world.cadre_a)
    response = patch(client, world.cadre_a, {"version": 1, "name": "后到"})
    data = assert_chinese_error(response, 409)
    assert data["code"] == "conflict"
    assert snapshot(world.cadre_a) == before


@pytest.mark.parametrize(
    "payload",
    [
        {"version": 1, "org_unit": 1},
        {"version": 1, "org_unit_id": 1},
        {"version": 1, "id_hash": "0" * 64},
        {"version": 1, "id_masked": "1"},
        {"version": 1, "status": "left"},
        {"version": 1, "is_leader": True},
        {"version": 1, "rank": "level1_inspector"},
        {"version": 1, "name": "改名", "org_unit": 1},
    ],
)
def test_fields_outside_the_profile_are_refused(
    world: Any, as_user: Any, payload: dict[str, Any]
) -> None:
    payload = {**payload}
    if "org_unit" in payload or "org_unit_id" in payload:
        key = "org_unit" if "org_unit" in payload else "org_unit_id"
        payload[key] = world.organ_b.pk
    before = snapshot(world.cadre_a)
    response = patch(as_user(world.city_admin), world.cadre_a, payload)
    data = assert_chinese_error(response, 400)
    assert data["code"] == "invalid"
    assert "不是可接受的字段" in data["detail"]
    assert snapshot(world.cadre_a) == before


@pytest.mark.parametrize("persona", ["head_a", "discipline_a", "auditor", "cadre_user"])
def test_read_only_roles_cannot_patch(world: Any, as_user: Any, persona: str) -> None:
    """Decision: no write scope is 404 (like a missing record), audited; never 403."""
    before = snapshot(world.cadre_a)
    response = patch(
        as_user(getattr(world, persona)), world.cadre_a, {"version": 1, "name": "越权"}
    )
    assert_chinese_error(response, 404)
    assert snapshot(world.cadre_a) == before
    assert denials(world.cadre_a) == 1


BAD_BODIES = [
    "{bad json",
    "",
    "[]",
    '"text"',
    "null",
    '{"name": "缺版本"}',
    '{"version": "one"}',
    '{"version": 1.5}',
    '{"version": 1, "name": 123}',
    '{"version": 1, "name": null}',
    '{"version": 1, "name": ""}',
    '{"version": 1, "name": "' + "长" * 31 + '"}',
    '{"version": 1, "name": "a\\u0000b"}',
    '{"version": 1, "specialty": "\\u0000"}',
    '{"version": 1, "gender": "X"}',
    '{"version": 1, "birth_date": "2020-02-30"}',
    '{"version": 1, "birth_date": "1800-01-01"}',
    '{"version": 1, "joined_work_on": 20200101}',
    '{"version": 1}',
    '{"version": 99999999999999999999999999}',
]


@pytest.mark.parametrize("raw", BAD_BODIES)
def test_bad_patch_bodies_get_4xx_chinese_and_change_nothing(
    world: Any, as_user: Any, raw: str
) -> None:
    before = snapshot(world.cadre_a)
    response = patch(as_user(world.city_admin), world.cadre_a, raw)
    assert 400 <= response.status_code < 500
    assert_chinese_error(response, response.status_code)
    assert snapshot(world.cadre_a) == before


BAD_QUERIES = [
    "limit=1000000",
    "limit=0",
    "offset=-1",
    "offset=abc",
    "page=2",  # not a parameter of the one page shape (limit/offset)
    "sort=password",
    "sort=-id",
    "unknown=1",
    "org_unit__path__startswith=/",
    "q=%00",
    "q=" + "x" * 31,
    "unit=abc",
    "unit=99999999999999999999999",
    "unit=-1",
    "rank=general",
    "leader=maybe",
    "age_min=50&age_max=30",
    "age_min=200",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_list_queries_get_400_chinese(world: Any, as_user: Any, query: str) -> None:
    response = as_user(world.head_a).get(f"{API}/cadres?{query}")
    assert_chinese_error(response, 400)


@pytest.mark.parametrize(
    "url",
    [
        "/units?foo=1",
        "/units?limit=1000000",
        "/positions?leadership=perhaps",
        "/teams?unit=x",
        "/units/abc",
        "/units/99999999999999999999999",
        "/cadres/%00",
        "/cadres/0",
        "/teams/-3",
    ],
)
def test_bad_queries_and_ids_elsewhere(world: Any, as_user: Any, url: str) -> None:
    response = as_user(world.head_a).get(API + url)
    assert response.status_code in (400, 404)
    assert_chinese_error(response, response.status_code)


def test_field_errors_name_the_field(world: Any, as_user: Any) -> None:
    data = body(as_user(world.head_a).get(f"{API}/cadres?limit=1000000"))
    assert data["errors"] == [{"field": "limit", "message": "不能大于100"}]
    assert "limit" in data["detail"]


# ---------------------------------------------------------------- appointments


def test_org_admin_appoints_and_ends(world: Any, as_user: Any) -> None:
    client = as_user(world.city_admin)
    position = f.make_position(
        world.town_a, "镇长", is_leadership=True, leadership_level="section_chief"
    )
    response = client.post(
        f"{API}/appointments",
        {
            "cadre_id": world.cadre_a.pk,
            "position_id": position.pk,
            "started_on": "2024-05-06",
            "how": "rotation",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    appt = body(response)
    assert (appt["org_unit_name"], appt["how"]) == ("东湖县青石镇", "rotation")
    assert appt["ended_on"] is None
    world.cadre_a.refresh_from_db()
    assert world.cadre_a.org_unit == world.town_a
    history = body(client.get(f"{API}/cadres/{world.cadre_a.pk}/appointments"))["items"]
    assert [a["ended_on"] for a in history] == ["2024-05-06", None]
    ended = client.post(
        f"{API}/appointments/{appt['id']}/end",
        {"ended_on": "2025-01-01"},
        content_type="application/json",
    )
    assert body(ended)["ended_on"] == "2025-01-01"
    again = client.post(
        f"{API}/appointments/{appt['id']}/end",
        {"ended_on": "2025-02-01"},
        content_type="application/json",
    )
    assert_chinese_error(again, 400)
    assert AuditEvent.objects.filter(action="end_appointment").count() == 1


def test_appointments_need_write_scope_on_cadre_and_position(world: Any, as_user: Any) -> None:
    admin_a = f.make_user("admin_a", role="org_admin", unit=world.county_a)
    post_b = f.make_position(world.organ_b, "副局长")
    post_a = f.make_position(world.organ_a, "副局长")
    count = Appointment.objects.count()
    cases = [
        (as_user(world.head_a), world.cadre_a.pk, post_a.pk),  # read-only role
        (as_user(admin_a), world.cadre_b.pk, post_a.pk),  # cadre in another county
        (as_user(admin_a), world.cadre_a.pk, post_b.pk),  # position in another county
    ]
    for client, cadre_id, position_id in cases:
        response = client.post(
            f"{API}/appointments",
            {
                "cadre_id": cadre_id,
                "position_id": position_id,
                "started_on": "2024-01-01",
            },
            content_type="application/json",
        )
        assert_chinese_error(response, 404)
    appt = Appointment.objects.get(cadre=world.cadre_a)
    response = as_user(world.head_a).post(
        f"{API}/appointments/{appt.pk}/end",
        {"ended_on": "2024-01-01"},
        content_type="application/json",
    )
    assert_chinese_error(response, 404)
    assert Appointment.objects.count() == count
    assert Appointment.objects.get(pk=appt.pk).ended_on is None


DROP = object()


@pytest.mark.parametrize(
    "payload",
    [
        {"cadre_id": "x"},
        {"cadre_id": DROP},
        {"position_id": 2**70},
        {"started_on": "2024-13-01"},
        {"started_on": "2101-01-01"},
        {"how": "promotion"},
        {"note": "\u0000"},
        {"note": "长" * 201},
        {"end_previous": "perhaps"},
        {"ended_on": None},
        {"started_on": "2018-01-01"},  # before the current post began (service refuses)
    ],
)
def test_bad_appointment_bodies(world: Any, as_user: Any, payload: dict[str, Any]) -> None:
    position = f.make_position(world.organ_a, "副局长")
    full = {
        "cadre_id": world.cadre_a.pk,
        "position_id": position.pk,
        "started_on": "2024-01-01",
        **payload,
    }
    full = {k: v for k, v in full.items() if v is not DROP}
    count = Appointment.objects.count()
    response = as_user(world.city_admin).post(
        f"{API}/appointments", full, content_type="application/json"
    )
    assert_chinese_error(response, 400)
    assert Appointment.objects.count() == count


# ---------------------------------------------------------------- auth paths


def test_anonymous_gets_401_json_not_a_redirect(world: Any, client: Client) -> None:
    for url in ("/cadres", f"/cadres/{world.cadre_a.pk}", "/units", "/teams", "/positions"):
        data = assert_chinese_error(client.get(API + url), 401)
        assert data["code"] == "unauthenticated"
    response = patch(client, world.cadre_a, {"version": 1, "name": "匿名"})
    assert_chinese_error(response, 401)


def test_staff_session_without_otp_is_refused(world: Any) -> None:
    client = Client()
    client.force_login(world.head_a)  # password step only
    data = assert_chinese_error(client.get(f"{API}/cadres"), 401)
    assert "动态验证码" in data["detail"]


def test_session_writes_need_csrf(world: Any, as_user: Any) -> None:
    client = as_user(world.city_admin)
    client.handler.enforce_csrf_checks = True
    before = snapshot(world.cadre_a)
    response = patch(client, world.cadre_a, {"version": 1, "name": "跨站"})
    data = assert_chinese_error(response, 403)
    assert data["code"] == "csrf_failed"
    assert snapshot(world.cadre_a) == before
    assert client.get(f"{API}/cadres").status_code == 200  # safe methods need no token


def test_openapi_document_and_docs_need_login(world: Any, as_user: Any, client: Client) -> None:
    anonymous = client.get(f"{API}/openapi.json")
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert client.get(f"{API}/docs").status_code == 302
    staff = as_user(world.head_a)
    schema = body(staff.get(f"{API}/openapi.json"))
    assert "/api/v1/cadres/{cadre_id}" in schema["paths"]
    assert staff.get(f"{API}/docs").status_code == 200
    assert bearer(world.head_a).get(f"{API}/openapi.json").status_code == 200
    unverified = Client()
    unverified.force_login(world.head_a)
    assert unverified.get(f"{API}/openapi.json").status_code == 302


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (PermissionDenied("您的角色无权访问此功能"), 403, "forbidden"),
        (HardDeleteForbidden("本系统不允许物理删除记录"), 405, "delete_forbidden"),
        (RuntimeError("boom /secret/path.py line 3"), 500, "server_error"),
    ],
)
def test_error_mapping(
    world: Any, as_user: Any, monkeypatch: Any, exc: Exception, status: int, code: str
) -> None:
    def explode(**kwargs: Any) -> None:
        raise exc

    monkeypatch.setattr(services, "update_cadre", explode)
    response = patch(as_user(world.city_admin), world.cadre_a, {"version": 1, "name": "某"})
    data = assert_chinese_error(response, status)
    assert data["code"] == code
    assert "secret" not in response.content.decode()


@pytest.mark.parametrize("method", ["delete", "put"])
def test_unsupported_methods_are_405_json_and_delete_nothing(
    world: Any, as_user: Any, method: str
) -> None:
    response = getattr(as_user(world.city_admin), method)(f"{API}/cadres/{world.cadre_a.pk}")
    data = assert_chinese_error(response, 405)
    assert data["code"] == "method_not_allowed"
    assert "PATCH" in response["Allow"]
    assert Cadre.objects.filter(pk=world.cadre_a.pk).exists()
