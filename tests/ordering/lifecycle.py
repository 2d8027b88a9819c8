"""Data builders for the order lifecycle tests: products with stock, and orders made directly as rows
(placement itself is tested with the checkout; here an order only has to exist, with its stock
kept aside as placement leaves it)."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from optovik.catalog.models import Category, Product, Unit, VatRate
from optovik.inventory.models import Stock, Warehouse
from optovik.inventory.services import stock_set
from optovik.ordering.models import Order, OrderLine, OrderStatus, StockAllocation

_seq = itertools.count(1)


def warehouse(code: str = "main", *, pickup: bool = True) -> Warehouse:
    return Warehouse.objects.get_or_create(code=code, defaults={"name": code.title(), "is_pickup_point": pickup})[0]


def product(*, article: str | None = None, name: str = "Цемент М500", on_hand=100, wh: Warehouse | None = None):
    n = next(_seq)
    vat = VatRate.objects.get_or_create(code="vat22", defaults={"name": "22%", "rate": Decimal(22)})[0]
    unit = Unit.objects.get_or_create(okei_code="796", defaults={"name": "шт"})[0]
    category = Category.objects.get_or_create(name="Прочее", slug="misc-goods")[0]
    item = Product.objects.create(
        article=article or f"ART-{n:05d}", name=f"{name} {n}", category=category, unit=unit, vat_rate=vat
    )
    stock_set(product_id=item.pk, warehouse_id=(wh or warehouse()).pk, on_hand=Decimal(on_hand))
    return item


def stock(item: Product, wh: Warehouse | None = None) -> Stock:
    return Stock.objects.get(product=item, warehouse=wh or warehouse())


def order_make(
    *,
    contract,
    user,
    lines,
    status: str = OrderStatus.PLACED,
    placed_at=None,
    allocate: bool = True,
) -> Order:
    """An order with ``lines`` = [(product, quantity, price_gross)], stock allocated at the main
    warehouse when ``allocate``."""
    n = next(_seq)
    le = contract.legal_entity
    order = Order.objects.create(
        client_id=le.client_id,
        legal_entity=le,
        contract=contract,
        placed_by=user,
        number=f"2026-{n:06d}",
        status=status,
        placed_at=placed_at or timezone.now(),
        delivery_method="pickup",
        warehouse=warehouse(),
    )
    total = Decimal(0)
    for item, quantity, price in lines:
        quantity, price = Decimal(quantity), Decimal(price)
        amount = quantity * price
        line = OrderLine.objects.create(
            client_id=le.client_id,
            order=order,
            product=item,
            article=item.article,
            name=item.name,
            unit="шт",
            quantity=quantity,
            price_net=price,
            price_gross=price,
            amount_net=amount,
            amount_vat=Decimal(0),
            amount_gross=amount,
        )
        total += amount
        if allocate:
            row = stock(item)
            row.reserved += quantity
            row.save()
            StockAllocation.objects.create(
                client_id=le.client_id, order_line=line, product=item, warehouse=row.warehouse, quantity=quantity
            )
    order.total_gross = order.total_net = total
    order.save()
    return order


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def company_objects(*, legal_entity):
    """An order awaiting approval, an active reservation and a confirmed demand plan of a legal
    entity: what another company's users must not reach."""
    from optovik.customers.models import Contract, Membership
    from optovik.ordering.models import DemandPlan, DemandPlanLine, DemandPlanStatus, Hold, HoldLine

    contract = Contract.objects.filter(legal_entity=legal_entity).first()
    user = Membership.objects.filter(client_id=legal_entity.client_id).first().user
    item = product()
    order = order_make(contract=contract, user=user, lines=[(item, 1, 10)], status=OrderStatus.AWAITING_APPROVAL)
    hold = Hold.objects.create(
        client_id=legal_entity.client_id,
        legal_entity=legal_entity,
        contract=contract,
        user=user,
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    HoldLine.objects.create(client_id=hold.client_id, hold=hold, product=item, quantity=Decimal(1))
    plan = DemandPlan.objects.create(
        client_id=legal_entity.client_id,
        legal_entity=legal_entity,
        contract=contract,
        month=dt.date(2030, 1, 1),
        status=DemandPlanStatus.CONFIRMED,
    )
    DemandPlanLine.objects.create(
        client_id=plan.client_id, plan=plan, product=item, quantity=Decimal(1), confirmed_quantity=Decimal(1)
    )
    return type("CompanyObjects", (), {"order": order, "hold": hold, "plan": plan})
