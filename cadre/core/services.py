"""Writers of core records: rule settings."""

from typing import Any

from django.db import transaction

from cadre.core.models import RuleSetting
from cadre.core.providers import record_event
from cadre.core.rulebook import RuleValueError, discover_rules, parse_rule_value

NOTE_MAX = 200


@transaction.atomic
def set_rule_value(*, by: Any, key: str, text: str, note: str, request: Any = None) -> RuleSetting:
    """Overrides a rule's value (validated against its default's type), audited old → new."""
    rule = discover_rules().get(key)
    if rule is None:
        raise RuleValueError("没有这条规则")
    note = (note or "").strip()
    if not note:
        raise RuleValueError("请填写修改说明（依据的文件或会议纪要）")
    if len(note) > NOTE_MAX:
        raise RuleValueError(f"修改说明不能超过{NOTE_MAX}个字")
    value = parse_rule_value(rule, text)
    setting = RuleSetting.objects.select_for_update().filter(key=key).first()
    old = rule.default if setting is None else setting.value
    if setting is None:
        setting = RuleSetting.objects.create(key=key, value=value, note=note)
    else:
        setting.value, setting.note = value, note
        setting.save(update_fields=["value", "note", "updated_at"])
    record_event(
        actor=by,
        action="rule_changed",
        obj=setting,
        request=request,
        detail={"key": key, "old": old, "new": value, "note": note},
    )
    return setting
