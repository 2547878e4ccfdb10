"""`{% answer_view answer "excellent_grade" as view %}`: the rows `eligibility/_answer.html`
shows — per decision asked for (all when none is given), 可以 / 不可以 and every block.

`answer` is a `cadre.cadres.decisions.Answer` or its JSON (`Answer.as_json()`, what the
`assessments.eligibility` contract answers); both give the same rows. `decisions` is a
decision value, a comma-separated string of them, or a list.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import template

from cadre.cadres.decisions import Answer, Block, Decision, Proposal

register = template.Library()
LABELS = dict(Decision.choices)


@dataclass(frozen=True)
class Row:
    decision: str
    label: str
    blocks: tuple[Block, ...]

    @property
    def eligible(self) -> bool:
        return not self.blocks


@dataclass(frozen=True)
class AnswerView:
    on: date
    rows: list[Row]
    proposals: tuple[Proposal, ...]


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def from_json(data: Mapping[str, Any]) -> Answer:
    """The Answer back from `Answer.as_json()`."""
    blocks = {
        d.value: tuple(
            Block(
                reason=str(b.get("reason", "")),
                source=str(b.get("source", "")),
                until=_day(b.get("until")),
                ends=str(b.get("ends", "") or ""),
                fact=str(b.get("fact", "") or ""),
                overridable=bool(b.get("overridable", False)),
            )
            for b in (data.get(d.value) or {}).get("blocks", ())
        )
        for d in Decision
    }
    proposals = tuple(
        Proposal(str(p["action"]), str(p["reason"]), str(p["source"]))
        for p in data.get("proposals", ())
    )
    on = _day(data["on"])
    assert on is not None  # as_json always names the day
    return Answer(int(data["cadre"]), on, blocks, proposals)


def _decisions(asked: str | Iterable[str] | None) -> list[str]:
    if not asked:
        return [d.value for d in Decision]
    values = asked.split(",") if isinstance(asked, str) else list(asked)
    known = {d.value for d in Decision}
    return [v.strip() for v in values if v.strip() in known]


def view(answer: Answer | Mapping[str, Any] | None, decisions: Any = None) -> AnswerView | None:
    if answer is None:
        return None
    found = answer if isinstance(answer, Answer) else from_json(answer)
    asked = _decisions(decisions)
    rows = [Row(d, str(LABELS[d]), tuple(found.blocks.get(d, ()))) for d in asked]
    # 降职/辞退 proposals belong to the whole answer: shown when every decision is.
    proposals = found.proposals if len(asked) == len(Decision) else ()
    return AnswerView(found.on, rows, proposals)


@register.simple_tag
def answer_view(answer: Any, decisions: Any = None) -> AnswerView | None:
    return view(answer, decisions)
