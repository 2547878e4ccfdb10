"""Helpers for the one page shape of the REST API (README, API section).

Every list endpoint under /api/v1/ is paged by django-ninja's own `LimitOffsetPagination`:
`?limit=` (1–100, default 100) and `?offset=` in, `{"items": [...], "count": N}` out. The
endpoint scopes first (`visible_to`) and returns the whole scoped query; the paginator
slices it.
"""

from collections.abc import Callable, Sequence
from typing import Any, overload

from django.db.models import QuerySet


class Mapped(Sequence[Any]):
    """`rows` (a QuerySet or a list), each row passed through `fn` only when its page is
    taken: for endpoints whose items are built per row (extra per-request facts)."""

    def __init__(self, rows: QuerySet[Any] | Sequence[Any], fn: Callable[[Any], Any]) -> None:
        self.rows = rows
        self.fn = fn

    def __len__(self) -> int:
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self.fn(row) for row in self.rows[index]]
        return self.fn(self.rows[index])
