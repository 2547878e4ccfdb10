"""容错免责 rules over plain values (seed 三.5; DOMAIN.md 4).

The four criteria of the seed are findings that must all be verified true for an
exemption; any typical exclusion refuses; otherwise only lightening or refusal remain.
Deadlines are settings: no Zhejiang 办法 text was read (DOMAIN.md 4 [U]).
"""

from cadre.core.rulebook import Rule, declare

# One exception for refused actions across supervision, accountability and tolerance, so a
# view catches one type; the message is shown as is (Chinese).
from cadre.supervision.rules import RuleError

CRITERIA = {
    "goal_missed": "改革创新未能实现预期目标",
    "per_guidance": "依照中央和省委有关精神决策、实施",
    "diligent": "勤勉尽责",
    "no_private_gain": "未牟取私利",
}
DISTINCTIONS = {
    "inexperience_vs_knowing_violation": (
        "推进改革中因缺乏经验、先行先试出现的失误，区别于明知故犯的违纪违法"
    ),
    "unrestricted_trial_vs_defiance": (
        "上级尚无明确限制的探索性试验中的失误，区别于上级明令禁止后依然我行我素"
    ),
    "unintentional_vs_self_interest": "为推动发展的无意过失，区别于为谋取私利的违纪违法",
}
EXCLUSIONS = {
    "private_gain": "谋取私利",
    "explicit_ban": "上级明令禁止仍然为之",
    "repeated": "重复犯错",
    "major_loss": "造成重大损失或恶劣影响",
}
OUTCOMES = {"exempted": "免责", "lightened": "从轻减轻", "refused": "不予免责"}

TRANSITIONS: dict[str, set[str]] = {
    "applied": {"verified"},
    "verified": {"determined"},
    "determined": {"fed_back"},
    "fed_back": {"published"},
    "published": set(),
}
STATUS_LABELS = {
    "applied": "待核实",
    "verified": "待认定",
    "determined": "待反馈",
    "fed_back": "已反馈",
    "published": "已公开",
}

VERIFY_DAYS = declare(
    Rule(
        key="tolerance.verify_working_days",
        label="容错免责核实期限(工作日)",
        default=20,
        source="浙江各地容错免责办法通行做法(申请→核实→认定→反馈), 办法原文未见 [U]",
        tag="U",
    )
)
DETERMINE_DAYS = declare(
    Rule(
        key="tolerance.determine_working_days",
        label="容错免责认定期限(工作日)",
        default=10,
        source="浙江各地容错免责办法通行做法, 办法原文未见 [U]",
        tag="U",
    )
)
FEEDBACK_DAYS = declare(
    Rule(
        key="tolerance.feedback_working_days",
        label="容错免责结果反馈期限(工作日)",
        default=5,
        source="浙江各地容错免责办法通行做法, 办法原文未见 [U]",
        tag="U",
    )
)


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, set()):
        raise RuleError(
            f"当前环节为「{STATUS_LABELS.get(current, current)}」，不能跳过环节直接"
            f"「{STATUS_LABELS.get(target, target)}」"
        )


def allowed_outcomes(findings: dict[str, bool | None], exclusions: list[str]) -> set[str]:
    """Exclusions refuse; all four criteria verified → any outcome; else lighten or refuse."""
    if set(findings) != set(CRITERIA) or any(v is None for v in findings.values()):
        raise RuleError("四项认定条件尚未全部核实")
    if exclusions:
        return {"refused"}
    if all(findings.values()):
        return {"exempted", "lightened", "refused"}
    return {"lightened", "refused"}


def check_outcome(outcome: str, allowed: set[str], exclusions: list[str]) -> None:
    if outcome not in OUTCOMES:
        raise RuleError("请选择认定结果：免责、从轻减轻或不予免责")
    if outcome in allowed:
        return
    if exclusions:
        names = "、".join(EXCLUSIONS[e] for e in exclusions)
        raise RuleError(f"存在不予免责的情形（{names}），只能认定为不予免责")
    raise RuleError("四项条件未全部核实成立，不能认定免责，只能从轻减轻或不予免责")


def joint_outcome(org: str, discipline: str) -> str | None:
    """Org and discipline decide jointly: the determination stands only when they agree."""
    if org and discipline:
        if org != discipline:
            raise RuleError("组织部门与纪检监察机关认定意见不一致，请会商后重新签署")
        return org
    return None
