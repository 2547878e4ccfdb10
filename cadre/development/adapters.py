"""Reads from apps built by others (accountability, assessments), if they are there.

Each function returns its answer and whether the source was available, so that callers
show "not available" rather than a silent "no block" or "no grade".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class Block:
    reason: str
    source: str
    until: date | None


def _module(name: str) -> ModuleType | None:
    try:
        return import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _blocks_of(answer: Any, aspect: str) -> list[Block]:
    part = _get(answer, aspect)
    if part is None:
        return []
    return [
        Block(str(_get(b, "reason") or ""), str(_get(b, "source") or ""),
              _date(_get(b, "until")))
        for b in (_get(part, "blocks") or [])
    ]


def eligibility_blocks(
    cadre_ids: Iterable[int], on: date, aspect: str
) -> tuple[dict[int, list[Block]], bool]:
    """Blocks from measures (影响期) for `aspect` ∈ promotion / rank_promotion /
    excellent_grade, from cadre.accountability.eligibility when it exists."""
    ids = list(cadre_ids)
    module = _module("cadre.accountability.eligibility")
    if module is None or not ids:
        return {}, module is not None
    many = getattr(module, "eligibility_many", None) or getattr(module, "bulk_eligibility", None)
    if many is not None:
        answers = many(ids, on)
        return {cid: _blocks_of(a, aspect) for cid, a in dict(answers).items()}, True
    single = getattr(module, "eligibility", None) or getattr(module, "cadre_eligibility", None)
    if single is None:
        return {}, False
    return {cid: _blocks_of(single(cid, on), aspect) for cid in ids}, True


def _model(app_label: str, names: Iterable[str]) -> Any:
    from django.apps import apps

    for name in names:
        try:
            return apps.get_model(app_label, name)
        except LookupError:
            continue
    return None


def annual_grades(
    cadre_ids: Iterable[int], years: Iterable[int]
) -> tuple[dict[int, dict[int, str]], bool]:
    """Final annual grades {cadre: {year: grade}} from the assessments app, if it exists."""
    ids, wanted = list(cadre_ids), list(years)
    module = _module("cadre.assessments.services")
    fn = getattr(module, "final_grades", None) if module else None
    if fn is None:
        return {}, False
    return fn(ids, wanted), True


def recent_measures(
    cadre_ids: Iterable[int], since: date, until: date
) -> list[tuple[int, date, str]]:
    """(cadre, date, label) of measures taking effect in the window, for triggered talks
    (read from accountability's Measure: counting measures only, if it has that verb)."""
    model = _model("accountability", ["Measure"])
    if model is None:
        return []
    qs = model.objects.all()
    qs = qs.counting() if hasattr(qs, "counting") else qs
    labels = dict(model._meta.get_field("kind").choices or [])
    ids = list(cadre_ids)
    found = []
    for start in range(0, len(ids), 5000):
        rows = qs.filter(cadre_id__in=ids[start:start + 5000], effective_on__gte=since,
                         effective_on__lte=until).values_list("cadre_id", "effective_on", "kind")
        found += [(cid, day, f"问责处理：{labels.get(kind, kind)}") for cid, day, kind in rows]
    return found


def recent_grades(
    cadre_ids: Iterable[int], since: date, until: date
) -> list[tuple[int, date, str]]:
    """(cadre, decided date, grade) of annual grades decided in the window."""
    module = _module("cadre.assessments.services")
    fn = getattr(module, "grades_decided_between", None) if module else None
    if fn is None:
        return []
    return list(fn(list(cadre_ids), since, until))
