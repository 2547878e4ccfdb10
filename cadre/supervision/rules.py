"""Pure rules of intake, clue disposal and case handling (no ORM imports).

Every number that DOMAIN.md tags [U] is a rulebook setting declared here with its source.
"""

import re
import secrets
import unicodedata
from dataclasses import dataclass

from cadre.core.errors import Refused
from cadre.core.rulebook import Rule, declare


class RuleError(Refused):
    """A refused action; the message is shown to the user as is (Chinese)."""


REPORT_ACCEPT_DAYS = declare(
    Rule(
        key="supervision.report_accept_days",
        label="举报受理告知期限(日)",
        default=15,
        source="信访工作条例(2022) 第三十一条: 收到信访事项之日起15日内告知是否受理 [U]",
        tag="U",
    )
)
CLUE_DISPOSAL_WORKING_DAYS = declare(
    Rule(
        key="supervision.clue_disposal_working_days",
        label="问题线索提出处置意见期限(工作日)",
        default=15,
        source="本地规则: 监督执纪工作规则(2019) 线索处置 未见全文, 按本地办法设置 [local]",
        tag="local",
    )
)

COMMITTEE_HEADS = declare(
    Rule(
        key="supervision.committee_head_usernames",
        label="纪委主要负责人账号(审批对下级党委主要负责人的谈话函询)",
        default=[],
        source="监督执纪工作规则: 谈话函询下级党委主要负责人须报纪委主要负责人批准"
        " (DOMAIN.md 2.3) [V2]",
        tag="V2",
    )
)


# ---- workflows -------------------------------------------------------------------------

REPORT_TRANSITIONS: dict[str, set[str]] = {
    "new": {"accepted", "rejected"},
    "accepted": {"closed"},
    "rejected": set(),
    "closed": set(),
}

# Clue: a disposal is proposed, then approved; approval moves the clue to the way chosen.
CLUE_TRANSITIONS: dict[str, set[str]] = {
    "pending": {"proposed"},
    "proposed": {"pending", "talk_or_inquiry", "verifying", "shelved", "closed"},
    "talk_or_inquiry": {"closed", "pending"},
    "verifying": {"closed"},
    "shelved": {"pending"},
    "closed": set(),
}

DISPOSAL_TARGET = {
    "talk_or_inquiry": "talk_or_inquiry",
    "preliminary_verification": "verifying",
    "shelve_pending": "shelved",
    "close": "closed",
}

CASE_TRANSITIONS: dict[str, set[str]] = {
    "verifying": {"reviewing"},
    "reviewing": {"verifying", "closed"},
    "closed": set(),
}

STATUS_LABELS = {
    "report": {"new": "待受理", "accepted": "已受理", "rejected": "不予受理", "closed": "已办结"},
    "clue": {
        "pending": "待处置",
        "proposed": "处置待审批",
        "talk_or_inquiry": "谈话函询中",
        "verifying": "初步核实中",
        "shelved": "暂存待查",
        "closed": "已了结",
    },
    "case": {"verifying": "核查中", "reviewing": "审理中", "closed": "已办结"},
}


def check_transition(kind: str, table: dict[str, set[str]], current: str, target: str) -> None:
    if target not in table.get(current, set()):
        labels = STATUS_LABELS[kind]
        raise RuleError(
            f"当前状态为「{labels.get(current, current)}」，不能直接转为"
            f"「{labels.get(target, target)}」，请按流程办理"
        )


# ---- disposal approval (DOMAIN.md 2.3) ------------------------------------------------


@dataclass(frozen=True)
class ApprovalRule:
    proposer_roles: frozenset[str]
    approver_roles: frozenset[str]


DISCIPLINE = "discipline"
ORG_ADMIN = "org_admin"

# 谈话函询 and 予以了结 may be run by the organization department too (seed 五.1: 组织人事部门
# 视情进行函询); 初步核实 and 暂存待查 are the discipline organ's.
DISPOSAL_APPROVAL: dict[str, ApprovalRule] = {
    "talk_or_inquiry": ApprovalRule(
        frozenset({DISCIPLINE, ORG_ADMIN}), frozenset({DISCIPLINE, ORG_ADMIN})
    ),
    "preliminary_verification": ApprovalRule(frozenset({DISCIPLINE}), frozenset({DISCIPLINE})),
    "shelve_pending": ApprovalRule(frozenset({DISCIPLINE}), frozenset({DISCIPLINE})),
    "close": ApprovalRule(frozenset({DISCIPLINE, ORG_ADMIN}), frozenset({DISCIPLINE})),
}


def approval_level(disposal: str, subject_is_main_leader: bool) -> str:
    """谈话函询 of a main leader of a lower-level Party committee needs the 纪委 main leader
    (DOMAIN.md 2.3, 监督执纪工作规则 as explained by CCDI [V2]); the rest the department head."""
    if disposal == "talk_or_inquiry" and subject_is_main_leader:
        return "committee_head"
    return "department"


def check_proposal(disposal: str, roles: set[str], reason: str) -> None:
    rule = DISPOSAL_APPROVAL.get(disposal)
    if rule is None:
        raise RuleError("处置方式无效，只能选择谈话函询、初步核实、暂存待查或予以了结")
    if not roles & rule.proposer_roles:
        raise RuleError("您的角色不能提出该处置意见")
    if len(reason.strip()) < 5:
        raise RuleError("请填写处置理由或工作方案（至少5个字）")


def check_approval(
    *,
    disposal: str,
    level: str,
    approver_roles: set[str],
    approver_is_proposer: bool,
    approver_above_subject: bool,
    approver_is_committee_head: bool = False,
) -> None:
    """Four eyes, the right role, and for committee_head a designated 纪委 main leader
    (setting supervision.committee_head_usernames) whose discipline grant lies above the
    subject's unit (the higher-level 纪委 supervising the lower Party committee)."""
    if approver_is_proposer:
        raise RuleError("提出处置意见的人不能自己审批")
    if not approver_roles & DISPOSAL_APPROVAL[disposal].approver_roles:
        raise RuleError("您的角色不能审批该处置意见")
    committee = approver_above_subject and approver_is_committee_head
    if level == "committee_head" and not committee:
        raise RuleError("对下级党委主要负责人谈话函询，须由上级纪委主要负责人审批")


# ---- routing -----------------------------------------------------------------------------


def handling_unit_id(
    *,
    subject_unit_id: int,
    subject_unit_parent_id: int | None,
    about_main_leader: bool,
    about_unit: bool,
) -> int:
    """Reports about a unit or about its main leader go one level up (检举控告工作规则
    第十五条: 反映下级党组织主要负责人的问题由上级受理 [V2 via TRUST.md])."""
    if (about_main_leader or about_unit) and subject_unit_parent_id is not None:
        return subject_unit_parent_id
    return subject_unit_id


# ---- intake validation ------------------------------------------------------------------

MAX_TITLE = 100
MAX_BODY = 10_000
MAX_MESSAGE = 5_000
MAX_CONTACT = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str, *, field: str, max_len: int, required: bool = True) -> str:
    """Strips and checks free text; NUL and control characters are refused (IO-05)."""
    text = (value or "").strip()
    if _CONTROL.search(text):
        raise RuleError(f"{field}含有不可见的控制字符，请删除后重新提交")
    if required and not text:
        raise RuleError(f"请填写{field}")
    if len(text) > max_len:
        raise RuleError(f"{field}不能超过{max_len}个字")
    return text


# ---- receipts (TRUST.md AN-02) ----------------------------------------------------------
# A receipt is a 6-character locator (finds the row through an HMAC) followed by a
# 16-character secret (80 bits, Argon2-verified). Crockford base32: no I, L, O, U.

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LOCATOR_LEN = 6
SECRET_LEN = 16  # 16 × 5 bits = 80 bits from `secrets`
RECEIPT_LEN = LOCATOR_LEN + SECRET_LEN
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_receipt() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(RECEIPT_LEN))


def format_receipt(code: str) -> str:
    """ABCDEF-GHJK-MNPQ-RSTV-WXYZ: easier to copy by hand."""
    rest = code[LOCATOR_LEN:]
    return "-".join([code[:LOCATOR_LEN], *(rest[i : i + 4] for i in range(0, len(rest), 4))])


def normalise_receipt(text: str) -> str | None:
    """The canonical code, or None if the text cannot be a receipt."""
    raw = unicodedata.normalize("NFKC", text or "").upper()
    raw = re.sub(r"[\s\-_]", "", raw).translate(_CONFUSABLE)
    if len(raw) != RECEIPT_LEN or any(ch not in ALPHABET for ch in raw):
        return None
    return raw


def split_receipt(code: str) -> tuple[str, str]:
    return code[:LOCATOR_LEN], code[LOCATOR_LEN:]


def contains_receipt(text: str, code: str) -> bool:
    """AN-05: a reporter pasting their own receipt into a message is warned."""
    squeezed = re.sub(r"[\s\-_]", "", unicodedata.normalize("NFKC", text).upper())
    return code in squeezed.translate(_CONFUSABLE)


# ---- attachments (TRUST.md FU-02, FU-03) ------------------------------------------------

ALLOWED_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_MAGIC = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
}


def safe_filename(name: str) -> str:
    """The original name kept only as metadata: no path, no control or bidi characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(
        ch
        for ch in unicodedata.normalize("NFC", base)
        if unicodedata.category(ch)[0] != "C" and ch not in "\"'<>"
    ).strip(" .")
    if len(base) > 100:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 100 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:100]
    return base or "附件"


def extension_of(name: str) -> str:
    base = safe_filename(name).lower()
    return "." + base.rsplit(".", 1)[-1] if "." in base else ""


def sniff_type(name: str, head: bytes) -> str:
    """The content type if the extension is allowed and the bytes match it; else RuleError."""
    ext = extension_of(name)
    content_type = ALLOWED_TYPES.get(ext)
    if content_type is None:
        allowed = "、".join(sorted({e.lstrip(".").upper() for e in ALLOWED_TYPES}))
        raise RuleError(f"附件「{safe_filename(name)}」类型不允许，只接受 {allowed} 文件")
    if not head.startswith(_MAGIC[content_type]):
        raise RuleError(f"附件「{safe_filename(name)}」的内容与扩展名不符，已拒绝")
    return content_type


def check_size(name: str, size: int, max_bytes: int) -> None:
    if size <= 0:
        raise RuleError(f"附件「{safe_filename(name)}」是空文件")
    if size > max_bytes:
        raise RuleError(
            f"附件「{safe_filename(name)}」超过大小上限 {max_bytes // (1024 * 1024)} MB"
        )
