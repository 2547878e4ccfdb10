"""The rule settings page /settings/rules/ (org_admin at the root, or a superuser)."""

from typing import Any

import pytest

from cadre.audit.models import AuditEvent
from cadre.core.models import RuleSetting
from cadre.core.rulebook import RULES, Rule, rule_value
from tests import factories as f

KEY = "testing.deadline_days"


@pytest.fixture
def a_rule(monkeypatch: pytest.MonkeyPatch) -> Rule:
    rule = Rule(key=KEY, label="测试期限（天）", default=15, source="测试文件 第3条", tag="V3")
    monkeypatch.setitem(RULES, KEY, rule)
    return rule


def test_the_page_lists_every_rule_with_default_value_source_and_tag(
    world: Any, a_rule: Rule, as_user: Any
) -> None:
    response = as_user(world.city_admin).get("/settings/rules/")
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.rule.key == KEY)
    assert (row.default, row.current, row.tag_label, row.setting) == (
        "15",
        "15",
        "规范性文件",
        None,
    )
    body = response.content.decode()
    for text in ("测试期限（天）", "测试文件 第3条", KEY):
        assert text in body
    declared = {r.rule.key for r in response.context["rows"]}
    assert "targets.lagging_points" in declared or len(declared) > 1  # apps' rules discovered


def test_changing_a_value_is_validated_saved_and_audited(
    world: Any, a_rule: Rule, as_user: Any
) -> None:
    client = as_user(world.city_admin)
    response = client.post(
        "/settings/rules/", {"key": KEY, "value": "20", "note": "市委组织部2025年5号文"}
    )
    assert response.status_code == 302
    assert rule_value(KEY) == 20
    event = AuditEvent.objects.get(action="rule_changed")
    assert event.detail == {"key": KEY, "old": 15, "new": 20, "note": "市委组织部2025年5号文"}
    page = client.get("/settings/rules/")
    row = next(r for r in page.context["rows"] if r.rule.key == KEY)
    assert (row.current, row.setting.note) == ("20", "市委组织部2025年5号文")
    client.post("/settings/rules/", {"key": KEY, "value": "25", "note": "再次调整"})
    assert AuditEvent.objects.filter(action="rule_changed").latest("id").detail["old"] == 20


@pytest.mark.parametrize(
    ("value", "note", "message"),
    [
        ("二十", "依据", "不是合法的JSON"),
        ("2.5", "依据", "应为整数"),
        ("20", "", "请填写修改说明"),
        ("20", "x" * 201, "不能超过200个字"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_changes_nothing(
    world: Any, a_rule: Rule, as_user: Any, value: str, note: str, message: str
) -> None:
    response = as_user(world.city_admin).post(
        "/settings/rules/", {"key": KEY, "value": value, "note": note}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RuleSetting.objects.filter(key=KEY).exists()
    assert not AuditEvent.objects.filter(action="rule_changed").exists()


def test_an_unknown_key_is_refused(world: Any, as_user: Any) -> None:
    response = as_user(world.city_admin).post(
        "/settings/rules/", {"key": "no.such.rule", "value": "1", "note": "x"}
    )
    assert response.status_code == 400
    assert "没有这条规则" in response.content.decode()


@pytest.mark.parametrize("persona", ["head_a", "discipline_a", "auditor", "cadre_user"])
def test_other_roles_are_refused_and_audited(
    world: Any, a_rule: Rule, as_user: Any, persona: str
) -> None:
    client = as_user(getattr(world, persona))
    assert client.get("/settings/rules/").status_code == 403
    assert (
        client.post("/settings/rules/", {"key": KEY, "value": "1", "note": "x"}).status_code == 403
    )
    assert rule_value(KEY) == 15
    assert (
        AuditEvent.objects.filter(
            action="authz_denied", object_type="core.rulesetting", actor=getattr(world, persona)
        ).count()
        == 2
    )


def test_an_org_admin_below_the_root_is_refused(world: Any, a_rule: Rule, as_user: Any) -> None:
    county_admin = f.make_user("county_admin", role="org_admin", unit=world.county_a)
    assert as_user(county_admin).get("/settings/rules/").status_code == 403


def test_a_superuser_may_edit_rules(world: Any, a_rule: Rule, as_user: Any) -> None:
    boss = f.make_user("boss")
    boss.is_superuser = True
    boss.save()
    response = as_user(boss).post("/settings/rules/", {"key": KEY, "value": "30", "note": "依据"})
    assert response.status_code == 302
    assert rule_value(KEY) == 30


def test_the_nav_link_shows_only_to_those_who_may_edit(world: Any, as_user: Any) -> None:
    assert 'href="/settings/rules/"' in as_user(world.city_admin).get("/").content.decode()
    assert 'href="/settings/rules/"' not in as_user(world.head_a).get("/").content.decode()
