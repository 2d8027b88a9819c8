"""Raw SQL for the few hot paths that bypass the ORM (the price resolver, checkout's locks, stock
reservation, the ledger totals, and what every page reads: the tenancy and the stock display):
table names, placeholders, whole model instances, and values converted exactly as the ORM
converts them (SQLite returns decimals as floats and booleans as integers)."""

import functools
import json

from django.db import connection
from django.db.models.expressions import RawSQL


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def id_list(ids) -> RawSQL:
    """A subquery of these integer ids, passed as one parameter, for ``filter(id__in=id_list(ids))``.
    A search's 500 ids written as ``IN (%s, …)`` cost the ORM and the database driver a parameter
    each — 2-3 ms of a search page."""
    ids = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


def converters(*fields) -> list[tuple]:
    """Per column, the conversions the ORM applies to a value of that model field read from this
    database; ``None`` for a column taken as it comes."""
    result = []
    for field in fields:
        if field is None:
            result.append((None, ()))
        else:
            col = field.cached_col
            result.append((col, connection.ops.get_db_converters(col) + field.get_db_converters(connection)))
    return result


def convert(row, columns) -> tuple:
    """``row`` with each value converted as ``columns`` (from ``converters``) say."""
    values = []
    for value, (col, column_converters) in zip(row, columns, strict=True):
        for converter in column_converters:
            value = converter(value, col, connection)
        values.append(value)
    return tuple(values)


class Columns:
    """Every concrete column of a model under a table alias, for reading whole instances with
    raw SQL: ``sql`` goes into the select list, ``read`` makes the instance from its part of a
    row — converted as the ORM would, and marked as coming from the database."""

    def __init__(self, model, alias: str):
        self.model, self.alias = model, alias
        fields = model._meta.concrete_fields
        self.attnames = [f.attname for f in fields]
        self.pk_index = self.attnames.index(model._meta.pk.attname)
        self.sql = ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in fields)
        # Only the columns that have conversions (on PostgreSQL few do): a list page reads ~150
        # instances, and looping over every column of each cost a sixth of reading them.
        self.converted = [(i, col, fns) for i, (col, fns) in enumerate(converters(*fields)) if fns]

    def __len__(self) -> int:
        return len(self.attnames)

    def read(self, row, start: int = 0):
        """The instance in ``row[start:start + len(self)]``; ``None`` when its primary key is NULL
        (an outer join found no row)."""
        values = row[start : start + len(self.attnames)]
        if values[self.pk_index] is None:
            return None
        if self.converted:
            values = list(values)
            for i, col, fns in self.converted:
                value = values[i]
                for fn in fns:
                    value = fn(value, col, connection)
                values[i] = value
        return self.model.from_db(connection.alias, self.attnames, values)


@functools.cache
def columns(model, alias: str) -> Columns:
    """The ``Columns`` of a model under an alias, built once per process."""
    return Columns(model, alias)
