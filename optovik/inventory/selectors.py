"""Stock as customers see it: exact numbers or levels, in bulk (a fixed number of queries)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, DecimalField, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    return InventorySettings.objects.filter(pk=1).first() or InventorySettings(pk=1)


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


def _available_totals(ids: list[int]) -> dict[int, Decimal]:
    """Available stock of each product over the active warehouses, a warehouse's shortfall counting as
    zero (as the per-warehouse rows add up), summed by the database: one row per product."""
    available = Case(
        When(on_hand__gt=F("reserved"), then=F("on_hand") - F("reserved")),
        default=Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=3),
    )
    return dict(
        Stock.objects.filter(product_id__in=ids, warehouse__is_active=True)
        .order_by()
        .values("product_id")
        .annotate(total=Sum(available))
        .values_list("product_id", "total")
    )


def _warehouse_rows(ids: list[int], *, few: Decimal, exact: bool, labels: dict) -> dict[int, list]:
    """Each product's stock per active warehouse, in the warehouses' order (the card's stock table)."""
    per_product = defaultdict(list)
    rows = (
        Stock.objects.filter(product_id__in=ids, warehouse__is_active=True)
        .order_by("warehouse__sort_order", "warehouse__name")
        .values_list(
            "product_id", "warehouse_id", "warehouse__name", "warehouse__is_pickup_point", "on_hand", "reserved"
        )
    )
    for pid, wid, wname, pickup, on_hand, reserved in rows:
        available = max(on_hand - reserved, ZERO)
        level = _level(available, few)
        per_product[pid].append(
            WarehouseAvailability(wid, wname, pickup, available, level, _display(available, level, exact, labels))
        )
    return per_product


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
        per_product, totals = {}, _available_totals(ids)
    arrivals = {}
    for pid, date, quantity, wid in (
        ExpectedArrival.objects.filter(product_id__in=ids, date__gte=timezone.localdate())
        .order_by("product_id", "date")
        .values_list("product_id", "date", "quantity", "warehouse_id")
    ):
        arrivals.setdefault(pid, Arrival(date, quantity, wid))
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
    """Annotation for a Product queryset: available stock over active warehouses (for sorting)."""
    sub = (
        Stock.objects.filter(product_id=OuterRef("pk"), warehouse__is_active=True)
        .values("product_id")
        .annotate(total=Sum(F("on_hand") - F("reserved")))
        .values("total")
    )
    return Coalesce(Subquery(sub), Value(ZERO))


def warehouse_list(*, pickup_only: bool = False) -> list[Warehouse]:
    qs = Warehouse.objects.filter(is_active=True)
    if pickup_only:
        qs = qs.filter(is_pickup_point=True)
    return list(qs)
