"""Synthetic 容错免责 applications at every step of the workflow.

About one in fifty eligible measures (诫勉, organizational handling, light sanctions) gets an
application; outcomes are half exempted, a fifth lightened and the rest refused, the refusals
mostly for a typical exclusion. Exempted measures are marked so that they stop counting.
Deterministic for a seed.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from cadre.accountability.models import Measure, MeasureStatus
from cadre.generator import AS_OF, rng_for
from cadre.tolerance import rules
from cadre.tolerance.models import ExemptionApplication, ExemptionFinding
from cadre.workdays.services import UnknownYearError, add_working_days

BATCH = 2000
ELIGIBLE = [
    "admonishment",
    "job_reassignment",
    "reassign_other_post",
    "party_warning",
    "gov_warning",
    "gov_demerit",
]


def _due(day: date, rule: Any) -> date:
    try:
        return add_working_days(day, rule.default)
    except UnknownYearError:
        return day + timedelta(days=rule.default * 7 // 5)


def generate(*, scale: str, seed: int, log: Callable[[str], None]) -> None:
    rng = rng_for(seed, "tolerance")
    with transaction.atomic():
        measures = list(
            Measure.objects.counting()
            .filter(kind__in=ELIGIBLE)
            .order_by("pk")
            .values_list("pk", "cadre_id", "decided_on")
        )
        chosen = rng.sample(measures, k=min(len(measures), max(2, len(measures) // 50)))
        apps, findings, exempted = [], [], []
        for measure_id, cadre_id, decided in chosen:
            app, rows, exempt = _application(rng, measure_id, cadre_id, decided)
            apps.append(app)
            findings.append(rows)
            if exempt:  # from the determination date, with status 已免责
                exempted.append(
                    Measure(
                        pk=measure_id,
                        exempted=True,
                        exempted_on=app.determined_on,
                        exemption_note="容错免责认定",
                        status=MeasureStatus.EXEMPTED,
                    )
                )
        ExemptionApplication.objects.bulk_create(apps, batch_size=BATCH)
        ExemptionFinding.objects.bulk_create(
            [f for app, rows in zip(apps, findings, strict=True) for f in _bind(app, rows)],
            batch_size=BATCH,
        )
        Measure.objects.bulk_update(
            exempted, ["exempted", "exempted_on", "exemption_note", "status"], batch_size=BATCH
        )
        log(f"  容错免责申请 {len(apps):,} 件，认定免责 {len(exempted):,} 件")


def _bind(app: ExemptionApplication, rows: list[ExemptionFinding]) -> list[ExemptionFinding]:
    for row in rows:
        row.application = app
    return rows


def _application(
    rng: Any, measure_id: int, cadre_id: int, decided: date
) -> tuple[ExemptionApplication, list[ExemptionFinding], bool]:
    applied = min(decided + timedelta(days=rng.randint(10, 40)), AS_OF)
    app = ExemptionApplication(
        cadre_id=cadre_id,
        applicant_kind=rng.choice(["self", "self", "unit"]),
        measure_id=measure_id,
        facts="推进改革试点中先行先试，未达到预期目标",
        distinction=rng.choice(list(rules.DISTINCTIONS)),
        applied_on=applied,
        verify_due_on=_due(applied, rules.VERIFY_DAYS),
    )
    steps = (AS_OF - applied).days // 15  # one step about every three weeks
    outcome = rng.choices(["exempted", "lightened", "refused"], [50, 20, 30])[0]
    ok = outcome != "refused" or rng.random() < 0.3
    rows = [
        ExemptionFinding(
            criterion=k,
            statement=f"关于“{v}”的说明",
            verified=(ok if k == "no_private_gain" else True) if steps else None,
        )
        for k, v in rules.CRITERIA.items()
    ]
    if outcome == "lightened":
        rows[2].verified = False if steps else None
    if steps >= 1:
        app.status, app.verified_on = "verified", app.verify_due_on
        app.verification_note = "经调阅材料、谈话核实"
        app.exclusions = [] if ok else ["private_gain"]
        app.determine_due_on = _due(app.verified_on, rules.DETERMINE_DAYS)
    if steps >= 2:
        determined = app.determine_due_on
        assert determined is not None  # set by step 1
        app.status, app.outcome = "determined", outcome
        app.org_outcome = app.discipline_outcome = outcome
        app.determined_on = determined
        app.outcome_reason = rules.OUTCOMES[outcome]
        app.feedback_due_on = _due(determined, rules.FEEDBACK_DAYS)
    if steps >= 3:
        app.status, app.fed_back_on = "fed_back", app.feedback_due_on
        app.feedback_text = f"认定结果：{rules.OUTCOMES[outcome]}"
    return app, rows, steps >= 2 and outcome == "exempted"
