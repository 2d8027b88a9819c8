"""Writes of stock levels and arrivals (imports from the ERP call these), and of each product's
available total, which every writer of stock keeps in step: it writes inside ``stock_write``."""

from collections.abc import Iterable
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from optovik.catalog.models import CategoryProduct, Product
from optovik.core.errors import ApplicationError
from optovik.core.rawsql import placeholders, table

from .models import InventorySettings, Stock
from .selectors import available_totals

ZERO = Decimal(0)
REFRESH_CHUNK = 500  # products per statement


@contextmanager
def stock_write(*, product_ids: Iterable[int]):
    """Every write of stock, or of a warehouse's ``is_active``, runs inside this block, given the
    products whose stock it changes. The block locks their rows first (in id order), and after the
    write counts their available stock over the active warehouses again and writes it into their
    listing rows where it changed (``CategoryProduct.available``: a category page sorted by
    availability reads it there, in order).

    The lock (PostgreSQL; SQLite has one writer at a time) comes before the stock rows': two
    writers of one product's stock, at two warehouses, then write one after the other, and the
    second counts with the first's rows, since a statement sees what was committed before it
    began. Never taken after a stock row's lock, it cannot close a circle of waits with them. It
    only locks: writing the product row would make PostgreSQL compute its search vector again and
    add an entry to each of its indexes (0.7 ms a product)."""
    ids = sorted({int(pk) for pk in product_ids})
    chunks = [ids[first : first + REFRESH_CHUNK] for first in range(0, len(ids), REFRESH_CHUNK)]
    with transaction.atomic(savepoint=False):
        if connection.features.has_select_for_update:
            for chunk in chunks:
                list(Product.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk"))
        yield
        with connection.cursor() as cursor:
            for chunk in chunks:
                totals = available_totals(chunk)
                cases = " ".join(["WHEN %s THEN %s"] * len(chunk))
                values = [x for pk in chunk for x in (pk, totals.get(pk, ZERO))]
                new = f"CASE product_id {cases} END"
                cursor.execute(
                    f"UPDATE {table(CategoryProduct)} SET available = {new} "  # noqa: S608
                    f"WHERE product_id IN ({placeholders(chunk)}) AND available <> {new}",
                    [*values, *chunk, *values],
                )


def stock_available_refresh(*, product_ids: Iterable[int]) -> None:
    """Counts the products' available stock again (after stock written around ``stock_write``)."""
    with stock_write(product_ids=product_ids):
        pass


def stock_set(*, product_id: int, warehouse_id: int, on_hand: Decimal, reserved: Decimal = Decimal(0)) -> Stock:
    """Sets the stock of a product in a warehouse (an upsert)."""
    on_hand, reserved = Decimal(on_hand), Decimal(reserved)
    if on_hand < 0:
        raise ApplicationError(_("Stock on hand cannot be negative."), field="on_hand")
    if reserved < 0 or reserved > on_hand:
        raise ApplicationError(_("Reserved stock must be between zero and the stock on hand."), field="reserved")
    with stock_write(product_ids=[product_id]):
        stock, _created = Stock.objects.update_or_create(
            product_id=product_id, warehouse_id=warehouse_id, defaults={"on_hand": on_hand, "reserved": reserved}
        )
    return stock


def inventory_settings_update(*, mode: str, few_threshold: Decimal, show_warehouses: bool = True) -> InventorySettings:
    if mode not in InventorySettings.Mode.values:
        raise ApplicationError(_("Unknown stock display mode."), field="mode")
    if Decimal(few_threshold) < 0:
        raise ApplicationError(_("The «few» threshold cannot be negative."), field="few_threshold")
    obj, _created = InventorySettings.objects.update_or_create(
        pk=1, defaults={"mode": mode, "few_threshold": few_threshold, "show_warehouses": show_warehouses}
    )
    return obj
