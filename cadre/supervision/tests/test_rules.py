import pytest

from cadre.supervision import rules
from cadre.supervision.rules import RuleError


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("/abs/path/a.pdf", "a.pdf"),
        ("a\r\nSet-Cookie: x.pdf", "aSet-Cookie: x.pdf"),
        ('"quoted".pdf', "quoted.pdf"),
        ("x" * 5000 + ".pdf", "x" * 96 + ".pdf"),
        ("\u202egnp.exe", "gnp.exe"),
        ("", "附件"),
    ],
)
def test_file_names_are_reduced_to_safe_metadata(name: str, expected: str) -> None:
    assert rules.safe_filename(name) == expected


def test_the_type_must_match_the_extension() -> None:
    assert rules.sniff_type("a.PDF", b"%PDF-1.7") == "application/pdf"
    with pytest.raises(RuleError, match="内容与扩展名不符"):
        rules.sniff_type("a.jpg", b"%PDF-1.7")


@pytest.mark.parametrize(
    ("current", "target", "ok"),
    [
        ("pending", "proposed", True),
        ("pending", "verifying", False),  # disposal needs a proposal and approval
        ("proposed", "verifying", True),
        ("closed", "pending", False),
        ("shelved", "pending", True),
    ],
)
def test_clue_transitions(current: str, target: str, ok: bool) -> None:
    if ok:
        rules.check_transition("clue", rules.CLUE_TRANSITIONS, current, target)
    else:
        with pytest.raises(RuleError, match="请按流程办理"):
            rules.check_transition("clue", rules.CLUE_TRANSITIONS, current, target)


def test_a_case_cannot_be_closed_straight_from_verification() -> None:
    with pytest.raises(RuleError):
        rules.check_transition("case", rules.CASE_TRANSITIONS, "verifying", "closed")


def test_talk_or_inquiry_of_a_main_leader_needs_the_committee_head() -> None:
    assert rules.approval_level("talk_or_inquiry", True) == "committee_head"
    assert rules.approval_level("talk_or_inquiry", False) == "department"
    assert rules.approval_level("preliminary_verification", True) == "department"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"approver_is_proposer": True}, "不能自己审批"),
        ({"approver_roles": {"org_admin"}, "disposal": "preliminary_verification"}, "角色"),
        ({"level": "committee_head", "approver_above_subject": False}, "上级纪委主要负责人"),
    ],
)
def test_approval_rules(kwargs: dict, message: str) -> None:
    args = {
        "disposal": "talk_or_inquiry",
        "level": "department",
        "approver_roles": {"discipline"},
        "approver_is_proposer": False,
        "approver_above_subject": True,
        **kwargs,
    }
    with pytest.raises(RuleError, match=message):
        rules.check_approval(**args)


def test_reports_about_a_unit_or_its_main_leader_go_one_level_up() -> None:
    assert (
        rules.handling_unit_id(
            subject_unit_id=5, subject_unit_parent_id=2, about_main_leader=True, about_unit=False
        )
        == 2
    )
    assert (
        rules.handling_unit_id(
            subject_unit_id=5, subject_unit_parent_id=2, about_main_leader=False, about_unit=False
        )
        == 5
    )


def test_receipt_normalisation() -> None:
    code = rules.new_receipt()
    shown = rules.format_receipt(code)
    assert shown.count("-") == 4
    assert rules.normalise_receipt(shown.lower()) == code
    assert rules.normalise_receipt("too short") is None
    assert rules.contains_receipt(f"my code {shown}", code)
