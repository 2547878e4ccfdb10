"""The one question every decision about a cadre asks first: may this be done, on this day?

Issue 11. The answer comes from the eligibility app (`cadre/eligibility/`), which gathers
every fact that blocks a use of a cadre — measures and their influence periods, annual grades,
open cases, employment, the basic qualifications of 选拔任用条例 第七条, 任职回避, the
probation year and 不适宜担任现职 determinations — set-based, for the day asked. This module
is the gate the lower apps call: the registry (appointments), development (rotation,
secondment), care (rank, exemplars) and assessments (优秀) sit below the eligibility app, so
they reach it through the declared contract `cadres.eligibility` (docs/architecture.md).

    decisions.enforce([cadre.pk], on, [Decision.PROMOTION], by=user, position_id=post.pk)

refuses (`Ineligible`, HTTP 409) with every reason and its source, or returns quietly. An
override (破格, 第八条) is passed by id; the provider checks it was approved by a second person
and covers only blocks the rules let be overridden.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.db import models

from cadre.core import contracts
from cadre.core.errors import Refused
from cadre.core.types import AnyUser


class Decision(models.TextChoices):
    PROMOTION = "promotion", "提拔（列为考察对象、任上一级职务）"
    LEADING_POST = "leading_post", "任领导职务"
    APPOINTMENT = "appointment", "任职"
    EXCELLENT = "excellent_grade", "年度考核评为优秀"
    RANK = "rank_promotion", "职级晋升"
    HONOUR = "honour", "评先评优、表彰"
    RESERVE = "reserve", "列入后备干部"
    KEY_SECONDMENT = "key_secondment", "选派重要岗位挂职"


@dataclass(frozen=True)
class Block:
    """One reason a decision cannot be taken: why, under which rule, until when.

    `until` is the last blocked day (inclusive); None means open, and `ends` says what ends
    it (e.g. "结案"). `fact` names the kind of evidence (measure, grade, case, ...);
    `overridable` is True only where the rules allow an exception (破格, 第八条)."""

    reason: str
    source: str
    until: date | None = None
    ends: str = ""
    fact: str = ""
    overridable: bool = False

    def text(self) -> str:
        when = (
            f"，至{self.until:%Y-%m-%d}" if self.until else (f"，{self.ends}" if self.ends else "")
        )
        return f"{self.reason}（{self.source}{when}）"


@dataclass(frozen=True)
class Proposal:
    """A consequence the rules call for, for staff to act on (e.g. 降职, 辞退)."""

    action: str
    reason: str
    source: str


@dataclass(frozen=True)
class Answer:
    cadre_id: int
    on: date
    blocks: Mapping[str, tuple[Block, ...]]
    proposals: tuple[Proposal, ...] = field(default=())

    def eligible(self, decision: str) -> bool:
        return not self.blocks.get(decision)

    def blocks_for(self, decisions: Iterable[str]) -> list[Block]:
        seen: dict[tuple[str, str], Block] = {}
        for d in decisions:
            for b in self.blocks.get(d, ()):
                seen.setdefault((b.reason, b.source), b)
        return list(seen.values())

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"cadre": self.cadre_id, "on": self.on.isoformat()}
        for d in Decision:
            blocks = self.blocks.get(d.value, ())
            out[d.value] = {
                "eligible": not blocks,
                "blocks": [
                    {
                        "reason": b.reason,
                        "source": b.source,
                        "until": b.until.isoformat() if b.until else None,
                        "ends": b.ends,
                        "fact": b.fact,
                        "overridable": b.overridable,
                    }
                    for b in blocks
                ],
            }
        out["proposals"] = [
            {"action": p.action, "reason": p.reason, "source": p.source} for p in self.proposals
        ]
        return out


class Ineligible(Refused):
    """A decision refused because the cadre is blocked; the message lists every reason."""

    status, code = 409, "ineligible"


class Eligibility(Protocol):
    def answers(
        self, cadre_ids: Sequence[int], on: date, position_id: int | None = None
    ) -> Mapping[int, Answer]: ...

    def enforce(
        self,
        cadre_ids: Sequence[int],
        on: date,
        decisions: Sequence[str],
        *,
        by: "AnyUser | None",
        position_id: int | None = None,
        override_id: int | None = None,
    ) -> None: ...


ELIGIBILITY = "cadres.eligibility"
contracts.declare(
    ELIGIBILITY,
    Eligibility,
    consumer="cadres, development, care, assessments, accountability",
    doc="任用资格：提拔、任职、评优、职级晋升、表彰、后备、挂职前的统一资格判断",
)


def answers(
    cadre_ids: Iterable[int], on: date, position_id: int | None = None
) -> Mapping[int, Answer]:
    """The live answer for every cadre asked about (the caller has scoped them)."""
    ids = sorted(set(cadre_ids))
    return contracts.get(ELIGIBILITY).answers(ids, on, position_id) if ids else {}


def answer(cadre_id: int, on: date, position_id: int | None = None) -> Answer:
    return answers([cadre_id], on, position_id)[cadre_id]


def enforce(
    cadre_ids: Iterable[int],
    on: date,
    decisions: Sequence[str],
    *,
    by: "AnyUser | None",
    position_id: int | None = None,
    override_id: int | None = None,
) -> None:
    """Refuses (`Ineligible`) if any cadre is blocked for any of `decisions` on `on`."""
    ids = sorted(set(cadre_ids))
    if ids:
        contracts.get(ELIGIBILITY).enforce(
            ids, on, decisions, by=by, position_id=position_id, override_id=override_id
        )


def decisions_for_post(
    from_leader: bool, from_level: str, to_leader: bool, to_level: str, levels: Sequence[str]
) -> list[str]:
    """Which decisions an appointment is: any post → 任职; a leading post → 任领导职务; a
    higher leading level than the current post (or a first leading post) → 提拔.
    `levels` orders the leadership levels highest first (orgs.LeadershipLevel)."""
    found = [Decision.APPOINTMENT.value]
    if to_leader:
        found.append(Decision.LEADING_POST.value)
        higher = (
            not from_leader or not from_level or levels.index(to_level) < levels.index(from_level)
        )
        if higher:
            found.append(Decision.PROMOTION.value)
    return found
