"""Statistics by unit, kind of measure and the four forms (四种形态), set-based."""

from typing import Any

from django.db.models import Count

from cadre.accountability import rules
from cadre.accountability.models import MeasureKind


def measure_stats(qs: Any, year: int | None) -> dict[str, Any]:
    """`qs` is already scoped to the user. Revoked and superseded measures are not counted;
    exempted ones are counted apart (they keep their history but have no effect)."""
    base = qs.filter(decided_on__year=year) if year else qs
    labels = dict(MeasureKind.choices)
    kinds = dict(
        base.counting().values("kind").order_by().annotate(n=Count("id")).values_list("kind", "n")
    )
    exempted = base.filter(exempted=True).count()
    by_kind = [(labels[k], kinds.get(k, 0)) for k in MeasureKind.values]
    forms = dict.fromkeys(rules.FORM_LABELS, 0)
    for kind, n in kinds.items():
        forms[rules.FOUR_FORMS[kind]] += n
    units = list(
        base.counting()
        .values("unit_at_decision_id", "unit_at_decision__name")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n", "unit_at_decision__name")[:30]
    )
    total = sum(forms.values())
    return {
        "total": total,
        "exempted": exempted,
        "by_kind": by_kind,
        "by_form": [
            (rules.FORM_LABELS[f], n, round(100 * n / total, 1) if total else 0)
            for f, n in forms.items()
        ],
        "by_unit": [(u["unit_at_decision__name"], u["n"]) for u in units],
    }


def chart_data(stats: dict[str, Any]) -> dict[str, Any]:
    return {
        "kinds": {
            "labels": [k for k, n in stats["by_kind"] if n],
            "values": [n for _, n in stats["by_kind"] if n],
        },
        "forms": [{"name": name.split("：")[0], "value": n} for name, n, _ in stats["by_form"]],
        "units": {
            "labels": [u for u, _ in stats["by_unit"]],
            "values": [n for _, n in stats["by_unit"]],
        },
    }
