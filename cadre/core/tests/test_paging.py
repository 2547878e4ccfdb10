"""The one page shape's helper (cadre/core/paging.py): a row is built only when its page is
taken, and the count is the whole list's."""

from typing import Any

from cadre.core.paging import Mapped


def test_mapped_builds_only_the_rows_of_the_page() -> None:
    built: list[int] = []

    def build(n: int) -> dict[str, Any]:
        built.append(n)
        return {"n": n}

    rows = Mapped(list(range(250)), build)
    assert len(rows) == 250
    assert rows[100:103] == [{"n": 100}, {"n": 101}, {"n": 102}]
    assert rows[249] == {"n": 249}
    assert built == [100, 101, 102, 249]


def test_mapped_counts_a_queryset_without_fetching_it(
    django_assert_num_queries: Any, db: Any
) -> None:
    from cadre.core.models import Notification

    rows = Mapped(Notification.objects.all(), lambda n: n.pk)
    with django_assert_num_queries(1):
        assert len(rows) == 0
