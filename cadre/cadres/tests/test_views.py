"""Foundation "Done means" proofs for the cadre pages, list and export (issue 2; TRUST.md
AC-01, AC-02, CC-01, IO-01, IO-02, LG-01)."""

import io
import re
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest

from cadre.audit.models import AuditEvent
from cadre.cadres.models import Cadre
from tests import factories as f


def edit_form(cadre: Cadre, **changes: Any) -> dict[str, Any]:
    data = {
        "name": cadre.name,
        "gender": cadre.gender,
        "birth_date": cadre.birth_date,
        "ethnicity": cadre.ethnicity,
        "education": cadre.education,
        "specialty": cadre.specialty,
        "political_status": cadre.political_status,
        "joined_party_on": cadre.joined_party_on or "",
        "joined_work_on": cadre.joined_work_on,
        "version": cadre.version,
    }
    data.update(changes)
    return data


def names_in(response: Any) -> set[str]:
    return {c.name for c in response.context["page"]}


def xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return list(ws.iter_rows(min_row=2, values_only=True))


# --- cross-county reads: 404 and audited (AC-01) -------------------------------------------


@pytest.mark.parametrize("suffix", ["", "edit/"])
def test_a_head_of_county_a_gets_404_for_a_county_b_cadre(
    world: Any, as_user: Any, suffix: str
) -> None:
    url = f"/cadres/{world.cadre_b.pk}/{suffix}"
    response = as_user(world.head_a).get(url)
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="authz_denied")
    assert (event.actor_name, event.object_type, event.object_id, event.route) == (
        "head_a",
        "cadres.cadre",
        str(world.cadre_b.pk),
        url,
    )
    assert not AuditEvent.objects.filter(action="view").exists()


def test_missing_and_out_of_scope_look_the_same(world: Any, as_user: Any) -> None:
    client = as_user(world.head_a)
    hidden = client.get(f"/cadres/{world.cadre_b.pk}/")
    missing = client.get("/cadres/999999/")
    assert hidden.status_code == missing.status_code == 404

    def page(response: Any) -> str:  # without the per-response request id and CSRF token
        text = response.content.decode().replace(response["X-Request-Id"], "")
        return re.sub(r"[A-Za-z0-9]{64}", "", text)

    assert page(hidden) == page(missing)


def test_a_head_reads_cadres_of_child_units(world: Any, as_user: Any) -> None:
    assert as_user(world.head_a).get(f"/cadres/{world.cadre_town.pk}/").status_code == 200


def test_a_cadre_account_sees_only_its_own_record(world: Any, as_user: Any) -> None:
    client = as_user(world.cadre_user)
    assert client.get(f"/cadres/{world.cadre_a.pk}/").status_code == 200
    assert client.get(f"/cadres/{world.cadre_town.pk}/").status_code == 404
    assert client.get("/cadres/").status_code == 403


def test_the_list_and_export_hold_only_the_users_county(world: Any, as_user: Any) -> None:
    client = as_user(world.head_a)
    assert names_in(client.get("/cadres/")) == {"王甲", "李乙"}
    response = client.get("/cadres/export.xlsx")
    assert response.status_code == 200
    assert {row[0] for row in xlsx_rows(response)} == {"王甲", "李乙"}
    event = AuditEvent.objects.get(action="export")
    assert (event.actor_name, event.object_type, event.detail) == (
        "head_a",
        "cadres.cadre",
        {"rows": 2},
    )


def test_asking_for_another_countys_unit_is_404(world: Any, as_user: Any) -> None:
    client = as_user(world.head_a)
    assert client.get("/cadres/", {"unit": world.county_b.pk}).status_code == 404
    assert client.get("/cadres/export.xlsx", {"unit": world.county_b.pk}).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_viewing_a_cadre_is_logged_with_who_what_when_and_where(
    world: Any, as_user: Any, clock: Any
) -> None:
    before = clock.now.replace(microsecond=0)
    as_user(world.head_a).get(f"/cadres/{world.cadre_a.pk}/", REMOTE_ADDR="10.20.30.40")
    event = AuditEvent.objects.get(action="view")
    assert event.actor == world.head_a
    assert (event.object_type, event.object_id) == ("cadres.cadre", str(world.cadre_a.pk))
    assert event.ip == "10.20.30.40"
    assert before <= event.at <= clock.now
    assert event.roles == "unit_head"
    assert len(event.request_id) == 16


# --- writes: scope, concurrency, history (AC-02, CC-01) ------------------------------------


def test_only_org_admins_may_edit(world: Any, as_user: Any) -> None:
    cadre = world.cadre_a
    for persona in ("head_a", "discipline_a", "auditor", "cadre_user"):
        response = as_user(getattr(world, persona)).post(
            f"/cadres/{cadre.pk}/edit/", edit_form(cadre, name="越权修改")
        )
        assert response.status_code == 404, persona
    cadre.refresh_from_db()
    assert cadre.name == "王甲"


def test_the_edit_form_ignores_fields_it_does_not_offer(world: Any, as_user: Any) -> None:
    cadre = world.cadre_a
    response = as_user(world.city_admin).post(
        f"/cadres/{cadre.pk}/edit/",
        edit_form(
            cadre,
            specialty="会计",
            org_unit=world.organ_b.pk,
            status="left",
            id_masked="000",
            is_leader="false",
        ),
    )
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert cadre.specialty == "会计"
    assert (cadre.org_unit_id, cadre.status, cadre.is_leader) == (world.organ_a.pk, "active", False)


def test_the_second_of_two_concurrent_edits_is_refused(world: Any, as_user: Any) -> None:
    cadre = world.cadre_a
    first, second = as_user(world.city_admin), as_user(world.city_admin)
    assert first.get(f"/cadres/{cadre.pk}/edit/").status_code == 200
    assert second.get(f"/cadres/{cadre.pk}/edit/").status_code == 200
    ok = first.post(f"/cadres/{cadre.pk}/edit/", edit_form(cadre, specialty="财政学"))
    late = second.post(f"/cadres/{cadre.pk}/edit/", edit_form(cadre, specialty="法学"))
    assert ok.status_code == 302
    assert late.status_code == 409
    assert "已被他人修改" in late.content.decode()
    cadre.refresh_from_db()
    assert (cadre.specialty, cadre.version) == ("财政学", 2)
    assert AuditEvent.objects.filter(action="change").count() == 1


def test_the_cadre_page_shows_the_history_of_a_changed_field(world: Any, as_user: Any) -> None:
    cadre = world.cadre_a
    client = as_user(world.city_admin)
    client.post(f"/cadres/{cadre.pk}/edit/", edit_form(cadre, specialty="财政学"))
    cadre.refresh_from_db()
    client.post(f"/cadres/{cadre.pk}/edit/", edit_form(cadre, specialty="公共管理"))
    history = client.get(f"/cadres/{cadre.pk}/").context["history"]
    changes = [(c.field, c.old, c.new, c.by) for c in history]
    assert ("专业", "财政学", "公共管理", "city_admin") in changes
    assert ("专业", "", "财政学", "city_admin") in changes
    assert "公共管理" in client.get(f"/cadres/{cadre.pk}/").content.decode()


def test_bad_edit_input_gets_chinese_messages_and_changes_nothing(world: Any, as_user: Any) -> None:
    cadre = world.cadre_a
    response = as_user(world.city_admin).post(
        f"/cadres/{cadre.pk}/edit/", edit_form(cadre, birth_date="1985-02-30", name="")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "这个字段是必填项" in body
    assert "输入一个有效的日期" in body
    cadre.refresh_from_db()
    assert (cadre.name, cadre.version) == ("王甲", 1)


# --- output encoding (IO-01, IO-02) --------------------------------------------------------

XSS = "<script>alert(1)</script>"


def test_a_script_in_a_name_is_escaped_on_list_and_page(world: Any, as_user: Any) -> None:
    cadre = f.make_cadre(world.organ_a, XSS)
    client = as_user(world.head_a)
    for url in ("/cadres/", f"/cadres/{cadre.pk}/", "/cadres/?q=script"):
        body = client.get(url).content.decode()
        assert XSS not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","y")', "+1+2", "-3", "@SUM(A1)"])
def test_exported_names_that_look_like_formulas_stay_text(
    world: Any, as_user: Any, name: str
) -> None:
    f.make_cadre(world.organ_a, name)
    response = as_user(world.head_a).get("/cadres/export.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [row[0] for row in ws.iter_rows(min_row=2) if row[0].value == name]
    assert len(cells) == 1
    assert cells[0].data_type == "s"


# --- list filters --------------------------------------------------------------------------


@pytest.fixture
def roster(world: Any, clock: Any) -> dict[str, Cadre]:
    today = clock.today
    return {
        "young": f.make_cadre(
            world.organ_a, "青年干部", birth_date=date(today.year - 30, 1, 1), rank="level1_clerk"
        ),
        "senior": f.make_cadre(
            world.town_a,
            "资深干部",
            birth_date=date(today.year - 55, 1, 1),
            rank="level2_researcher",
            is_leader=True,
            current_post_since=today - timedelta(days=365 * 9),
        ),
        "recent": f.make_cadre(
            world.organ_a,
            "新任干部",
            birth_date=date(1980, 1, 1),
            current_post_since=today - timedelta(days=200),
            rank="level2_researcher",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "干部"}, {"青年干部", "资深干部", "新任干部"}),
        ({"q": "资深"}, {"资深干部"}),
        ({"unit": "town"}, {"李乙", "资深干部"}),
        ({"rank": "level2_researcher"}, {"资深干部", "新任干部"}),
        ({"leader": "1"}, {"资深干部"}),
        ({"leader": "0", "q": "干部"}, {"青年干部", "新任干部"}),
        ({"age_min": "50"}, {"资深干部"}),
        ({"age_max": "31", "q": "干部"}, {"青年干部"}),
        ({"age_min": "29", "age_max": "31"}, {"青年干部"}),
        ({"years_min": "5"}, {"资深干部"}),
        ({"years_min": "0"}, {"资深干部", "新任干部"}),
    ],
)
def test_each_list_filter_works(
    world: Any, roster: Any, as_user: Any, query: dict[str, str], expected: set[str]
) -> None:
    if query.get("unit") == "town":
        query = {**query, "unit": str(world.town_a.pk)}
    response = as_user(world.head_a).get("/cadres/", query)
    assert response.status_code == 200
    assert names_in(response) == expected


def test_next_page_keeps_the_filter_and_shows_the_next_rows(world: Any, as_user: Any) -> None:
    """The one pager (cadre/templates/_pager.html): "下一页" replaces only `page` in the query
    string, so the second page is the next rows of the same filtered, sorted list."""
    for n in range(60):
        f.make_cadre(world.organ_a, f"翻页干部{n:02d}")
    f.make_cadre(world.organ_a, "不相干的人")
    client = as_user(world.head_a)
    first = client.get("/cadres/", {"q": "翻页", "sort": "name"})
    assert [c.name for c in first.context["page"]] == [f"翻页干部{n:02d}" for n in range(50)]
    [href] = re.findall(r'href="([^"]*)">下一页<', first.content.decode())
    assert href.startswith("?page=2") or "&amp;page=2" in href
    assert not href.startswith("??")
    second = client.get("/cadres/" + href.replace("&amp;", "&"))
    assert second.context["page"].number == 2
    assert [c.name for c in second.context["page"]] == [f"翻页干部{n:02d}" for n in range(50, 60)]
    assert "第 2 / 2 页，共 60 条" in second.content.decode()
    [back] = re.findall(r'href="([^"]*)">上一页<', second.content.decode())
    assert client.get("/cadres/" + back.replace("&amp;", "&")).context["page"].number == 1


def test_the_list_sorts(world: Any, roster: Any, as_user: Any) -> None:
    client = as_user(world.head_a)
    oldest_first = [
        c.name for c in client.get("/cadres/", {"sort": "birth_date", "q": "干部"}).context["page"]
    ]
    assert oldest_first == ["资深干部", "新任干部", "青年干部"]
    youngest_first = [
        c.name for c in client.get("/cadres/", {"sort": "-birth_date", "q": "干部"}).context["page"]
    ]
    assert youngest_first == list(reversed(oldest_first))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"age_min": "abc"}, "输入整数"),
        ({"age_min": "60", "age_max": "30"}, "年龄下限不能大于上限"),
        ({"rank": "general"}, "选择一个有效的选项"),
        ({"sort": "password"}, "选择一个有效的选项"),
        ({"unit": "-1"}, "确保该值大于或等于1"),
        ({"years_min": "999"}, "确保该值小于或等于50"),
        ({"q": "x" * 31}, "30"),
    ],
)
def test_bad_filter_values_get_a_chinese_message_not_a_500(
    world: Any, roster: Any, as_user: Any, query: dict[str, str], message: str
) -> None:
    response = as_user(world.head_a).get("/cadres/", query)
    assert response.status_code == 200
    body = response.content.decode()
    assert "查询条件有误" in body
    assert message in body
    assert names_in(response) == set()


def test_the_htmx_list_request_gets_only_the_table(world: Any, as_user: Any) -> None:
    response = as_user(world.head_a).get("/cadres/", {"q": "王"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "王甲" in body
    assert "赵丙" not in body


# --- unit tree and home page ---------------------------------------------------------------


def test_the_unit_tree_starts_at_the_users_scope(world: Any, as_user: Any) -> None:
    head = as_user(world.head_a).get("/units/")
    assert [u.name for u in head.context["units"]] == ["东湖县"]
    city = as_user(world.city_admin).get("/units/")
    assert [u.name for u in city.context["units"]] == ["示范市"]


def test_the_children_partial_is_scoped(world: Any, as_user: Any) -> None:
    client = as_user(world.head_a)
    inside = client.get(f"/units/{world.county_a.pk}/children/", HTTP_HX_REQUEST="true")
    assert {u.name for u in inside.context["units"]} == {"东湖县财政局", "东湖县青石镇"}
    outside = client.get(f"/units/{world.county_b.pk}/children/", HTTP_HX_REQUEST="true")
    assert outside.status_code == 404
    parent = client.get(f"/units/{world.city.pk}/children/", HTTP_HX_REQUEST="true")
    assert parent.status_code == 404
    assert AuditEvent.objects.filter(action="authz_denied", object_type="orgs.orgunit").count() == 2


def test_the_unit_export_is_scoped_and_audited(world: Any, as_user: Any) -> None:
    response = as_user(world.head_a).get("/units/export.xlsx")
    assert {row[0] for row in xlsx_rows(response)} == {"东湖县", "东湖县财政局", "东湖县青石镇"}
    assert AuditEvent.objects.get(action="export").detail == {"rows": 3}


def test_the_home_page_counts_only_the_users_scope(world: Any, as_user: Any) -> None:
    head = as_user(world.head_a).get("/").context["figures"]
    city = as_user(world.city_admin).get("/").context["figures"]
    assert (head["total"], head["units"]) == (2, 3)
    assert (city["total"], city["units"]) == (3, 6)
    assert head["total"] != city["total"]
