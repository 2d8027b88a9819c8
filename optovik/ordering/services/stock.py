"""Stock reservation for order lines and hold lines.

``stock_allocate`` keeps stock aside across warehouses (the preferred one first, then the others in
the supplier's order, which stands for "nearest") and mirrors it in ``inventory.Stock.reserved``;
``stock_release`` gives it back. Both run in one transaction and lock the products (``stock_write``,
which counts their available totals again afterwards) and then the ``Stock`` rows they touch, each
in a fixed order (by primary key) on PostgreSQL, so concurrent buyers never oversell and never
deadlock each other. On SQLite the write transaction (``BEGIN IMMEDIATE``) serialises writers.
The database check ``on_hand >= reserved`` is the last guard.

Every checkout allocates, so the locked rows are read and written back in one SQL statement each,
without model instances; the new reserved quantities are computed in Python under the lock.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, Value, When
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from optovik.catalog.models import Product
from optovik.core.errors import ApplicationError
from optovik.core.rawsql import convert, converters, placeholders, table
from optovik.inventory.models import Stock, Warehouse
from optovik.inventory.services import stock_write

from ..models import HoldLine, OrderLine, StockAllocation

ZERO = Decimal(0)


def _number(value: Decimal) -> str:
    value = Decimal(value).normalize()
    return f"{value:f}"


def _locked_stock(*, product_ids: Iterable[int], warehouse_ids: Iterable[int] | None = None) -> list[Stock]:
    """The stock rows of the products, locked in primary-key order (a fixed order: no deadlocks)."""
    qs = Stock.objects.filter(product_id__in=set(product_ids))
    if warehouse_ids is not None:
        qs = qs.filter(warehouse_id__in=set(warehouse_ids))
    return list(qs.select_for_update().order_by("pk"))


def stock_allocate(
    *, lines: Sequence[OrderLine | HoldLine], preferred_warehouse_id: int | None = None, owner=None
) -> list[StockAllocation]:
    """Reserves the quantity of every line (saved ``OrderLine`` or ``HoldLine`` rows) and returns the
    allocations. ``owner`` is the order or hold the lines belong to (used for its client).

    All or nothing: when any product lacks stock, raises ``ApplicationError`` naming the article
    and what is available, and reserves nothing."""
    lines = list(lines)
    if not lines:
        return []
    # No savepoint (two statements less per order); a refusal leaves the block before it is
    # raised, so the caller's transaction stays usable.
    with transaction.atomic(savepoint=False), stock_write(product_ids={line.product_id for line in lines}):
        allocations, refusal = _allocate(lines, preferred_warehouse_id, owner)
    if refusal is not None:
        raise refusal
    return allocations


class _Row:
    """A locked stock row with what the allocation order needs of its warehouse."""

    __slots__ = ("on_hand", "pk", "product_id", "reserved", "sort_key", "warehouse_id")

    def __init__(self, pk, product_id, warehouse_id, on_hand, reserved, sort_order, name):
        self.pk, self.product_id, self.warehouse_id = pk, product_id, warehouse_id
        self.on_hand, self.reserved = on_hand, reserved
        self.sort_key = (sort_order, name, pk)


def _stock_rows(product_ids) -> list[_Row]:
    """The products' stock rows at active warehouses, locked (on PostgreSQL) in primary-key order,
    in one query."""
    ids = sorted(product_ids)
    sql = (
        "SELECT s.id, s.product_id, s.warehouse_id, s.on_hand, s.reserved, w.sort_order, w.name "  # noqa: S608
        f"FROM {table(Stock)} s JOIN {table(Warehouse)} w ON w.id = s.warehouse_id "
        f"WHERE s.product_id IN ({placeholders(ids)}) AND w.is_active ORDER BY s.id"
    )
    if connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF s"
    columns = converters(
        None, None, None, Stock._meta.get_field("on_hand"), Stock._meta.get_field("reserved"), None, None
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return [_Row(*convert(row, columns)) for row in cursor.fetchall()]


def _stock_reserved_set(rows: list[_Row]) -> None:
    """Writes the rows' new reserved quantities (computed under their lock, so exact — SQLite adding
    decimals itself would add floats), in one statement."""
    cases = " ".join(["WHEN %s THEN %s"] * len(rows))
    sql = (
        f"UPDATE {table(Stock)} SET reserved = CASE id {cases} END "  # noqa: S608
        f"WHERE id IN ({placeholders(rows)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(x for row in rows for x in (row.pk, row.reserved)), *(row.pk for row in rows)])


def _allocate(lines, preferred_warehouse_id, owner) -> tuple[list[StockAllocation], ApplicationError | None]:
    client_id = getattr(owner, "client_id", None) or lines[0].client_id
    by_product: dict[int, list[_Row]] = defaultdict(list)
    for row in _stock_rows({line.product_id for line in lines}):
        by_product[row.product_id].append(row)
    for candidates in by_product.values():
        candidates.sort(key=lambda s: (s.warehouse_id != preferred_warehouse_id, s.sort_key))

    needed: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        needed[line.product_id] += Decimal(line.quantity)
    short = [pid for pid, qty in needed.items() if sum((s.on_hand - s.reserved for s in by_product[pid]), ZERO) < qty]
    if short:
        articles = dict(Product.objects.filter(pk__in=short).values_list("pk", "article"))
        pid = min(short, key=lambda p: articles.get(p, ""))
        available = max(sum((s.on_hand - s.reserved for s in by_product[pid]), ZERO), ZERO)
        return [], ApplicationError(
            _("Not enough stock of %(article)s: %(available)s available, %(needed)s requested.")
            % {"article": articles.get(pid, pid), "available": _number(available), "needed": _number(needed[pid])},
            field="quantity",
        )

    allocations, touched = [], {}
    for line in lines:
        rest = Decimal(line.quantity)
        for stock in by_product[line.product_id]:
            if rest <= 0:
                break
            take = min(stock.on_hand - stock.reserved, rest)
            if take <= 0:
                continue
            stock.reserved += take
            touched[stock.pk] = stock
            rest -= take
            owner_field = "order_line" if isinstance(line, OrderLine) else "hold_line"
            allocations.append(
                StockAllocation(
                    client_id=client_id,
                    product_id=line.product_id,
                    warehouse_id=stock.warehouse_id,
                    quantity=take,
                    **{owner_field: line},
                )
            )
    if touched:
        _stock_reserved_set(list(touched.values()))
    StockAllocation.objects.bulk_create(allocations)
    return allocations, None


@transaction.atomic(savepoint=False)
def stock_release(*, allocations: Iterable[StockAllocation]) -> Decimal:
    """Gives the allocations' stock back (``Stock.reserved`` goes down) and deletes them.
    Returns the total quantity released."""
    allocations = [a for a in allocations if a.pk is not None]
    if not allocations:
        return ZERO
    amounts: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for a in allocations:
        amounts[(a.product_id, a.warehouse_id)] += a.quantity
    with stock_write(product_ids={p for p, _w in amounts}):
        _release(amounts)
    StockAllocation.objects.filter(pk__in=[a.pk for a in allocations]).delete()
    return sum(amounts.values(), ZERO)


def _release(amounts: dict[tuple[int, int], Decimal]) -> None:
    """``Stock.reserved`` of each (product, warehouse) goes down by its amount, never below zero."""
    keys = set(amounts)
    rows = [
        s
        for s in _locked_stock(product_ids={p for p, _w in keys}, warehouse_ids={w for _p, w in keys})
        if (s.product_id, s.warehouse_id) in keys
    ]
    whens = [When(pk=s.pk, then=Value(amounts[(s.product_id, s.warehouse_id)])) for s in rows]
    if whens:
        released = Case(*whens, default=Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=3))
        Stock.objects.filter(pk__in=[s.pk for s in rows]).update(
            reserved=Greatest(F("reserved") - released, Value(ZERO))
        )
