"""The hash chain as pure functions (no database)."""

from typing import Any

import pytest

from cadre.audit.rules import (
    BROKEN_CONTENT,
    BROKEN_LINK,
    CHAIN_FIELDS,
    GENESIS,
    entry_hash,
    first_break,
    walk_chain,
)


def chain(n: int) -> list[dict[str, Any]]:
    entries, prev = [], GENESIS
    for i in range(1, n + 1):
        fields = dict.fromkeys(CHAIN_FIELDS, "") | {
            "at": f"2025-01-0{i}T00:00:00+00:00",
            "action": f"a{i}",
            "detail": {"i": i},
        }
        h = entry_hash(prev, fields)
        entries.append({"id": i, "prev_hash": prev, "hash": h, **fields})
        prev = h
    return entries


def test_an_intact_chain_reports_its_length() -> None:
    report = walk_chain(chain(4))
    assert (report.checked, report.broken) == (4, None)
    assert walk_chain([]).checked == 0


def edit(entries: list[dict[str, Any]]) -> None:
    entries[2]["action"] = "x"


def delete(entries: list[dict[str, Any]]) -> None:
    del entries[2]


def swap(entries: list[dict[str, Any]]) -> None:
    a, b = entries[1], entries[3]
    for f in CHAIN_FIELDS:
        a[f], b[f] = b[f], a[f]


def reorder(entries: list[dict[str, Any]]) -> None:
    entries[1], entries[2] = entries[2], entries[1]


@pytest.mark.parametrize(
    ("tamper", "first_id", "reason"),
    [
        (edit, 3, BROKEN_CONTENT),
        (delete, 4, BROKEN_LINK),
        (swap, 2, BROKEN_CONTENT),
        (reorder, 3, BROKEN_LINK),
    ],
)
def test_tampering_is_found_at_the_first_bad_entry(tamper: Any, first_id: int, reason: str) -> None:
    entries = chain(5)
    tamper(entries)
    broken = first_break(entries)
    assert broken is not None
    assert (broken.entry_id, broken.reason) == (first_id, reason)


def test_the_hash_covers_every_field_and_the_link() -> None:
    base = dict.fromkeys(CHAIN_FIELDS, "") | {"detail": {}}
    h = entry_hash(GENESIS, base)
    assert entry_hash("1" * 64, base) != h
    for f in CHAIN_FIELDS:
        assert entry_hash(GENESIS, base | {f: "changed"}) != h, f
