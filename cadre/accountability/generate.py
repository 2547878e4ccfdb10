"""Synthetic 函询, measures of every kind, rectification, appeals and notices.

Reads the registry and the generated supervision data once and bulk-creates. Realistic
proportions (四种形态): about seven in ten measures are of the first form (提醒, 批评教育,
责令检查, 诫勉), about two in ten light sanctions and organizational adjustment, a few heavy
sanctions, and very few referrals; every kind occurs at least once. Influence periods come
from the same rules as the application. Deterministic for a seed.

Measures that change the registry (`rules.REGISTRY_EFFECTS`: 免职, 责令辞职, 降职, 撤职, 调整职务,
改任, 开除) go only to cadres whose records allow the change (one such measure per cadre,
effective after their open records began; for a change of post, a leading post to end and,
for 降职/撤职, a rank to lower), and their effect is written set-based, as `record_measure`
would write it: the posts end that day (降职, 撤职, 调整职务, 改任: a non-leading post of the
same unit starts that day), 降职/撤职 lower the rank one step, 开除 ends every record and sets
the status; the current post columns follow.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max

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
from cadre.cadres import rules as registry_rules
from cadre.cadres.models import (
    Appointment,
    Cadre,
    CadreStatus,
    Rank,
    RankRecord,
    TeamMembership,
)
from cadre.generator import AS_OF, rng_for
from cadre.orgs.models import OrgUnit, Position
from cadre.supervision.models import Case, Clue
from cadre.workdays.services import UnknownYearError, add_working_days

BATCH = 2000
CHUNK = 500  # cadre ids per IN (...) list
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
ENDS_EMPLOYMENT = frozenset(k for k, e in rules.REGISTRY_EFFECTS.items() if e.status)
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
        rows = list(
            Cadre.objects.filter(status=CadreStatus.ACTIVE).values_list(
                "id", "org_unit_id", "name", "rank"
            )
        )
        self.cadres = {c[0]: c[:3] for c in rows}
        self.rank = {c[0]: c[3] for c in rows}
        self._registry()
        units = dict(OrgUnit.objects.values_list("id", "path"))
        names = dict(OrgUnit.objects.values_list("id", "name"))
        self.root_name = {
            uid: names[int(path.strip("/").split("/")[0])] for uid, path in units.items()
        }
        self.table = {k: r.default for k, r in rules.PERIOD_SETTINGS.items()}
        self.with_state: set[int] = set()
        self.with_effect: set[int] = set()  # cadres given a measure that changes the registry

    def _registry(self) -> None:
        """What the registry effects need, for every active cadre at once: the unit of an
        open primary leading post, the last day an open record began, and per unit its first
        non-leading post (降职, 撤职, 调整职务 and 改任 move there)."""
        active = {"cadre__status": CadreStatus.ACTIVE, "ended_on__isnull": True}
        self.leading_unit: dict[int, int] = {}
        self.latest: dict[int, date] = {}
        for cadre_id, primary, leading, unit_id, started in Appointment.objects.filter(
            **active
        ).values_list(
            "cadre_id",
            "is_primary",
            "position__is_leadership",
            "position__org_unit_id",
            "started_on",
        ):
            if primary and leading:
                self.leading_unit[cadre_id] = unit_id
            self.latest[cadre_id] = max(started, self.latest.get(cadre_id, started))
        for model in (RankRecord, TeamMembership):
            for cadre_id, started in (
                model.objects.filter(**active)
                .values("cadre_id")
                .annotate(last=Max("started_on"))
                .values_list("cadre_id", "last")
            ):
                self.latest[cadre_id] = max(started, self.latest.get(cadre_id, started))
        self.staff_post: dict[int, int] = {}
        for unit_id, position_id in (
            Position.objects.filter(is_leadership=False, abolished_on__isnull=True)
            .order_by("-id")
            .values_list("org_unit_id", "id")
        ):
            self.staff_post[unit_id] = position_id  # the lowest id wins

    def fits(self, cadre_id: int, kind: str) -> bool:
        """Whether a measure of `kind` can take its registry effect on this cadre (see the
        module's docstring); always, for a kind without one."""
        effect = rules.REGISTRY_EFFECTS.get(kind)
        if effect is None:
            return True
        if cadre_id in self.with_effect or self.latest.get(cadre_id, date.min) >= AS_OF:
            return False
        if effect.status:
            return True
        spec = registry_rules.POST_EFFECTS[effect.effect]
        unit_id = self.leading_unit.get(cadre_id)
        if unit_id is None:
            return False  # every change of post here ends a leading post
        if spec.may_start and unit_id not in self.staff_post:
            return False  # 降职, 撤职, 调整职务, 改任 move to a non-leading post of the unit
        if spec.lowers_rank:
            rank = self.rank.get(cadre_id, "")
            return (
                rank in Rank.values
                and registry_rules.rank_one_step_lower(rank, Rank.values) is not None
            )
        return True


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
        changed = _registry_effects(world, measures)
        Measure.objects.bulk_create(measures, batch_size=BATCH)
        forms = [0, 0, 0, 0]
        for m in measures:
            forms[rules.FOUR_FORMS[m.kind] - 1] += 1
        log(
            f"  处理措施 {len(measures):,} 项（四种形态 {forms[0]}/{forms[1]}/{forms[2]}/"
            f"{forms[3]}），调整任职、职级或在职状态 {changed:,} 人"
        )
        _rectifications(rng, measures)
        _appeals(rng, measures)
        log(f"  通报 {_notices(rng, world):,} 篇")


def _measure(rng: Any, world: _World, cadre_id: int, kind: str, on: date, **kw: Any) -> Measure:
    cat = rules.category(kind)
    _, unit_id, _ = world.cadres[cadre_id]
    if kind in rules.REGISTRY_EFFECTS:  # effective after the records it ends began
        on = max(on, world.latest.get(cadre_id, on) + timedelta(days=1))
        world.with_effect.add(cadre_id)
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
        if not world.fits(cadre_id, kind):
            kind = "admonishment"  # no post or rank this measure could change
        on = min(closed + timedelta(days=rng.randint(5, 30)), AS_OF)
        measures.append(_measure(rng, world, cadre_id, kind, on, case_id=case_id))
    return measures


def _standalone(rng: Any, world: _World, so_far: list[Measure]) -> list[Measure]:
    """Reminders and 诫勉 outside cases: 2.5 per 100 cadres, and at least enough for the first
    form to be seven in ten of all measures (small scales, where every kind is topped up)."""
    expelled = {m.cadre_id for m in so_far if m.kind in ENDS_EMPLOYMENT}
    ids = [c for c in world.cadres if c not in expelled]
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
    made = []
    for kind in MeasureKind.values:
        if kind in seen:
            continue
        fitting = [c for c in free if world.fits(c, kind)] or free
        cadre_id = rng.choice(fitting)
        on = AS_OF - timedelta(days=rng.randrange(DAYS))
        made.append(_measure(rng, world, cadre_id, kind, on))
    return made


def _open_records(rows: Any, ids: list[int], **kw: Any) -> dict[int, list[Any]]:
    """The open records (of a manager or queryset) of these cadres, by cadre, oldest first;
    the ids go in chunks."""
    found: dict[int, list[Any]] = {}
    for i in range(0, len(ids), CHUNK):
        for row in (
            rows.filter(cadre_id__in=ids[i : i + CHUNK], ended_on__isnull=True, **kw)
            .order_by("cadre_id", "started_on", "pk")
            .iterator(chunk_size=BATCH)
        ):
            found.setdefault(row.cadre_id, []).append(row)
    return found


def _registry_effects(world: _World, measures: list[Measure]) -> int:
    """Writes the registry effect of the measures that have one (the first per cadre), as
    `record_measure` would, with a few set-based reads and bulk writes, and sets each such
    measure's `registry_effect` line. Returns the number of cadres changed."""
    chosen: dict[int, Measure] = {}
    for m in measures:
        if m.kind in rules.REGISTRY_EFFECTS:
            chosen.setdefault(m.cadre_id, m)
    if not chosen:
        return 0
    ids = sorted(chosen)
    appts = _open_records(Appointment.objects.select_related("position__org_unit"), ids)
    ranks = _open_records(RankRecord.objects, ids)
    members = _open_records(
        TeamMembership.objects, [c for c in ids if chosen[c].kind in ENDS_EMPLOYMENT]
    )
    targets = {c: world.staff_post.get(world.leading_unit.get(c, 0)) for c in ids}
    posts = Position.objects.select_related("org_unit").in_bulk(
        {p for p in targets.values() if p is not None}
    )
    ended: list[Any] = []
    new_appts: list[Appointment] = []
    new_ranks: list[RankRecord] = []
    for cadre_id in ids:
        m = chosen[cadre_id]
        effect, on = rules.REGISTRY_EFFECTS[m.kind], m.effective_on
        open_appts = [a for a in appts.get(cadre_id, []) if a.started_on <= on]
        open_ranks = [r for r in ranks.get(cadre_id, []) if r.started_on <= on]
        if effect.status:  # 开除: every record ends that day
            ended += open_appts + open_ranks
            ended += [t for t in members.get(cadre_id, []) if t.started_on <= on]
            names = "、".join(str(a.position) for a in open_appts)
            m.registry_effect = (
                f"{on.isoformat()}起{effect.label}：干部状态改为"
                f"“{CadreStatus(effect.status).label}”"
                + (f"，免去{names}职务" if names else "")
                + "，任职和职级记录同日终止"
            )[:500]
            continue
        spec = registry_rules.POST_EFFECTS[effect.effect]
        ending = [
            a
            for a in open_appts
            if a.is_primary and (a.position.is_leadership or not spec.ends_leading_only)
        ]
        ended += ending
        basis = f"{m.issuing_body}{m.decided_on:%Y-%m-%d}{effect.label}决定"
        new_post = posts.get(targets[cadre_id] or 0) if spec.may_start else None
        if new_post is not None and all(a.started_on < on for a in ending):
            new_appts.append(
                Appointment(
                    cadre_id=cadre_id,
                    position=new_post,
                    started_on=on,
                    how="appoint",
                    home_unit_id=new_post.org_unit_id,
                    is_primary=True,
                    note=basis[:200],
                )
            )
        else:
            new_post = None
        rank_from = open_ranks[-1].rank if spec.lowers_rank and open_ranks else ""
        rank_to = ""
        if rank_from in Rank.values:
            rank_to = registry_rules.rank_one_step_lower(rank_from, Rank.values) or ""
        if rank_to:
            ended += open_ranks
            new_ranks.append(
                RankRecord(cadre_id=cadre_id, rank=rank_to, started_on=on, basis=basis)
            )
        m.registry_effect = registry_rules.post_change_summary(
            ended=[str(a.position) for a in ending],
            started=str(new_post) if new_post is not None else "",
            rank_from=Rank(rank_from).label if rank_to else "",
            rank_to=Rank(rank_to).label if rank_to else "",
            on=on,
        )[:500]
    for row in ended:
        row.ended_on = chosen[row.cadre_id].effective_on
    for model in (Appointment, RankRecord, TeamMembership):
        rows = [r for r in ended if isinstance(r, model)]
        model.objects.bulk_update(rows, ["ended_on"], batch_size=BATCH)
    Appointment.objects.bulk_create(new_appts, batch_size=BATCH)
    RankRecord.objects.bulk_create(new_ranks, batch_size=BATCH)
    _current_posts(chosen)
    return len(chosen)


def _current_posts(chosen: dict[int, Measure]) -> None:
    """The changed cadres' denormalised current post and rank columns, from their records
    (as cadres.services does for one cadre): no current post where no primary appointment
    is open; 开除 sets the status and its day."""
    ids = sorted(chosen)
    current = {
        c: rows[-1]  # the latest started
        for c, rows in _open_records(
            Appointment.objects.select_related("position"), ids, is_primary=True
        ).items()
    }
    ranks = {c: rows[-1].rank for c, rows in _open_records(RankRecord.objects, ids).items()}
    cadres: list[Cadre] = []
    for i in range(0, len(ids), CHUNK):
        cadres += Cadre.objects.filter(pk__in=ids[i : i + CHUNK]).order_by("pk")
    for c in cadres:
        post = current.get(c.pk)
        if post is not None:
            c.org_unit_id = post.position.org_unit_id
            c.current_title, c.current_post_since = post.position.title, post.started_on
            c.is_leader = post.position.is_leadership
            c.leadership_level = post.position.leadership_level
        else:
            c.current_title, c.current_post_since = "", None
            c.is_leader, c.leadership_level = False, ""
        c.rank = ranks.get(c.pk, "")
        status = rules.REGISTRY_EFFECTS[chosen[c.pk].kind].status
        if status:
            c.status, c.status_since = status, chosen[c.pk].effective_on
    Cadre.objects.bulk_update(
        cadres,
        [
            "org_unit",
            "current_title",
            "current_post_since",
            "is_leader",
            "leadership_level",
            "rank",
            "status",
            "status_since",
        ],
        batch_size=BATCH,
    )


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
