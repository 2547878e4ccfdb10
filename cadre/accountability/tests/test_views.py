"""Pages: measures, inquiries, archive, statistics, notices; scope and the cadre's view."""

from datetime import date
from typing import Any

import openpyxl
import pytest
from django.test import Client

from cadre.accountability import services
from cadre.accountability.models import Notice, NoticeRead
from cadre.audit.models import AuditEvent
from cadre.supervision.tests.helpers import closed_case, measure, public_report


@pytest.fixture
def recorded(world: Any) -> dict[str, Any]:
    m = measure(world.city_admin, world.cadre_a, "admonishment", on=date(2025, 3, 10))
    inquiry = services.send_inquiry(
        by=world.city_admin,
        cadre=world.cadre_a,
        issuing_body="东湖县委组织部",
        questions="请说明",
        sent_on=date(2025, 9, 26),
    )
    return {"measure": m, "inquiry": inquiry}


def test_staff_pages_render(world: Any, recorded: dict, as_user: Any) -> None:
    client = as_user(world.city_admin)
    for url in [
        "/accountability/",
        "/accountability/measures/new/",
        "/accountability/inquiries/",
        "/accountability/inquiries/new/",
        "/accountability/statistics/",
        "/accountability/notices/",
        "/accountability/notices/new/",
        f"/accountability/measures/{recorded['measure'].pk}/",
        f"/accountability/inquiries/{recorded['inquiry'].pk}/",
        f"/accountability/archive/{world.cadre_a.pk}/",
        f"/cadres/{world.cadre_a.pk}/",
    ]:
        assert client.get(url).status_code == 200, url


def test_other_units_get_404(world: Any, recorded: dict, as_user: Any) -> None:
    from tests import factories as f

    other = as_user(f.make_user("org_b", role="org_admin", unit=world.county_b))
    for url in [
        f"/accountability/measures/{recorded['measure'].pk}/",
        f"/accountability/inquiries/{recorded['inquiry'].pk}/",
        f"/accountability/archive/{world.cadre_a.pk}/",
        f"/api/v1/accountability/measures/{recorded['measure'].pk}",
    ]:
        assert other.get(url).status_code == 404, url
    assert AuditEvent.objects.filter(action="authz_denied", actor_name="org_b").count() == 4


def test_a_unit_head_sees_no_measures(world: Any, recorded: dict, as_user: Any) -> None:
    client = as_user(world.head_a)
    assert client.get("/accountability/").status_code == 403
    assert client.get(f"/accountability/measures/{recorded['measure'].pk}/").status_code == 404
    page = client.get(f"/cadres/{world.cadre_a.pk}/").content.decode()
    assert "问责与处理措施" not in page
    assert "任用资格" not in page


def test_a_cadre_sees_their_own_decided_measures_and_never_pending_clues(
    world: Any, recorded: dict, as_user: Any
) -> None:
    public_report(world.organ_a, "王甲")  # a pending report about the cadre
    client = as_user(world.cadre_user)
    archive = client.get(f"/accountability/archive/{world.cadre_a.pk}/")
    page = archive.content.decode() + client.get(f"/cadres/{world.cadre_a.pk}/").content.decode()
    assert archive.status_code == 200
    assert "诫勉" in page
    assert "办事拖延" not in page  # the report's title
    assert client.get(f"/accountability/measures/{recorded['measure'].pk}/").status_code == 200
    assert client.get(f"/accountability/archive/{world.cadre_town.pk}/").status_code == 404
    assert client.get("/supervision/").status_code == 403


def test_the_cadre_answers_their_own_inquiry(world: Any, recorded: dict, as_user: Any) -> None:
    inquiry = recorded["inquiry"]
    response = as_user(world.cadre_user).post(
        f"/accountability/inquiries/{inquiry.pk}/reply/",
        {
            "reply_text": "情况如下",
            "replied_on": "2025-10-09",
            "signoff_name": "周正",
            "signoff_opinion": "属实",
            "signoff_on": "2025-10-09",
        },
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == "replied"


def test_a_measure_with_inconsistent_dates_is_refused_on_the_page(world: Any, as_user: Any) -> None:
    response = as_user(world.discipline_a).post(
        "/accountability/measures/new/",
        {
            "cadre": world.cadre_town.pk,
            "kind": "gov_demerit",
            "issuing_body": "县监委",
            "decided_on": "2025-05-01",
            "effective_on": "2025-05-03",
            "facts": "推诿",
            "article": "政务处分法第三十九条",
        },
    )
    assert response.status_code == 400
    assert "自作出之日起生效" in response.content.decode()


def test_statistics_by_kind_form_and_unit_with_export(world: Any, as_user: Any) -> None:
    measure(world.city_admin, world.cadre_a, "admonishment", on=date(2025, 3, 10))
    measure(world.city_admin, world.cadre_town, "talk_reminder", on=date(2025, 3, 10))
    measure(world.discipline_a, world.cadre_town, "gov_demerit", on=date(2025, 4, 1))
    measure(
        world.discipline_a, world.cadre_b, "referral", on=date(2025, 4, 1), referral_to="judicial"
    )
    client = as_user(world.discipline_a)  # county A only
    stats = client.get("/accountability/statistics/?year=2025").context["stats"]
    assert stats["total"] == 3
    assert [n for _, n, _ in stats["by_form"]] == [2, 1, 0, 0]
    export = client.get("/accountability/statistics/export.xlsx?year=2025")
    wb = openpyxl.load_workbook(__import__("io").BytesIO(export.content))
    assert wb.sheetnames == ["按措施种类", "四种形态", "按单位"]
    assert AuditEvent.objects.filter(action="export").count() == 1
    page = client.get("/accountability/statistics/").content.decode()
    assert 'id="chart-data"' in page
    assert "accountability/charts.js" in page


def test_notices_internal_with_read_tracking_and_public(
    world: Any, second_discipline: Any, as_user: Any
) -> None:
    case = closed_case(world.discipline_a, second_discipline, world.town_a, world.cadre_town)
    staff = as_user(world.discipline_a)
    missing_case = staff.post(
        "/accountability/notices/new/",
        {
            "org_unit": world.county_a.pk,
            "kind": "negative",
            "visibility": "internal",
            "title": "通报",
            "body": "李乙推诿",
            "targets": str(world.town_a.pk),
        },
    )
    assert missing_case.status_code == 400
    assert "已办结的案件" in missing_case.content.decode()
    staff.post(
        "/accountability/notices/new/",
        {
            "org_unit": world.county_a.pk,
            "kind": "negative",
            "visibility": "internal",
            "title": "关于李乙推诿扯皮问题的通报",
            "body": "青石镇李乙在办证中推诿扯皮。",
            "redact_names": "李乙",
            "targets": str(world.organ_a.pk),
            "case": case.pk,
        },
    )
    notice = Notice.objects.get()
    staff.post(f"/accountability/notices/{notice.pk}/publish/")
    notice.refresh_from_db()
    assert notice.published_body == "青石镇李某在办证中推诿扯皮。"
    reader = as_user(world.cadre_user)  # works in organ_a: a recipient
    assert "李某" in reader.get(f"/accountability/notices/{notice.pk}/").content.decode()
    assert NoticeRead.objects.filter(notice=notice).count() == 1
    assert as_user(world.head_b).get(f"/accountability/notices/{notice.pk}/").status_code == 404
    assert Client().get(f"/public/notices/{notice.pk}/").status_code == 404  # internal
    notice.visibility = "public"
    notice.save(update_fields=["visibility"])
    public = Client().get(f"/public/notices/{notice.pk}/")
    assert public.status_code == 200
    assert "李乙" not in public.content.decode()
    assert not public.cookies
