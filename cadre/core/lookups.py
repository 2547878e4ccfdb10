"""`<field>__in_ids=[...]`: membership in a list of ids sent as ONE parameter.

Set-based reads ask about thousands of cadres at once. Django's `__in` prepares, and the
driver quotes, every value as its own parameter — at 20,000 cadres that costs seconds of
Python before the database sees the query (bench/bench_eligibility.py). Here the whole list
is one value: a PostgreSQL array (`= ANY(%s::bigint[])`) or, on SQLite, a JSON array read by
`json_each`. Registered on integer fields and foreign keys in core's AppConfig.ready().

Pass a set (or frozenset): Django resolves a list or tuple value element by element before
the lookup sees it, which at this size costs as much as the query.
"""

import json
from typing import Any

from django.db import models
from django.db.models import Lookup


class InIds(Lookup):
    lookup_name = "in_ids"
    prepare_rhs = False  # the list goes as one parameter, not value by value

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [int(v) for v in self.rhs]
        if connection.vendor == "postgresql":
            # An array literal as text: the driver quotes one string, not 20,000 numbers.
            literal = "{" + ",".join(map(str, values)) + "}"
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, literal]
        # `lhs` is the column Django compiled; the values are one bound parameter.
        sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        return sql, [*lhs_params, json.dumps(values)]


def register() -> None:
    models.IntegerField.register_lookup(InIds)
    models.ForeignKey.register_lookup(InIds)
