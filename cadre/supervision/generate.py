"""Synthetic reports, clues, cases and unannounced inspections over the last two years.

Set-based: reads the registry once, bulk-creates in batches. Proportions: about 6 reports
per 100 cadres over two years (most by the 12345 hotline, online and letters); 85% accepted;
clues disposed of mostly by 谈话函询 (抓早抓小), then 初步核实, 予以了结, 暂存待查; most cases
closed. Generated reports carry no receipt (their reporters are fictional). Deterministic
for a seed.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from cadre.cadres.models import Cadre, CadreStatus, TeamMembership, TeamRole
from cadre.generator import AS_OF, rng_for
from cadre.orgs.models import OrgUnit, UnitKind
from cadre.supervision import rules
from cadre.supervision.models import (
    Case,
    CaseFact,
    CaseNote,
    CaseSubject,
    Channel,
    Clue,
    ClueSource,
    Inspection,
    InspectionFinding,
    ProblemKind,
    Report,
    ReportMessage,
)
from cadre.workdays.services import UnknownYearError, add_working_days

BATCH = 2000
DAYS = 730
CHANNELS = [
    (Channel.HOTLINE, 25),
    (Channel.ONLINE, 25),
    (Channel.LETTER, 15),
    (Channel.VISIT, 10),
    (Channel.PHONE, 10),
    (Channel.MEDIA, 5),
    (Channel.AUDIT, 5),
    (Channel.INSPECTION, 5),
]
PROBLEMS = [
    (ProblemKind.INACTION, 30),
    (ProblemKind.NO_RESPONSIBILITY, 20),
    (ProblemKind.INCAPABLE, 10),
    (ProblemKind.OBSTRUCTION, 15),
    (ProblemKind.FORMALISM, 15),
    (ProblemKind.WORK_DISCIPLINE, 7),
    (ProblemKind.OTHER, 3),
]
DISPOSALS = [
    ("talk_or_inquiry", 50),
    ("preliminary_verification", 20),
    ("close", 20),
    ("shelve_pending", 10),
]
TITLES = {
    ProblemKind.INACTION: ["办事一拖再拖", "群众诉求长期不办", "承诺事项迟迟不落实"],
    ProblemKind.NO_RESPONSIBILITY: ["多个科室相互推诿", "遇事不担责推给上级"],
    ProblemKind.INCAPABLE: ["业务不熟反复退件", "项目推进严重滞后"],
    ProblemKind.OBSTRUCTION: ["审批卡在中间环节", "要求提供无关证明材料"],
    ProblemKind.FORMALISM: ["层层填表留痕", "会议多落实少"],
    ProblemKind.WORK_DISCIPLINE: ["上班时间脱岗", "窗口人员玩手机"],
    ProblemKind.OTHER: ["其他作风问题"],
}


def _pick(rng: Any, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _due(day: date, n: int) -> date:
    try:
        return add_working_days(day, n)
    except UnknownYearError:
        return day + timedelta(days=n * 7 // 5)


def generate(*, scale: str, seed: int, log: Callable[[str], None]) -> None:
    rng = rng_for(seed, "supervision")
    with transaction.atomic():
        cadres = list(
            Cadre.objects.filter(status=CadreStatus.ACTIVE).values_list("id", "org_unit_id", "name")
        )
        if not cadres:
            log("  没有干部数据，跳过")
            return
        units = {
            u[0]: u for u in OrgUnit.objects.values_list("id", "parent_id", "name", "kind", "path")
        }
        heads = set(
            TeamMembership.objects.filter(role=TeamRole.HEAD, ended_on__isnull=True).values_list(
                "cadre_id", flat=True
            )
        )
        reports = _reports(rng, cadres, units, heads)
        log(f"  举报 {len(reports):,} 件")
        clues = _clues_from_reports(rng, reports)
        clues += _inspections(rng, cadres, units, heads)
        log(f"  问题线索 {len(clues):,} 条（含明察暗访发现）")
        cases = _dispose(rng, clues)
        log(f"  初步核实案件 {cases:,} 件")


def _route(unit_id: int, parent_id: int | None, about_head: bool, about_unit: bool) -> int:
    return rules.handling_unit_id(
        subject_unit_id=unit_id,
        subject_unit_parent_id=parent_id,
        about_main_leader=about_head,
        about_unit=about_unit,
    )


def _reports(rng: Any, cadres: list[tuple], units: dict, heads: set[int]) -> list[Report]:
    count = max(8, len(cadres) * 6 // 100)
    accept_days = rules.REPORT_ACCEPT_DAYS.default
    rows = []
    for _ in range(count):
        received = AS_OF - timedelta(days=rng.randrange(DAYS))
        cadre_id, unit_id, name = rng.choice(cadres)
        about_unit = rng.random() < 0.15
        kind = _pick(rng, PROBLEMS)
        age = (AS_OF - received).days
        status = "new" if age < 10 else ("rejected" if rng.random() < 0.1 else "accepted")
        rows.append(
            Report(
                channel=_pick(rng, CHANNELS),
                is_anonymous=rng.random() < 0.7,
                subject_kind="unit" if about_unit else "cadre",
                subject_name="" if about_unit else name,
                subject_unit_id=unit_id,
                subject_cadre_id=None if about_unit else cadre_id,
                handling_unit_id=_route(
                    unit_id, units[unit_id][1], cadre_id in heads and not about_unit, about_unit
                ),
                problem_kind=kind,
                title=rng.choice(TITLES[kind]),
                body=f"反映{units[unit_id][2]}{'' if about_unit else name}"
                f"{rng.choice(TITLES[kind])}，"
                "群众意见较大，请求调查处理。",
                received_on=received,
                accept_due_on=received + timedelta(days=accept_days),
                status=status,
                result_text="反映问题不属于受理范围，已告知向有关部门反映。"
                if status == "rejected"
                else "",
                closed_on=received + timedelta(days=10) if status == "rejected" else None,
            )
        )
    rows.sort(key=lambda r: r.received_on)
    Report.objects.bulk_create(rows, batch_size=BATCH)
    messages = [
        ReportMessage(
            report=r,
            direction="out",
            body="您反映的问题已受理，正在办理。",
            sent_on=r.received_on + timedelta(days=7),
        )
        for r in rows
        if r.status == "accepted" and not r.is_anonymous
    ]
    ReportMessage.objects.bulk_create(messages, batch_size=BATCH)
    return rows


def _clues_from_reports(rng: Any, reports: list[Report]) -> list[Clue]:
    days = rules.CLUE_DISPOSAL_WORKING_DAYS.default
    clues = []
    for r in reports:
        if r.status != "accepted":
            continue
        received = r.received_on + timedelta(days=rng.randint(1, 10))
        clues.append(
            Clue(
                source=ClueSource.REPORT,
                report=r,
                subject_cadre_id=r.subject_cadre_id,
                subject_name=r.subject_name,
                subject_unit_id=r.subject_unit_id,
                handling_unit_id=r.handling_unit_id,
                problem_kind=r.problem_kind,
                summary=r.title,
                received_on=min(received, AS_OF),
                due_on=_due(received, days),
                due_from=received,
            )
        )
    Clue.objects.bulk_create(clues, batch_size=BATCH)
    return clues


def _inspections(rng: Any, cadres: list[tuple], units: dict, heads: set[int]) -> list[Clue]:
    roots = [
        u for u in units.values() if u[3] in (UnitKind.COUNTY, UnitKind.CITY, UnitKind.PROVINCE)
    ]
    root_ids = {u[0] for u in roots}
    under: dict[int, list[tuple]] = {}
    for c in cadres:
        for anc in units[c[1]][4].strip("/").split("/"):
            if int(anc) in root_ids:
                under.setdefault(int(anc), []).append(c)
    count = max(2, len(cadres) // 250)
    inspections = [
        Inspection(
            org_unit_id=rng.choice(roots)[0],
            title=rng.choice(
                [
                    "机关作风暗访",
                    "窗口单位明察暗访",
                    "“最多跑一次”落实情况暗访",
                    "中梗阻问题专项检查",
                ]
            ),
            mode=rng.choice(["open", "covert", "covert"]),
            conducted_on=AS_OF - timedelta(days=rng.randrange(DAYS)),
            team="县纪委、县委组织部",
        )
        for _ in range(count)
    ]
    Inspection.objects.bulk_create(inspections, batch_size=BATCH)
    findings, clues = [], []
    for insp in inspections:
        inside = under.get(insp.org_unit_id) or cadres
        for _ in range(rng.randint(3, 5)):
            cadre_id, unit_id, name = rng.choice(inside)
            kind = _pick(rng, PROBLEMS)
            clue = None
            if rng.random() < 0.6:
                clue = Clue(
                    source=ClueSource.INSPECTION,
                    subject_cadre_id=cadre_id,
                    subject_name=name,
                    subject_unit_id=unit_id,
                    handling_unit_id=insp.org_unit_id,
                    problem_kind=kind,
                    summary=f"{insp.title}发现：{rng.choice(TITLES[kind])}",
                    received_on=insp.conducted_on,
                    due_on=_due(insp.conducted_on, 15),
                    due_from=insp.conducted_on,
                )
                clues.append(clue)
            findings.append((insp, unit_id, cadre_id, name, kind, clue))
    Clue.objects.bulk_create(clues, batch_size=BATCH)
    InspectionFinding.objects.bulk_create(
        [
            InspectionFinding(
                inspection=i,
                subject_unit_id=u,
                subject_cadre_id=c,
                subject_name=n,
                problem_kind=k,
                description=rng.choice(TITLES[k]),
                clue=cl,
            )
            for i, u, c, n, k, cl in findings
        ],
        batch_size=BATCH,
    )
    return clues


def _dispose(rng: Any, clues: list[Clue]) -> int:
    """Disposes of the clues older than their due date; opens and closes cases."""
    updated, cases = [], []
    for clue in clues:
        if (AS_OF - clue.received_on).days < 20:
            continue  # recent ones still wait in the inbox
        disposal = _pick(rng, DISPOSALS)
        clue.disposal = disposal
        clue.disposal_reason = "经集体排查，按程序处置"
        clue.approval_level = "department"
        clue.proposed_on = clue.received_on + timedelta(days=rng.randint(3, 12))
        clue.approved_on = clue.proposed_on + timedelta(days=rng.randint(1, 5))
        clue.status = rules.DISPOSAL_TARGET[disposal]
        if disposal == "close":
            clue.concluded_on, clue.conclusion = clue.approved_on, "反映问题不实或已整改，予以了结"
        updated.append(clue)
        if disposal == "preliminary_verification":
            cases.append(_case(rng, clue))
    Clue.objects.bulk_update(
        updated,
        [
            "disposal",
            "disposal_reason",
            "approval_level",
            "proposed_on",
            "approved_on",
            "status",
            "concluded_on",
            "conclusion",
        ],
        batch_size=BATCH,
    )
    Case.objects.bulk_create([c for c, _ in cases], batch_size=BATCH)
    closed_clues = [clue for (case, clue) in cases if case.status == "closed"]
    for case, clue in cases:
        if case.status == "closed":
            clue.status, clue.concluded_on = "closed", case.closed_on
            clue.conclusion = case.conclusion_text
    Clue.objects.bulk_update(
        closed_clues, ["status", "concluded_on", "conclusion"], batch_size=BATCH
    )
    CaseSubject.objects.bulk_create(
        [
            CaseSubject(
                case=case,
                cadre_id=clue.subject_cadre_id,
                unit_id=None if clue.subject_cadre_id else clue.subject_unit_id,
            )
            for case, clue in cases
        ],
        batch_size=BATCH,
    )
    CaseFact.objects.bulk_create(
        [
            CaseFact(
                case=case,
                text=f"经核实，{clue.summary}",
                established=case.conclusion in ("confirmed", "partly"),
            )
            for case, clue in cases
        ],
        batch_size=BATCH,
    )
    CaseNote.objects.bulk_create(
        [CaseNote(case=case, text="调阅台账、约谈相关人员") for case, _ in cases], batch_size=BATCH
    )
    return len(cases)


def _case(rng: Any, clue: Clue) -> tuple[Case, Clue]:
    opened = clue.approved_on
    assert opened is not None  # set by the caller when the disposal was approved
    age = (AS_OF - opened).days
    closed = age > 60 and rng.random() < 0.9
    conclusion = (
        _pick(rng, [("confirmed", 50), ("partly", 25), ("unfounded", 25)]) if closed else ""
    )
    return Case(
        clue=clue,
        handling_unit_id=clue.handling_unit_id,
        title=f"关于{clue.subject_name or '有关单位'}问题的初步核实",
        status="closed" if closed else ("reviewing" if age > 30 else "verifying"),
        opened_on=opened,
        closed_on=opened + timedelta(days=rng.randint(30, 60)) if closed else None,
        conclusion=conclusion,
        conclusion_text={
            "confirmed": "问题属实",
            "partly": "部分属实",
            "unfounded": "查无实据，予以澄清",
        }.get(conclusion, ""),
    ), clue
