"""Stock as customers see it: exact numbers or levels, in bulk (a fixed number of queries)."""

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from optovik.core.rawsql import columns, convert, converters, placeholders, table

from .models import ExpectedArrival, InventorySettings, Stock, Warehouse

ZERO = Decimal(0)


class Level:
    MANY = "many"
    FEW = "few"
    NONE = "none"


# Shown instead of numbers in the "levels" mode ("много", "мало", "нет в наличии").
LEVEL_LABELS = {Level.MANY: _("many"), Level.FEW: _("few"), Level.NONE: _("out of stock")}


@dataclass(frozen=True)
class WarehouseAvailability:
    warehouse_id: int
    name: str
    is_pickup_point: bool
    available: Decimal
    level: str
    display: str  # what to show: the number, or the level's words


@dataclass(frozen=True)
class Arrival:
    date: dt.date
    quantity: Decimal
    warehouse_id: int


@dataclass
class Availability:
    product_id: int
    available: Decimal  # total over active warehouses
    level: str  # Level.*
    display: str  # "125" in exact mode, "много" / "мало" / "нет в наличии" in levels mode
    exact: bool
    warehouses: list[WarehouseAvailability] = field(default_factory=list)
    next_arrival: Arrival | None = None

    @property
    def in_stock(self) -> bool:
        return self.available > 0


def inventory_settings_get() -> InventorySettings:
    """The display settings (pk 1); defaults when nobody has saved them yet."""
    settings = columns(InventorySettings, "s")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {settings.sql} FROM {table(InventorySettings)} s WHERE s.id = 1")  # noqa: S608
        row = cursor.fetchone()
    return settings.read(row) if row else InventorySettings(pk=1)


@functools.cache
def _quantity_columns():
    """Conversions of a product id, a warehouse id and stock quantities read with raw SQL."""
    quantity = Stock._meta.get_field("on_hand")
    return converters(None, None, quantity, quantity)


def _number(value: Decimal) -> str:
    value = value.normalize()
    return f"{value:f}" if value == value.to_integral() else f"{value:f}".rstrip("0")


def _level(available: Decimal, few: Decimal) -> str:
    if available <= 0:
        return Level.NONE
    return Level.FEW if available <= few else Level.MANY


def _display(available: Decimal, level: str, exact: bool, labels: dict[str, str]) -> str:
    if exact and available > 0:
        return _number(available)
    return labels[level]


def _labels() -> dict[str, str]:
    """The level words in the current language, translated once per call instead of once per row."""
    return {level: str(label) for level, label in LEVEL_LABELS.items()}


# A product's available stock: the sum over its rows ``s`` (at the active warehouses) of on hand −
# reserved, a warehouse's shortfall counting as zero.
AVAILABLE_SUM = "SUM(CASE WHEN s.on_hand > s.reserved THEN s.on_hand - s.reserved ELSE 0 END)"

# The three reads below run on every list page and card; written in SQL they cost a fraction of the
# ORM's building of them (5-7 ms for a page of 48 products on a slower machine, most of it Python).


def available_totals(ids: list[int]) -> dict[int, Decimal]:
    """Available stock of each product over the active warehouses, a warehouse's shortfall counting as
    zero (as the per-warehouse rows add up), summed by the database: one row per product."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.product_id, NULL, {AVAILABLE_SUM}, NULL FROM {table(Stock)} s "  # noqa: S608
            f"JOIN {table(Warehouse)} w ON w.id = s.warehouse_id "
            f"WHERE s.product_id IN ({placeholders(ids)}) AND w.is_active = %s GROUP BY s.product_id",
            [*ids, True],
        )
        rows = [convert(row, _quantity_columns()) for row in cursor.fetchall()]
    return {pid: total for pid, _, total, _ in rows}


def _warehouse_rows(ids: list[int], *, few: Decimal, exact: bool, labels: dict) -> dict[int, list]:
    """Each product's stock per active warehouse, in the warehouses' order (the card's stock table)."""
    per_product = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.product_id, s.warehouse_id, s.on_hand, s.reserved, w.name, w.is_pickup_point "  # noqa: S608
            f"FROM {table(Stock)} s JOIN {table(Warehouse)} w ON w.id = s.warehouse_id "
            f"WHERE s.product_id IN ({placeholders(ids)}) AND w.is_active = %s ORDER BY w.sort_order, w.name, w.id",
            [*ids, True],
        )
        rows = cursor.fetchall()
    for row in rows:
        pid, wid, on_hand, reserved = convert(row[:4], _quantity_columns())
        available = max(on_hand - reserved, ZERO)
        level = _level(available, few)
        display = _display(available, level, exact, labels)
        per_product[pid].append(WarehouseAvailability(wid, row[4], bool(row[5]), available, level, display))
    return per_product


def _next_arrivals(ids: list[int]) -> dict[int, Arrival]:
    """Each product's next expected arrival from today on."""
    arrival = columns(ExpectedArrival, "s")
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {arrival.sql} FROM {table(ExpectedArrival)} s "  # noqa: S608
            f"WHERE s.product_id IN ({placeholders(ids)}) AND s.date >= %s ORDER BY s.product_id, s.date, s.id",
            [*ids, today],
        )
        arrivals = [arrival.read(row) for row in cursor.fetchall()]
    result = {}
    for a in arrivals:
        result.setdefault(a.product_id, Arrival(a.date, a.quantity, a.warehouse_id))
    return result


def availability_for_products(
    *, product_ids, settings: InventorySettings | None = None, per_warehouse: bool = False
) -> dict[int, Availability]:
    """Display-ready availability of every product in ``product_ids`` (missing stock = none).

    Lists, carts and orders need the totals only: the database sums them. ``per_warehouse=True``
    (the product card) also reads each warehouse's row, for the stock table."""
    ids = list(dict.fromkeys(int(x) for x in product_ids))
    if not ids:
        return {}
    settings = settings or inventory_settings_get()
    exact = settings.mode == InventorySettings.Mode.EXACT
    few = settings.few_threshold
    labels = _labels()
    if per_warehouse:
        per_product = _warehouse_rows(ids, few=few, exact=exact, labels=labels)
        totals = {pid: sum((w.available for w in rows), ZERO) for pid, rows in per_product.items()}
    else:
        per_product, totals = {}, available_totals(ids)
    arrivals = _next_arrivals(ids)
    result = {}
    for pid in ids:
        warehouses = per_product.get(pid, [])
        total = totals.get(pid) or ZERO
        level = _level(total, few)
        result[pid] = Availability(
            product_id=pid,
            available=total,
            level=level,
            display=_display(total, level, exact, labels),
            exact=exact,
            warehouses=warehouses if settings.show_warehouses else [],
            next_arrival=arrivals.get(pid),
        )
    return result


def available_total_expression():
    """Annotation for a Product queryset: available stock over active warehouses (for sorting a
    few products; category pages read it from their listing rows)."""
    sub = (
        Stock.objects.filter(product_id=OuterRef("pk"), warehouse__is_active=True)
        .values("product_id")
        .annotate(total=Sum(Greatest(F("on_hand") - F("reserved"), Value(ZERO))))
        .values("total")
    )
    return Coalesce(Subquery(sub), Value(ZERO))


def warehouse_list(*, pickup_only: bool = False) -> list[Warehouse]:
    qs = Warehouse.objects.filter(is_active=True)
    if pickup_only:
        qs = qs.filter(is_pickup_point=True)
    return list(qs)
