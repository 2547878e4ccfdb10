"""What accountability tells the eligibility app (cadre/eligibility/), as the provider of its
contracts (registered in apps.py; docs/architecture.md):

    measure_facts(cadre_ids, on)         -> {cadre: [MeasureFact]}   (eligibility.measures)
    open_inquiries_since(cadre_ids, on)  -> {cadre: date}            (eligibility.open_inquiries)

The verdicts themselves (提拔, 优秀, 职级晋升 ...) are the eligibility app's one answer
(`cadre.cadres.decisions.answers`). Revoked and superseded measures have no effect; an exempted
one (容错免责) has none from its exemption date on, but still answers for the days before it (an
exemption never rewrites what eligibility was). One query per 2,000 cadres; scoping is the
caller's.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Q

from cadre.accountability import rules
from cadre.accountability.models import Measure, MeasureKind, MeasureStatus

_CHUNK = 20000  # one parameter per chunk (core.lookups.InIds)
_LABELS = dict(MeasureKind.choices)


def measure_facts(cadre_ids: list[int], on: date) -> dict[int, list[rules.MeasureFact]]:
    facts: dict[int, list[rules.MeasureFact]] = defaultdict(list)
    blocking = sorted(rules.BLOCKING_KINDS)
    for start in range(0, len(cadre_ids), _CHUNK):
        rows = (
            Measure.objects.filter(
                Q(exempted=False) | Q(exempted_on__gt=on),
                cadre_id__in_ids=set(cadre_ids[start : start + _CHUNK]),
                effective_on__lte=on,
                kind__in=blocking,
            )
            .exclude(status__in=[MeasureStatus.REVOKED, MeasureStatus.SUPERSEDED])
            .values_list(
                "cadre_id",
                "kind",
                "effective_on",
                "influence_until",
                "open_ended",
                "ended_on",
                "exempted",
                "exempted_on",
            )
        )
        for cadre_id, kind, eff, until, open_ended, ended, exempted, exempted_on in rows:
            facts[cadre_id].append(
                rules.MeasureFact(
                    kind=kind,
                    label=str(_LABELS.get(kind, kind)),
                    effective_on=eff,
                    until=until,
                    open_ended=open_ended,
                    ended_on=ended,
                    void_from=exempted_on if exempted else None,
                )
            )
    return facts


def open_inquiries_since(cadre_ids: Iterable[int], on: date) -> dict[int, date]:
    """{cadre: earliest sending date} of 函询 sent by `on` and not closed by then (provider of
    `eligibility.open_inquiries`)."""
    from cadre.accountability.models import WrittenInquiry

    ids = sorted(set(cadre_ids))
    found: dict[int, date] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = WrittenInquiry.objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=on),
            cadre_id__in_ids=set(ids[start : start + _CHUNK]),
            sent_on__lte=on,
        ).values_list("cadre_id", "sent_on")
        for cid, sent in rows:
            if cid not in found or sent < found[cid]:
                found[cid] = sent
    return found
