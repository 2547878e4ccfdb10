import pytest

from cadre.tolerance import rules
from cadre.tolerance.rules import RuleError

ALL_TRUE = dict.fromkeys(rules.CRITERIA, True)


def test_all_four_criteria_allow_exemption() -> None:
    assert rules.allowed_outcomes(ALL_TRUE, []) == {"exempted", "lightened", "refused"}


def test_a_failed_criterion_allows_only_lightening_or_refusal() -> None:
    findings = {**ALL_TRUE, "no_private_gain": False}
    assert rules.allowed_outcomes(findings, []) == {"lightened", "refused"}


@pytest.mark.parametrize("exclusion", list(rules.EXCLUSIONS))
def test_any_exclusion_refuses(exclusion: str) -> None:
    assert rules.allowed_outcomes(ALL_TRUE, [exclusion]) == {"refused"}
    with pytest.raises(RuleError, match=rules.EXCLUSIONS[exclusion]):
        rules.check_outcome("exempted", {"refused"}, [exclusion])


def test_unverified_criteria_cannot_be_determined() -> None:
    with pytest.raises(RuleError, match="尚未全部核实"):
        rules.allowed_outcomes({**ALL_TRUE, "diligent": None}, [])


def test_org_and_discipline_must_agree() -> None:
    assert rules.joint_outcome("exempted", "") is None
    assert rules.joint_outcome("exempted", "exempted") == "exempted"
    with pytest.raises(RuleError, match="不一致"):
        rules.joint_outcome("exempted", "refused")


def test_steps_cannot_be_skipped() -> None:
    with pytest.raises(RuleError, match="不能跳过环节"):
        rules.check_transition("applied", "determined")
