"""Pure rules about cadres: national ID numbers and tenure. No database."""

import calendar
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from cadre.core.errors import Refused

# GB 11643-1999: weights and check characters of the 18-digit citizen ID number.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")


class IdNumberError(Refused):
    """An ID number that cannot be a citizen ID; the message says why."""


def normalize_id_number(raw: str) -> str:
    return raw.strip().translate(_FULLWIDTH).upper()


def validate_id_number(raw: str) -> str:
    """Returns the normalised 18-character ID, or raises IdNumberError with a Chinese reason."""
    value = normalize_id_number(raw)
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        raise IdNumberError("身份证号应为18位（前17位数字，末位数字或X）")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise IdNumberError("身份证号中的出生日期不存在") from exc
    if born.year < 1900:
        raise IdNumberError("身份证号中的出生日期不合理")
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        raise IdNumberError("身份证号校验位错误")
    return value


def id_birth_date(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def id_gender(value: str) -> str:
    return "M" if int(value[16]) % 2 else "F"


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def hash_id_number(value: str, key: str) -> str:
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """Keeps the region (first 6) and the last 4: 330102********123X."""
    return value[:6] + "*" * 8 + value[-4:]


def years_between(start: date, end: date) -> float:
    return round(max((end - start).days, 0) / 365.25, 2)


@dataclass(frozen=True)
class Stint:
    """One appointment as plain values: unit, post, field of work and dates."""

    unit_id: int
    position_id: int
    work_field: str
    started_on: date
    ended_on: date | None


def _current(stints: Sequence[Stint]) -> Stint | None:
    open_ = [s for s in stints if s.ended_on is None]
    return max(open_, key=lambda s: s.started_on) if open_ else None


def years_in_current_post(stints: Sequence[Stint], on: date) -> float:
    """Years since the cadre took the post held now (交流 rules, DOMAIN.md 6)."""
    cur = _current(stints)
    return years_between(cur.started_on, on) if cur else 0.0


def years_in_current_unit(stints: Sequence[Stint], on: date) -> float:
    """Years of unbroken service in the current unit, across post changes inside it."""
    cur = _current(stints)
    if cur is None:
        return 0.0
    start = cur.started_on
    for s in sorted(stints, key=lambda s: s.started_on, reverse=True):
        if s.unit_id != cur.unit_id:
            if s.ended_on is not None and s.ended_on >= start:
                continue
            break
        start = min(start, s.started_on)
    return years_between(start, on)


def distinct_work_fields(stints: Iterable[Stint]) -> int:
    """How many fields of work a career has covered (单一工作经历 when it is 1)."""
    return len({s.work_field for s in stints})


def overlapping(stints: Sequence[tuple[date, date | None]]) -> bool:
    """True if any two date ranges (end None = open) overlap."""
    ordered = sorted(stints, key=lambda s: s[0])
    return any(end is None or end >= nxt for (_, end), (nxt, _) in pairwise(ordered))


# ---- 任职试用期 (issue 11) -------------------------------------------------------------------

# 任职试用期为一年 (党政领导干部选拔任用工作条例 2014 第四十二条, kept in the 2019 edition;
# DOMAIN.md 10.1 [V2]).
PROBATION_MONTHS = 12
PROBATION_SOURCE = "党政领导干部选拔任用工作条例 任职试用期一年（2014 第四十二条）"


def months_end(start: date, months: int) -> date:
    """Last day (inclusive) of a period of `months` counted from `start` as day one: the day
    before the same day `months` months later, or that month's last day where it has no such
    day (民法典 第二百零二条). 2024-05-01 + 12 → 2025-04-30; 2024-02-29 + 12 → 2025-02-28."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)


def probation_end(started_on: date) -> date:
    """Last day of the one-year 任职试用期 of a post taken on `started_on`."""
    return months_end(started_on, PROBATION_MONTHS)


# ---- end of employment and changes of post (issue 11: registry effects of decisions) ------

# The statuses of a cadre who is no longer employed (CadreStatus values other than "active"):
# 退休, 调出, 开除 (公职人员政务处分法 第七条(六)), 辞退 (公务员法 第八十八条), 辞职 (公务员法
# 第八十五条), 去世.
ACTIVE = "active"
NOT_EMPLOYED = frozenset({"retired", "left", "expelled", "dismissed", "resigned", "deceased"})


@dataclass(frozen=True)
class PostEffect:
    """What a decision does to the registry: which open primary appointments end on its
    effective day, whether a new one may start that day, whether the rank is lowered."""

    label: str
    ends_leading_only: bool  # True: only leading posts end (免职); False: the current post
    may_start: bool  # a new appointment at a given position starts the same day
    lowers_rank: bool  # the rank goes down (to the given one, else one step)
    source: str


POST_EFFECTS: dict[str, PostEffect] = {
    "removal": PostEffect(
        label="免职",
        ends_leading_only=True,
        may_start=False,
        lowers_rank=False,
        source="中国共产党组织处理规定(试行)(2021)：免职",
    ),
    "demotion": PostEffect(
        label="降职",
        ends_leading_only=False,
        may_start=True,
        lowers_rank=True,
        source="中国共产党组织处理规定(试行)(2021)：降职",
    ),
    "reassign": PostEffect(
        label="调整职务",
        ends_leading_only=False,
        may_start=True,
        lowers_rank=False,
        source="中国共产党组织处理规定(试行)(2021)：调整职务",
    ),
    "dismissal_from_post": PostEffect(
        label="撤职",
        ends_leading_only=False,
        may_start=True,
        lowers_rank=True,
        source="公职人员政务处分法 第十九条：被撤职的，按照规定降低职务、职级",
    ),
}


def rank_one_step_lower(rank: str, order: Sequence[str]) -> str | None:
    """The rank one step below `rank` in `order` (highest first, as `Rank`); None for the
    lowest. A rank not in `order` is a programming error (ValueError)."""
    i = list(order).index(rank)
    return order[i + 1] if i + 1 < len(order) else None


def is_lower_rank(rank: str, than: str, order: Sequence[str]) -> bool:
    """True if `rank` is strictly below `than` in `order` (highest first)."""
    ranks = list(order)
    return ranks.index(rank) > ranks.index(than)


def post_change_summary(
    *, ended: Sequence[str], started: str, rank_from: str, rank_to: str, on: date
) -> str:
    """One line, in Chinese, of what a change of post did (shown on the decision's page)."""
    parts = [f"{on.isoformat()}起"]
    if ended:
        parts.append("免去" + "、".join(ended) + "职务")
    if started:
        parts.append(f"任{started}")
    if rank_to:
        parts.append(f"职级由{rank_from}调整为{rank_to}" if rank_from else f"职级确定为{rank_to}")
    return "，".join(parts)


# ---- 登记离职/退休 on the cadre page and in the API (issue 11) ------------------------------

# What a registry officer records directly. 开除 is not among them: it is recorded only as an
# accountability measure (政务处分 开除, 政务处分法 第七条(六)), whose registry effect ends the
# employment (accountability.services.record_measure).
LEAVING_CHOICES: tuple[tuple[str, str], ...] = (
    ("retired", "退休"),
    ("resigned", "辞职"),
    ("dismissed", "辞退"),
    ("left", "调出"),
    ("deceased", "去世"),
)
# 公务员法(2018) 第八十九条：对有下列情形之一的公务员，不得辞退.
NO_DISMISSAL_SOURCE = "公务员法 第八十九条"
NO_DISMISSAL_SITUATIONS: tuple[str, ...] = (
    "因公致残，被确认丧失或者部分丧失工作能力的",
    "患病或者负伤，在规定的医疗期内的",
    "女性公务员在孕期、产假、哺乳期内的",
    "法律、行政法规规定的其他不得辞退的情形",
)


def check_leaving(
    status: str, on: date, *, today: date, joined_work_on: date, no_article_89: bool
) -> None:
    """Refuses (Chinese message, source where there is one) a 离职/退休 the registry page and
    the API may not record: another status (开除 included), a day after `today` or before the
    cadre joined work, a 辞退 without the confirmation that none of 第八十九条 applies."""
    if status == "expelled":
        raise Refused("开除须作为问责处理措施（政务处分：开除）登记，不能在此直接登记")
    if status not in dict(LEAVING_CHOICES):
        raise Refused("请选择离职情形：" + "、".join(label for _, label in LEAVING_CHOICES))
    if on > today:
        raise Refused(f"离职日期不能晚于今天（{today:%Y-%m-%d}）")
    if on < joined_work_on:
        raise Refused(f"离职日期不能早于参加工作时间（{joined_work_on:%Y-%m-%d}）")
    if status == "dismissed" and not no_article_89:
        raise Refused(
            "辞退前须确认该干部不属于不得辞退的情形："
            + "；".join(
                f"（{n}）{text}"
                for n, text in zip("一二三四", NO_DISMISSAL_SITUATIONS, strict=True)
            ),
            NO_DISMISSAL_SOURCE,
        )
