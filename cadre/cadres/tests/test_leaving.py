"""登记离职/退休 (issue 11): the rule over plain values (公务员法 第八十九条 for 辞退; 开除 only as
an accountability measure), the cadre page action and `POST /api/v1/cadres/{id}/employment-end`
— scope (404), bad input (Chinese, nothing written), the status and its date shown after."""

import json
from datetime import date
from typing import Any

import pytest

from cadre.audit.models import AuditEvent
from cadre.cadres import rules, services
from cadre.cadres.models import Appointment, Cadre, RankRecord
from cadre.core.errors import Refused
from tests import factories as f

TODAY = date(2026, 12, 7)  # the autouse clock
JOINED = date(2008, 8, 1)  # tests.factories.make_cadre
API = "/api/v1"


# ---- the rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "on", "confirmed", "message"),
    [
        ("retired", TODAY, False, None),
        ("resigned", date(2026, 1, 5), False, None),  # 公务员法 第八十五条
        ("left", JOINED, False, None),
        ("deceased", date(2026, 12, 1), False, None),
        ("dismissed", date(2026, 12, 1), True, None),  # 第八十八条, 第八十九条 confirmed
        # 公务员法 第八十九条: none of its four situations may apply to a 辞退.
        ("dismissed", date(2026, 12, 1), False, "不属于不得辞退的情形"),
        # 开除 (政务处分法 第七条(六)) is an accountability measure, not a registry entry.
        ("expelled", date(2026, 12, 1), False, "开除须作为问责处理措施"),
        ("active", date(2026, 12, 1), False, "请选择离职情形"),
        ("", date(2026, 12, 1), False, "请选择离职情形"),
        ("retired", date(2026, 12, 8), False, "不能晚于今天"),
        ("retired", date(2008, 7, 31), False, "不能早于参加工作时间"),
    ],
)
def test_what_may_be_recorded_as_leaving(
    status: str, on: date, confirmed: bool, message: str | None
) -> None:
    def check() -> None:
        rules.check_leaving(status, on, today=TODAY, joined_work_on=JOINED, no_article_89=confirmed)

    if message is None:
        check()
        return
    with pytest.raises(Refused) as refused:
        check()
    assert message in refused.value.message


def test_a_refused_dismissal_names_every_situation_of_article_89() -> None:
    with pytest.raises(Refused) as refused:
        rules.check_leaving(
            "dismissed", TODAY, today=TODAY, joined_work_on=JOINED, no_article_89=False
        )
    assert refused.value.source == "公务员法 第八十九条"
    for words in ("因公致残", "医疗期", "孕期、产假、哺乳期", "其他不得辞退"):
        assert words in refused.value.message
    assert "开除" not in dict(rules.LEAVING_CHOICES).values()


# ---- the page -----------------------------------------------------------------------------


@pytest.fixture
def chief(world: Any) -> Cadre:
    """王甲: 局长 of 东湖县财政局 since 2019-03-01, 四级主任科员 since 2020."""
    cadre = world.cadre_a
    f.make_rank(cadre, "level4_principal_clerk", date(2020, 1, 1))
    services.refresh_current_post(cadre)
    cadre.refresh_from_db()
    assert cadre.current_title == "局长"
    return cadre


def _form(**overrides: Any) -> dict[str, Any]:
    data = {"status": "dismissed", "on": "2026-12-01", "basis": "东人社〔2026〕12号"}
    data.update(overrides)
    return data


def _unchanged(cadre: Cadre) -> bool:
    cadre.refresh_from_db()
    return (
        cadre.status == "active"
        and cadre.status_since is None
        and cadre.current_title == "局长"
        and Appointment.objects.filter(cadre=cadre, ended_on__isnull=True).count() == 1
        and RankRecord.objects.filter(cadre=cadre, ended_on__isnull=True).count() == 1
        and not AuditEvent.objects.filter(action="employment_ended").exists()
    )


def test_an_org_admin_records_a_dismissal_and_the_page_shows_it(
    world: Any, chief: Cadre, as_user: Any
) -> None:
    client = as_user(world.city_admin)
    page = client.get(f"/cadres/{chief.pk}/").content.decode()
    assert f"/cadres/{chief.pk}/leaving/" in page  # the action is offered
    form = client.get(f"/cadres/{chief.pk}/leaving/")
    assert form.status_code == 200
    body = form.content.decode()
    assert 'value="dismissed"' in body
    assert 'value="retired"' in body
    assert 'value="expelled"' not in body  # 开除 only through an accountability measure
    assert "第八十九条" in body

    response = client.post(f"/cadres/{chief.pk}/leaving/", _form(no_article_89="on"))
    assert response.status_code == 302
    chief.refresh_from_db()
    assert (chief.status, chief.status_since) == ("dismissed", date(2026, 12, 1))
    assert (chief.current_title, chief.current_post_since, chief.is_leader, chief.rank) == (
        "",
        None,
        False,
        "",
    )
    assert Appointment.objects.get(cadre=chief).ended_on == date(2026, 12, 1)
    assert RankRecord.objects.get(cadre=chief).ended_on == date(2026, 12, 1)
    event = AuditEvent.objects.get(action="employment_ended")
    assert event.actor == world.city_admin
    assert event.detail["basis"] == "东人社〔2026〕12号"
    assert "第八十九条" in event.detail["confirmed"]

    page = client.get(f"/cadres/{chief.pk}/").content.decode()
    assert "辞退（2026-12-01）" in page
    assert "局长</small>" not in page  # no current post beside the name
    assert f"/cadres/{chief.pk}/leaving/" not in page  # nothing left to end


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_form(), "不属于不得辞退的情形"),  # 辞退 without the 第八十九条 confirmation
        (_form(status="expelled"), "选择一个有效的选项"),
        (_form(status=""), "这个字段是必填项"),
        (_form(status="retired", on="2099-12-31"), "不能晚于今天"),
        (_form(status="retired", on="2026-02-30"), "输入一个有效的日期"),
        (_form(status="retired", on="2019-02-28"), "不能早于任职记录的起始日期"),
        (_form(status="retired", basis="   "), "这个字段是必填项"),
        (_form(status="retired", basis="文" * 201), "200"),
    ],
)
def test_bad_input_on_the_page_gets_a_chinese_message_and_writes_nothing(
    world: Any, chief: Cadre, as_user: Any, data: dict[str, Any], message: str
) -> None:
    response = as_user(world.city_admin).post(f"/cadres/{chief.pk}/leaving/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _unchanged(chief)


def test_only_an_org_admin_with_write_scope_may_record_leaving(
    world: Any, chief: Cadre, as_user: Any
) -> None:
    admin_b = f.make_user("admin_b", role="org_admin", unit=world.county_b)
    for user in (admin_b, world.head_a, world.discipline_a, world.auditor, world.cadre_user):
        client = as_user(user)
        assert client.get(f"/cadres/{chief.pk}/leaving/").status_code == 404
        response = client.post(
            f"/cadres/{chief.pk}/leaving/", _form(status="retired", no_article_89="on")
        )
        assert response.status_code == 404, user
    assert "/leaving/" not in as_user(world.head_a).get(f"/cadres/{chief.pk}/").content.decode()
    assert _unchanged(chief)


def test_a_cadre_no_longer_employed_cannot_leave_again(
    world: Any, chief: Cadre, as_user: Any
) -> None:
    client = as_user(world.city_admin)
    assert client.post(f"/cadres/{chief.pk}/leaving/", _form(status="retired")).status_code == 302
    again = client.post(f"/cadres/{chief.pk}/leaving/", _form(status="resigned"))
    assert again.status_code == 400
    assert "已不在职（退休）" in again.content.decode()
    chief.refresh_from_db()
    assert chief.status == "retired"


# ---- the API ------------------------------------------------------------------------------


def _post(client: Any, cadre: Cadre, **payload: Any) -> Any:
    data = {"status": "retired", "on": "2026-11-30", "basis": "东人社〔2026〕9号"}
    data.update(payload)
    return client.post(
        f"{API}/cadres/{cadre.pk}/employment-end",
        data=json.dumps(data),
        content_type="application/json",
    )


def test_the_api_records_a_retirement_and_answers_the_new_status(
    world: Any, chief: Cadre, as_user: Any
) -> None:
    response = _post(as_user(world.city_admin), chief)
    assert response.status_code == 200, response.content
    data = json.loads(response.content)
    assert (data["id"], data["status"], data["status_label"], data["status_since"]) == (
        chief.pk,
        "retired",
        "退休",
        "2026-11-30",
    )
    assert (data["current_title"], data["is_leader"], data["rank"]) == ("", False, "")
    assert not Appointment.objects.filter(cadre=chief, ended_on__isnull=True).exists()


def test_the_api_records_a_confirmed_dismissal(world: Any, chief: Cadre, as_user: Any) -> None:
    response = _post(as_user(world.city_admin), chief, status="dismissed", no_article_89=True)
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["status"] == "dismissed"


def test_the_api_is_404_out_of_scope_or_without_write_scope(
    world: Any, chief: Cadre, as_user: Any
) -> None:
    admin_b = f.make_user("admin_b", role="org_admin", unit=world.county_b)
    for user in (admin_b, world.head_a, world.cadre_user):
        response = _post(as_user(user), chief)
        assert response.status_code == 404
        assert json.loads(response.content) == {"detail": "未找到该记录", "code": "not_found"}
    assert _unchanged(chief)
    assert _post(as_user(world.city_admin), world.cadre_b).status_code == 200  # city scope


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"status": "dismissed"}, "第八十九条"),
        ({"status": "dismissed", "no_article_89": False}, "不属于不得辞退的情形"),
        ({"status": "expelled"}, "开除须作为问责处理措施"),
        ({"status": "fired"}, "请选择离职情形"),
        ({"on": "2099-12-31"}, "不能晚于今天"),
        ({"on": "2019-02-28"}, "不能早于任职记录的起始日期"),
        ({"basis": "   "}, "请填写依据"),
        ({"on": "2026-13-01"}, ""),
        ({"basis": ""}, ""),
        ({"extra": 1}, ""),
    ],
)
def test_bad_api_input_is_400_in_chinese_and_writes_nothing(
    world: Any, chief: Cadre, as_user: Any, payload: dict[str, Any], message: str
) -> None:
    response = _post(as_user(world.city_admin), chief, **payload)
    assert response.status_code == 400, response.content
    detail = json.loads(response.content)["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(detail))
    assert message in detail
    assert _unchanged(chief)
