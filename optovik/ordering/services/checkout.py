"""Placing an order: the checks, the prices, the number, the stock — in one transaction.

Locks are taken in one fixed order — the contract row, the stock rows (by primary key), the
order counter last — so concurrent checkouts queue instead of deadlocking, and the counter (the
one row every checkout shares) is held only for the last statement before the commit.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from optovik.catalog.models import Product
from optovik.catalog.visibility import product_visible_queryset
from optovik.core.errors import ApplicationError
from optovik.customers.models import Contract, DeliveryAddress, LegalEntity
from optovik.customers.permissions import Perm
from optovik.finance.services import credit_check
from optovik.inventory.models import Warehouse
from optovik.pricing.resolver import prices_resolve

from ..models import DeliveryMethod, Order, OrderChannel, OrderCounter, OrderLine, OrderStatus
from ..selectors import price_base_gross
from .approval import approval_required
from .events import order_event_record
from .quantities import quantity_check, quantity_parse
from .stock import stock_allocate

ZERO = Decimal(0)
MAX_LINES = 1000


def order_number_next(*, year: int) -> str:
    """The next order number of ``year`` (``2026-000123``), taken under the counter's row lock in
    the caller's transaction: a rollback gives the number back, so there are no gaps."""
    table = connection.ops.quote_name(OrderCounter._meta.db_table)
    with connection.cursor() as cursor:
        sql = f"UPDATE {table} SET last_number = last_number + 1 WHERE year = %s RETURNING last_number"  # noqa: S608
        cursor.execute(sql, [year])
        row = cursor.fetchone()
        if row is None:  # the year's first order
            OrderCounter.objects.bulk_create([OrderCounter(year=year, last_number=0)], ignore_conflicts=True)
            cursor.execute(sql, [year])
            row = cursor.fetchone()
    return f"{year}-{row[0]:06d}"


def _member_check(*, user, legal_entity: LegalEntity, channel: str) -> None:
    """A customer orders only for a legal entity they may act for, and only with a role that orders."""
    if channel != OrderChannel.PORTAL or user is None or getattr(user, "is_staff", False):
        return
    from django.db.models import Count, Q

    from optovik.customers.models import Membership
    from optovik.customers.permissions import permissions_for

    # One query: the role, how many legal entities the member is limited to, and whether this is one.
    membership = (
        Membership.objects.filter(user=user, client_id=legal_entity.client_id, is_active=True)
        .annotate(
            limits=Count("legal_entities", filter=Q(legal_entities__is_active=True)),
            allowed=Count("legal_entities", filter=Q(legal_entities=legal_entity.pk)),
        )
        .values("role", "can_place_orders", "limits", "allowed")
        .first()
    )
    if membership is None:
        raise ApplicationError(_("You cannot order for this company."), field="legal_entity")
    if Perm.PLACE_ORDERS not in permissions_for(membership["role"], can_place_orders=membership["can_place_orders"]):
        raise ApplicationError(_("Your role does not allow placing orders."), field="legal_entity")
    if membership["limits"] and not membership["allowed"]:
        raise ApplicationError(
            _("You cannot order for %(legal_entity)s.") % {"legal_entity": legal_entity.short_name},
            field="legal_entity",
        )


def _lines_merge(lines) -> dict[int, Decimal]:
    merged: dict[int, Decimal] = {}
    for product_id, raw in lines:
        quantity = quantity_parse(raw)
        if quantity is None:
            raise ApplicationError(_("A quantity is not a number."), field="quantity")
        merged[int(product_id)] = merged.get(int(product_id), ZERO) + quantity
    return merged


def _delivery(
    *, legal_entity, delivery_method, warehouse, delivery_address, delivery_address_text
) -> tuple[Warehouse | None, DeliveryAddress | None, str]:
    if delivery_method == DeliveryMethod.PICKUP:
        if warehouse is None:
            raise ApplicationError(_("Choose the warehouse to pick the order up from."), field="warehouse")
        if not (warehouse.is_active and warehouse.is_pickup_point):
            raise ApplicationError(_("Orders cannot be picked up at this warehouse."), field="warehouse")
        return warehouse, None, ""
    if delivery_method != DeliveryMethod.DELIVERY:
        raise ApplicationError(_("Choose pickup or delivery."), field="delivery_method")
    if delivery_address is not None:
        if delivery_address.legal_entity_id != legal_entity.pk:
            raise ApplicationError(_("Choose one of the legal entity's delivery addresses."), field="delivery_address")
        return None, delivery_address, delivery_address.address
    text = (delivery_address_text or "").strip()
    if not text:
        raise ApplicationError(_("Enter the delivery address."), field="delivery_address")
    return None, None, text[:500]


@transaction.atomic
def order_place(
    *,
    user,
    legal_entity: LegalEntity,
    contract: Contract,
    lines: Sequence[tuple[int, Decimal]],
    delivery_method: str,
    warehouse: Warehouse | None = None,
    delivery_address: DeliveryAddress | None = None,
    delivery_address_text: str = "",
    desired_date: dt.date | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    comment: str = "",
    po_number: str = "",
    channel: str = OrderChannel.PORTAL,
    source_order: Order | None = None,
) -> Order:
    """Places an order for ``lines`` — (product id, quantity) pairs — and returns it.

    Checks the contract (valid today, of this legal entity, the customer may order for it), every
    line (visible to the contract, priced, pack multiplicity, minimum quantity, the specification's
    limit), the delivery, the credit limit and overdue debt; copies the prices from the resolver,
    reserves the stock, numbers the order and records its first status (placed, or awaiting
    approval when a company rule says so). A refusal raises ``ApplicationError`` and leaves nothing
    behind."""
    now = timezone.now()
    today = timezone.localdate(now)
    if contract.legal_entity_id != legal_entity.pk or contract.client_id != legal_entity.client_id:
        raise ApplicationError(_("The contract does not belong to the legal entity."), field="contract")
    if not legal_entity.is_active:
        raise ApplicationError(_("The legal entity is not active."), field="legal_entity")
    _member_check(user=user, legal_entity=legal_entity, channel=channel)
    # The contract row is the per-contract lock: concurrent orders of one contract pass the credit
    # check one at a time.
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not contract.is_valid_on(today):
        raise ApplicationError(
            _("Contract %(contract)s is not valid today: orders cannot be placed under it.")
            % {"contract": contract.number},
            field="contract",
        )
    quantities = _lines_merge(lines)
    if not quantities:
        raise ApplicationError(_("The order has no lines."), field="lines")
    if len(quantities) > MAX_LINES:
        raise ApplicationError(_("An order can have at most %(count)s lines.") % {"count": MAX_LINES}, field="lines")
    if desired_date is not None and desired_date < today:
        raise ApplicationError(_("The desired date cannot be in the past."), field="desired_date")
    warehouse, delivery_address, address_text = _delivery(
        legal_entity=legal_entity,
        delivery_method=delivery_method,
        warehouse=warehouse,
        delivery_address=delivery_address,
        delivery_address_text=delivery_address_text,
    )

    products = {
        p.pk: p
        for p in product_visible_queryset(contract=contract)
        .filter(pk__in=quantities)
        .select_related("unit")
        .only(
            "pk",
            "article",
            "name",
            "status",
            "pack_multiplicity",
            "min_order_quantity",
            "weight_kg",
            "volume_m3",
            "unit__name",
        )
    }
    for pid in quantities:
        if pid not in products:
            article = Product.objects.filter(pk=pid).values_list("article", flat=True).first()
            if article is None:
                raise ApplicationError(_("A product of the order no longer exists."), field="lines")
            raise ApplicationError(
                _("%(article)s cannot be ordered under this contract.") % {"article": article}, field="lines"
            )
    prices = prices_resolve(contract=contract, items=list(quantities.items()))
    order_lines, total_net, total_vat, total_gross, weight, volume = [], ZERO, ZERO, ZERO, ZERO, ZERO
    for pid, quantity in quantities.items():
        product, price = products[pid], prices.get(pid)
        quantity_check(product=product, quantity=quantity, max_quantity=price.max_quantity if price else None)
        if price is None or not price.is_priced:
            raise ApplicationError(
                _("%(article)s has no price: ask your manager for one.") % {"article": product.article},
                field="lines",
            )
        line = OrderLine(
            product_id=pid,
            article=product.article,
            name=product.name[:500],
            unit=product.unit.name,
            quantity=quantity,
            price_net=price.unit_net,
            price_gross=price.unit_gross,
            base_price_gross=price_base_gross(price),
            discount_percent=price.discount_percent,
            vat_rate=None if price.vat_exempt else price.vat_rate,
            amount_net=price.line_net,
            amount_vat=price.line_vat,
            amount_gross=price.line_gross,
        )
        order_lines.append(line)
        total_net += line.amount_net
        total_vat += line.amount_vat
        total_gross += line.amount_gross
        weight += (product.weight_kg or ZERO) * quantity
        volume += (product.volume_m3 or ZERO) * quantity

    credit_check(contract=contract, amount=total_gross)

    order = Order(
        client_id=legal_entity.client_id,
        legal_entity=legal_entity,
        contract=contract,
        placed_by=user,
        number=f"~{uuid.uuid4().hex[:30]}",  # the real number is taken last, see the module's docstring
        status=OrderStatus.PLACED,
        channel=channel,
        placed_at=now,
        delivery_method=delivery_method,
        warehouse=warehouse,
        delivery_address=delivery_address,
        delivery_address_text=address_text,
        desired_date=desired_date,
        contact_name=(contact_name or "").strip()[:255],
        contact_phone=(contact_phone or "").strip()[:16],
        comment=(comment or "").strip(),
        po_number=(po_number or "").strip()[:64],
        currency=contract.currency,
        total_net=total_net,
        total_vat=total_vat,
        total_gross=total_gross,
        total_weight_kg=weight.quantize(Decimal("0.001")),
        total_volume_m3=volume.quantize(Decimal("0.000001")),
        source_order=source_order,
    )
    if approval_required(order=order):
        order.status = OrderStatus.AWAITING_APPROVAL
    order.save()
    for line in order_lines:
        line.client_id = order.client_id
        line.order = order
    OrderLine.objects.bulk_create(order_lines)
    stock_allocate(lines=order_lines, preferred_warehouse_id=warehouse.pk if warehouse else None, owner=order)
    order.number = order_number_next(year=timezone.localtime(now).year)
    Order.objects.filter(pk=order.pk).update(number=order.number)
    order_event_record(order=order, status_from="", status_to=order.status, actor=user)
    if order.status == OrderStatus.PLACED:
        from optovik.finance.invoicing import invoice_issue_if_automatic  # finance builds on ordering

        invoice_issue_if_automatic(order=order, actor=user)
    return order


@transaction.atomic
def order_place_from_cart(*, cart, user, legal_entity: LegalEntity, **details) -> Order:
    """Places the cart's lines as an order (``details`` as in ``order_place``) and empties the cart
    of them, in the same transaction: a refused order leaves the cart as it was."""
    from .cart import cart_lines_for_checkout, cart_lines_remove_ordered

    lines = cart_lines_for_checkout(cart=cart)
    if not lines:
        raise ApplicationError(_("The cart is empty."), field="lines")
    order = order_place(user=user, legal_entity=legal_entity, contract=cart.contract, lines=lines, **details)
    cart_lines_remove_ordered(cart=cart, product_ids=[pid for pid, _q in lines])
    return order
