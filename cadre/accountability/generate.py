"""Synthetic 函询, measures of every kind, rectification, appeals and notices.

Reads the registry and the generated supervision data once and bulk-creates. Realistic
proportions (四种形态): about seven in ten measures are of the first form (提醒, 批评教育,
责令检查, 诫勉), about two in ten light sanctions and organizational adjustment, a few heavy
sanctions, and very few referrals; every kind occurs at least once. Influence periods come
from the same rules as the application. Deterministic for a seed.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from cadre.accountability import rules
from cadre.accountability.models import (
    Measure,
    MeasureAppeal,
    MeasureKind,
    MeasureStatus,
    Notice,
    Rectification,
    WrittenInquiry,
)
from cadre.cadres.models import Cadre, CadreStatus
from cadre.generator import AS_OF, rng_for
from cadre.orgs.models import OrgUnit
from cadre.supervision.models import Case, Clue
from cadre.workdays.services import UnknownYearError, add_working_days

BATCH = 2000
DAYS = 730
STANDALONE = [
    ("talk_reminder", 60),
    ("criticism_education", 20),
    ("ordered_self_inspection", 10),
    ("admonishment", 10),
]
FROM_CASES = [
    ("admonishment", 15),
    ("criticism_education", 8),
    ("ordered_self_inspection", 8),
    ("party_warning", 10),
    ("party_serious_warning", 6),
    ("gov_warning", 8),
    ("gov_demerit", 6),
    ("gov_major_demerit", 3),
    ("job_reassignment", 6),
    ("reassign_other_post", 3),
    ("suspension_for_inspection", 2),
    ("removal_from_party_post", 2),
    ("party_probation", 1),
    ("expulsion_from_party", 1),
    ("gov_grade_reduction", 1),
    ("gov_dismissal", 1),
    ("gov_expulsion", 1),
    ("ordered_resignation", 1),
    ("removal", 2),
    ("demotion", 1),
    ("referral", 2),
]
OUTCOMES = [("clarified", 55), ("reminder", 25), ("admonishment", 15), ("further_verification", 5)]
BODY = {
    rules.FIRST_FORM: "组织部",
    rules.ORG: "组织部",
    rules.PARTY: "纪委",
    rules.STATE: "监委",
    rules.REFERRAL: "监委",
}
ARTICLE = {
    rules.FIRST_FORM: "公务员法第五十七条",
    rules.ORG: "中国共产党组织处理规定(试行)第七条",
    rules.PARTY: "中国共产党纪律处分条例第一百二十一条",
    rules.STATE: "公职人员政务处分法第三十九条第一款第(二)项",
    rules.REFERRAL: "监察法第十一条",
}


def _pick(rng: Any, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _due(day: date, n: int) -> date:
    try:
        return add_working_days(day, n)
    except UnknownYearError:
        return day + timedelta(days=n * 7 // 5)


class _World:
    def __init__(self) -> None:
        self.cadres = {
            c[0]: c
            for c in Cadre.objects.filter(status=CadreStatus.ACTIVE).values_list(
                "id", "org_unit_id", "name"
            )
        }
        units = dict(OrgUnit.objects.values_list("id", "path"))
        names = dict(OrgUnit.objects.values_list("id", "name"))
        self.root_name = {
            uid: names[int(path.strip("/").split("/")[0])] for uid, path in units.items()
        }
        self.table = {k: r.default for k, r in rules.PERIOD_SETTINGS.items()}
        self.with_state: set[int] = set()


def generate(*, scale: str, seed: int, log: Callable[[str], None]) -> None:
    rng = rng_for(seed, "accountability")
    with transaction.atomic():
        world = _World()
        if not world.cadres:
            log("  没有干部数据，跳过")
            return
        inquiries, from_inquiries = _inquiries(rng, world)
        log(f"  函询 {len(inquiries):,} 件")
        measures = from_inquiries + _from_cases(rng, world)
        measures += _every_kind(rng, world, {m.kind for m in measures} | {"talk_reminder"})
        measures += _standalone(rng, world, measures)
        Measure.objects.bulk_create(measures, batch_size=BATCH)
        forms = [0, 0, 0, 0]
        for m in measures:
            forms[rules.FOUR_FORMS[m.kind] - 1] += 1
        log(
            f"  处理措施 {len(measures):,} 项（四种形态 {forms[0]}/{forms[1]}/{forms[2]}/"
            f"{forms[3]}）"
        )
        _rectifications(rng, measures)
        _appeals(rng, measures)
        log(f"  通报 {_notices(rng, world):,} 篇")


def _measure(rng: Any, world: _World, cadre_id: int, kind: str, on: date, **kw: Any) -> Measure:
    cat = rules.category(kind)
    _, unit_id, _ = world.cadres[cadre_id]
    years = rng.choice([1, 2]) if kind == "party_probation" else None
    if cat == rules.STATE:
        period = rules.state_period(kind, on)
        world.with_state.add(cadre_id)
    else:
        period = rules.settings_period(kind, on, world.table, years or 0)
    no_period = not period.open_ended and period.until is None
    expired = period.until is not None and period.until < AS_OF
    ended = (
        on + timedelta(days=rng.randint(20, 90))
        if period.open_ended
        and kind in ("suspension_for_inspection", "referral")
        and rng.random() < 0.7
        else None
    )
    status = (
        MeasureStatus.EXECUTED
        if no_period
        else (
            MeasureStatus.LIFTED
            if expired or (ended and ended <= AS_OF)
            else MeasureStatus.IN_FORCE
        )
    )
    return Measure(
        cadre_id=cadre_id,
        unit_at_decision_id=unit_id,
        kind=kind,
        issuing_body=world.root_name[unit_id] + BODY[cat],
        decided_on=on,
        effective_on=on,
        facts="工作中推诿扯皮、履职不力，造成不良影响",
        article=ARTICLE[cat],
        probation_years=years,
        referral_to="supervisory" if kind == "referral" else "",
        period_months=period.months,
        influence_until=period.until,
        open_ended=period.open_ended,
        period_basis=period.basis[:400],
        status=status,
        ended_on=min(ended, AS_OF) if ended and ended <= AS_OF else None,
        **kw,
    )


def _inquiries(rng: Any, world: _World) -> tuple[list[WrittenInquiry], list[Measure]]:
    clues = list(
        Clue.objects.filter(
            status="talk_or_inquiry",
            subject_cadre__isnull=False,
            subject_cadre_id__in=list(world.cadres),
        )
    )
    inquiries: list[WrittenInquiry] = []
    settled: list[tuple[WrittenInquiry, Clue, date]] = []  # with the clue and the closing day
    for clue in clues:
        if rng.random() > 0.6:
            continue  # a talk rather than a letter
        sent = min(clue.approved_on + timedelta(days=rng.randint(2, 8)), AS_OF)
        due = _due(sent, rules.INQUIRY_REPLY_WORKING_DAYS.default)
        q = WrittenInquiry(
            cadre_id=clue.subject_cadre_id,
            clue=clue,
            issuing_body=world.root_name[clue.handling_unit_id] + "纪委",
            questions=f"有反映你{clue.summary}，请如实说明。",
            sent_on=sent,
            due_on=due,
        )
        if due < AS_OF - timedelta(days=5) and rng.random() < 0.9:
            replied = due - timedelta(days=rng.randint(0, 5))
            q.status, q.replied_on, q.signoff_on = "replied", replied, replied
            q.reply_text, q.signoff_name = "关于有关问题的说明……", "党委书记"
            q.signoff_opinion = "已阅，情况属实"
            if replied < AS_OF - timedelta(days=10):
                q.status, q.outcome = "closed", _pick(rng, OUTCOMES)
                q.closed_on = closed = replied + timedelta(days=rng.randint(3, 10))
                q.outcome_note = rules.INQUIRY_OUTCOMES[q.outcome]
                settled.append((q, clue, closed))
        elif due < AS_OF:
            q.reminded_on, q.reminder_count = due + timedelta(days=3), 1
        inquiries.append(q)
    WrittenInquiry.objects.bulk_create(inquiries, batch_size=BATCH)
    measures = []
    for q, clue, closed in settled:
        kind = rules.OUTCOME_MEASURE.get(q.outcome)
        if kind:
            measures.append(_measure(rng, world, q.cadre_id, kind, closed, inquiry=q))
        clue.status = "pending" if q.outcome == "further_verification" else "closed"
        clue.concluded_on = closed if clue.status == "closed" else None
        clue.conclusion = f"函询处理：{rules.INQUIRY_OUTCOMES[q.outcome]}"
    Clue.objects.bulk_update(
        [clue for _, clue, _ in settled], ["status", "concluded_on", "conclusion"], batch_size=BATCH
    )
    return inquiries, measures


def _from_cases(rng: Any, world: _World) -> list[Measure]:
    cases = Case.objects.filter(
        status="closed",
        conclusion__in=["confirmed", "partly"],
        clue__subject_cadre_id__in=list(world.cadres),
    ).values_list("pk", "clue__subject_cadre_id", "closed_on")
    measures = []
    for case_id, cadre_id, closed in cases:
        kind = _pick(rng, FROM_CASES)
        if rules.category(kind) == rules.STATE and cadre_id in world.with_state:
            kind = "admonishment"  # one state sanction per cadre keeps periods simple
        on = min(closed + timedelta(days=rng.randint(5, 30)), AS_OF)
        measures.append(_measure(rng, world, cadre_id, kind, on, case_id=case_id))
    return measures


def _standalone(rng: Any, world: _World, so_far: list[Measure]) -> list[Measure]:
    """Reminders and 诫勉 outside cases: 2.5 per 100 cadres, and at least enough for the first
    form to be seven in ten of all measures (small scales, where every kind is topped up)."""
    ids = list(world.cadres)
    first = sum(rules.FOUR_FORMS[m.kind] == 1 for m in so_far)
    needed = int((0.7 * len(so_far) - first) / 0.3) + 1
    count = max(6, len(ids) * 25 // 1000, needed)
    return [
        _measure(
            rng,
            world,
            rng.choice(ids),
            _pick(rng, STANDALONE),
            AS_OF - timedelta(days=rng.randrange(DAYS)),
        )
        for _ in range(count)
    ]


def _every_kind(rng: Any, world: _World, seen: set[str]) -> list[Measure]:
    free = [c for c in world.cadres if c not in world.with_state]
    return [
        _measure(rng, world, rng.choice(free), kind, AS_OF - timedelta(days=rng.randrange(DAYS)))
        for kind in MeasureKind.values
        if kind not in seen
    ]


def _rectifications(rng: Any, measures: list[Measure]) -> None:
    rows = []
    for m in measures:
        if m.kind != "talk_reminder":
            continue
        due = m.decided_on + timedelta(days=30)
        done = due < AS_OF and rng.random() < 0.85
        rows.append(
            Rectification(
                measure=m,
                requirement="针对指出的问题制定整改措施，按期报告整改情况",
                due_on=due,
                status="done" if done else "open",
                done_on=due - timedelta(days=3) if done else None,
                result="已按要求整改" if done else "",
            )
        )
    Rectification.objects.bulk_create(rows, batch_size=BATCH)


def _appeals(rng: Any, measures: list[Measure]) -> None:
    rows = []
    for m in measures:
        if rules.category(m.kind) in (rules.STATE, rules.PARTY) and rng.random() < 0.08:
            filed = m.decided_on + timedelta(days=rng.randint(5, 25))
            if filed > AS_OF:
                continue
            decided = filed + timedelta(days=30)
            rows.append(
                MeasureAppeal(
                    measure=m,
                    kind="review",
                    filed_on=filed,
                    reasons="认为事实认定不清",
                    result="upheld" if decided <= AS_OF else "pending",
                    decided_on=decided if decided <= AS_OF else None,
                    decision_text="维持原决定" if decided <= AS_OF else "",
                )
            )
    MeasureAppeal.objects.bulk_create(rows, batch_size=BATCH)


def _notices(rng: Any, world: _World) -> int:
    cases = list(
        Case.objects.filter(status="closed", conclusion="confirmed")
        .select_related("clue")
        .order_by("pk")
    )
    chosen = rng.sample(cases, k=min(len(cases), max(1, len(cases) // 10))) if cases else []
    notices = []
    for case in chosen:
        name = case.clue.subject_name or "有关同志"
        public = rng.random() < 0.3
        text = (
            f"经查，{name}在工作中{case.clue.summary}，造成不良影响。现予通报，各单位要引以为戒。"
        )
        notices.append(
            Notice(
                org_unit_id=case.handling_unit_id,
                kind="negative",
                visibility="public" if public else "internal",
                title=f"关于{rules.mask_name(name)}{case.clue.summary}问题的通报",
                draft_body=text,
                redact_names=[name],
                published_body=rules.redact(text, [name]),
                case=case,
                status="published",
                published_on=min(case.closed_on + timedelta(days=20), AS_OF),
            )
        )
    Notice.objects.bulk_create(notices, batch_size=BATCH)
    through = Notice.target_units.through
    through.objects.bulk_create(
        [
            through(notice_id=n.pk, orgunit_id=n.org_unit_id)
            for n in notices
            if n.visibility == "internal"
        ],
        batch_size=BATCH,
    )
    return len(notices)
