"""Inputs other apps feed into the quarter grade proposal, without worklogs importing them.

An app may define `cadre/<app>/grade_inputs.py` with either or both of (set-based: one
call for all cadres of a quarter, never a query per cadre):

    def task_progress(cadre_ids: list[int], start: date, end: date) -> dict[int, Decimal]
        # 0–100 per cadre; a cadre left out has no tasks: "not available", not zero
    def inspection_findings(cadre_ids: list[int], start: date, end: date) -> dict[int, int]
        # findings of special inspections (专项督查) against the cadre in the period

While no app provides an input, every cadre gets "not available" for it.
"""

from datetime import date
from decimal import Decimal
from importlib import import_module
from types import ModuleType

from django.apps import apps


def _modules() -> list[ModuleType]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cadre.") or config.name == "cadre.worklogs":
            continue
        try:
            found.append(import_module(f"{config.name}.grade_inputs"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.grade_inputs":
                raise
    return found


def task_progress(cadre_ids: list[int], start: date, end: date) -> dict[int, Decimal] | None:
    """None when no app provides task progress at all."""
    providers = [m.task_progress for m in _modules() if hasattr(m, "task_progress")]
    if not providers:
        return None
    merged: dict[int, Decimal] = {}
    for provide in providers:
        merged.update(provide(cadre_ids, start, end))
    return merged


def inspection_findings(cadre_ids: list[int], start: date, end: date) -> dict[int, int] | None:
    providers = [m.inspection_findings for m in _modules() if hasattr(m, "inspection_findings")]
    if not providers:
        return None
    merged: dict[int, int] = dict.fromkeys(cadre_ids, 0)
    for provide in providers:
        for cadre_id, n in provide(cadre_ids, start, end).items():
            merged[cadre_id] = merged.get(cadre_id, 0) + n
    return merged
