"""Start-up checks: declared deadlines resolve; next year's holiday schedule is known in time."""

from typing import Any

from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError
from django.utils import timezone

from cadre.workdays.deadlines import registered


@checks.register()
def deadlines_resolve(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for spec in registered():
        try:
            model = spec.model_class()
        except LookupError:
            errors.append(checks.Error(f"期限登记的模型 {spec.model} 不存在", id="workdays.E001"))
            continue
        for name in (spec.due, spec.flag, spec.start, *spec.notify):
            try:
                _resolve(model, name)
            except FieldDoesNotExist:
                errors.append(
                    checks.Error(
                        f"期限登记 {spec.model}.{spec.due} 的字段 {name} 不存在",
                        hint="期限字段旁应有布尔字段 <期限字段>_provisional",
                        id="workdays.E002",
                    )
                )
    return errors


def _resolve(model: Any, lookup: str) -> None:
    *path, last = lookup.split("__")
    for part in path:
        model = model._meta.get_field(part).related_model
    model._meta.get_field(last)


@checks.register()
def next_year_confirmed(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from cadre.workdays import services

    try:
        pending = services.unconfirmed_years_ahead(timezone.localdate())
    except DatabaseError:  # not migrated yet (first start): nothing to say
        return []
    return [
        checks.Warning(
            f"{year}年的节假日安排尚未确认，期限按法定节假日推定计算",
            hint="国务院办公厅通知发布后，请在“工作日历”页面录入并确认该年度（/workdays/）",
            id="workdays.W001",
        )
        for year in pending
    ]
