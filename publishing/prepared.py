"""Queries compiled once: the few that every public read makes, without the ORM's cost per call.

Building and compiling a queryset costs far more than running it: a lookup of one live row by
its slug took about 0.6 ms through the ORM and 0.02 ms as SQL, on a read whose whole budget is
about 1 ms. A ``Prepared`` query is written as a queryset (so that ``public()`` and the models
stay the one place its rules live), compiled to SQL the first time it runs on a database, and
then run with new parameters; its rows come back converted as the ORM converts them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from django.db import connections
from django.db.models import QuerySet


class Prepared:
    """``build(**params)``, a ``values_list`` queryset, compiled once per database.

    ``params`` name the type of each parameter (``str``, ``int`` or ``datetime``); each must
    reach the SQL as one parameter, as it was given (an exact match, a comparison).
    """

    _SENTINELS = {
        str: lambda i: f"\x1fprepared-{i}\x1f",
        int: lambda i: 8_191_615_300_000 + i,
        datetime: lambda i: datetime(2999, 12, 30, 23, 59, 58, 700_000 + i, tzinfo=UTC),
    }

    def __init__(self, build: Callable[..., QuerySet], **params: type):
        self.build = build
        self.params = params
        self._compiled: dict[str, tuple] = {}

    def _compile(self, alias: str, *, ordered: bool = True) -> tuple:
        connection = connections[alias]
        sentinels = {
            name: self._SENTINELS[kind](i) for i, (name, kind) in enumerate(self.params.items())
        }
        queryset = self.build(**sentinels)
        if not ordered:
            queryset = queryset.order_by()
        compiler = queryset.query.get_compiler(using=alias)
        sql, sql_params = compiler.as_sql()
        slots: list[tuple[int, str]] = []
        for name, value in sentinels.items():
            adapted = self._adapt(connection, value)
            found = [i for i, p in enumerate(sql_params) if p == adapted]
            if len(found) != 1:
                raise ValueError(f"Cannot prepare {queryset.query}: {name} is not one parameter.")
            slots.append((found[0], name))
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        return sql, list(sql_params), slots, columns

    @staticmethod
    def _adapt(connection, value):
        if isinstance(value, datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def rows(
        self, *, using: str = "default", limit: int | None = None, offset: int = 0, **values
    ) -> list[tuple]:
        """The rows for these parameter values, as the queryset would give them (``limit``
        rows from ``offset``: the queryset must not be sliced itself)."""
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        sql, params, slots, columns = compiled
        connection = connections[using]  # this thread's
        params = self._params(connection, params, slots, values)
        if limit is not None:
            sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        # The conversions the ORM applies (a datetime from SQLite's text, JSON), as it would.
        converters = [
            (i, column, converters)
            for i, column in enumerate(columns)
            if (
                converters := connection.ops.get_db_converters(column)
                + column.get_db_converters(connection)
            )
        ]
        if not converters:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            row = list(row)
            for i, column, functions in converters:
                for function in functions:
                    row[i] = function(row[i], column, connection)
            converted.append(tuple(row))
        return converted

    def first(self, *, using: str = "default", **values) -> tuple | None:
        rows = self.rows(using=using, **values)
        return rows[0] if rows else None

    def count(self, *, using: str = "default", **values) -> int:
        """How many rows there are for these parameter values."""
        key = f"{using} count"
        compiled = self._compiled.get(key)
        if compiled is None:
            sql, params, slots, _columns = self._compile(using, ordered=False)
            compiled = self._compiled[key] = (
                f"SELECT COUNT(*) FROM ({sql}) counted",  # noqa: S608 (compiled by the ORM)
                params,
                slots,
            )
        sql, params, slots = compiled
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, self._params(connection, params, slots, values))
            return cursor.fetchone()[0]

    def pages(self, **values) -> Pages:
        """The rows for these values as Django's paginator takes them: a count, and slices."""
        return Pages(self, values)

    def _params(self, connection, params: list, slots, values: dict) -> list:
        params = list(params)
        for index, name in slots:
            params[index] = self._adapt(connection, values[name])
        return params


class Pages:
    """A prepared query's rows for ``django.core.paginator.Paginator``: ``count()`` and slices
    run the compiled queries (a slice reads the first column of its rows)."""

    ordered = True  # the queryset's own order

    def __init__(self, prepared: Prepared, values: dict):
        self.prepared, self.values = prepared, values

    def count(self) -> int:
        return self.prepared.count(**self.values)

    def __getitem__(self, part: slice) -> list:
        start = part.start or 0
        rows = self.prepared.rows(limit=part.stop - start, offset=start, **self.values)
        return [row[0] for row in rows]
