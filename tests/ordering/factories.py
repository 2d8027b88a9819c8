"""Catalog, prices and stock for ordering tests: products with a price and stock in one call."""

from decimal import Decimal

from optovik.catalog.models import Category, Product, Unit, VatRate
from optovik.catalog.services import product_create
from optovik.inventory.models import Stock, Warehouse
from optovik.inventory.services import stock_set
from optovik.pricing.models import Price, PriceType, SpecificationItem


def vat_rate() -> VatRate:
    defaults = {"name": "22%", "rate": Decimal(22), "is_default": True}
    return VatRate.objects.get_or_create(code="vat22", defaults=defaults)[0]


def unit(name: str = "шт", okei: str = "796") -> Unit:
    return Unit.objects.get_or_create(okei_code=okei, defaults={"name": name})[0]


def category(name: str = "Крепёж") -> Category:
    found = Category.objects.filter(name=name).first()
    if found:
        return found
    cat = Category.objects.create(name=name, slug=f"cat-{Category.objects.count() + 1}")
    cat.path = f"/{cat.pk}/"
    cat.save(update_fields=["path"])
    return cat


def price_type() -> PriceType:
    return PriceType.objects.get_or_create(
        code="wholesale", defaults={"name": "Опт", "is_default": True, "vat_included": True}
    )[0]


def warehouse(code: str = "main", *, pickup: bool = True, sort_order: int = 0, name: str | None = None) -> Warehouse:
    return Warehouse.objects.get_or_create(
        code=code,
        defaults={"name": name or f"Склад {code}", "is_pickup_point": pickup, "sort_order": sort_order},
    )[0]


def product(
    article: str,
    *,
    price: Decimal | str | None = "100.00",
    stock: dict | int | str | None = 100,
    pack: Decimal | str = "1",
    minimum: Decimal | str = "1",
    name: str | None = None,
    weight: Decimal | str | None = "0.5",
    volume: Decimal | str | None = "0.001",
    unit_name: str = "шт",
) -> Product:
    """A product priced in the default price type, with ``stock`` on hand (an int: at the main
    warehouse; a dict: {warehouse: quantity})."""
    p = product_create(
        article=article,
        name=name or f"Товар {article}",
        category=category(),
        unit=unit(unit_name, "796" if unit_name == "шт" else "166"),
        vat_rate=vat_rate(),
        pack_multiplicity=Decimal(pack),
        min_order_quantity=Decimal(minimum),
        weight_kg=None if weight is None else Decimal(weight),
        volume_m3=None if volume is None else Decimal(volume),
    )
    if price is not None:
        Price.objects.create(product=p, price_type=price_type(), price=Decimal(price))
    if stock is not None:
        if not isinstance(stock, dict):
            stock = {warehouse(): stock}
        for wh, qty in stock.items():
            stock_set(product_id=p.pk, warehouse_id=wh.pk, on_hand=Decimal(qty))
    return p


def in_specification(contract, *products, fixed_price=None, max_quantity=None) -> None:
    for p in products:
        SpecificationItem.objects.create(
            contract=contract,
            product=p,
            fixed_price=None if fixed_price is None else Decimal(fixed_price),
            max_quantity=None if max_quantity is None else Decimal(max_quantity),
        )


def stock_of(p: Product, wh: Warehouse | None = None) -> tuple[Decimal, Decimal]:
    """(on hand, reserved) of a product at a warehouse (the main one by default)."""
    s = Stock.objects.get(product=p, warehouse=wh or warehouse())
    return s.on_hand, s.reserved
