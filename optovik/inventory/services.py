"""Writes of stock levels and arrivals (imports from the ERP call these)."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError

from .models import InventorySettings, Stock


@transaction.atomic
def stock_set(*, product_id: int, warehouse_id: int, on_hand: Decimal, reserved: Decimal = Decimal(0)) -> Stock:
    """Sets the stock of a product in a warehouse (an upsert)."""
    on_hand, reserved = Decimal(on_hand), Decimal(reserved)
    if on_hand < 0:
        raise ApplicationError(_("Stock on hand cannot be negative."), field="on_hand")
    if reserved < 0 or reserved > on_hand:
        raise ApplicationError(_("Reserved stock must be between zero and the stock on hand."), field="reserved")
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
