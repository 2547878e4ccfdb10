"""Pure rules about cadres: national ID numbers and tenure. No database."""

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
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
