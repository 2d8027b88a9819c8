"""Placing an order: the checks, the prices, the number, the stock — in one transaction.

Locks are taken in one fixed order — the contract row, the products and their stock rows (by
primary key), the order counter last — so concurrent checkouts queue instead of deadlocking, and
the counter (the one row every checkout shares) is held only for the last statement before the
commit. A service that writes stock before it places an order in the same transaction (turning a
hold into an order) takes the contract's lock first too (``contract_lock``).

Every order goes through here, so the statements are few (about a dozen for an order, whatever
its size): the contract lock also reads the member's role and whether the company has approval
rules, the resolver reads all pricing tables in two queries, the credit check in one, and on
PostgreSQL the number is taken and written in one statement.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from optovik.catalog.models import Product
from optovik.catalog.visibility import product_visible_queryset
from optovik.core.errors import ApplicationError
from optovik.core.rawsql import table
from optovik.customers.models import Contract, DeliveryAddress, LegalEntity, Membership
from optovik.customers.permissions import Perm, permissions_for
from optovik.finance.services import credit_check
from optovik.inventory.models import Warehouse
from optovik.pricing.resolver import prices_resolve

from ..models import ApprovalRule, DeliveryMethod, Order, OrderChannel, OrderCounter, OrderLine, OrderStatus
from ..selectors import price_base_gross
from .approval import approval_required
from .events import order_event_record
from .quantities import quantity_check, quantity_parse
from .stock import stock_allocate

ZERO = Decimal(0)
MAX_LINES = 1000


class _Product(NamedTuple):
    """What an order line copies of a product, and what the quantity rules read."""

    pk: int
    article: str
    name: str
    pack_multiplicity: Decimal
    min_order_quantity: Decimal
    weight_kg: Decimal | None
    volume_m3: Decimal | None
    unit__name: str


def order_number_next(*, year: int) -> str:
    """The next order number of ``year`` (``2026-000123``), taken under the counter's row lock in
    the caller's transaction: a rollback gives the number back, so there are no gaps."""
    table = connection.ops.quote_name(OrderCounter._meta.db_table)
    with connection.cursor() as cursor:
        sql = f"UPDATE {table} SET last_number = last_number + 1 WHERE year = %s RETURNING last_number"  # noqa: S608
        cursor.execute(sql, [year])
        row = cursor.fetchone()
        if row is None:  # the year's first order
            _counter_create(year=year)
            cursor.execute(sql, [year])
            row = cursor.fetchone()
    return f"{year}-{row[0]:06d}"


def _counter_create(*, year: int) -> None:
    OrderCounter.objects.bulk_create([OrderCounter(year=year, last_number=0)], ignore_conflicts=True)


def _order_number_assign(*, order: Order, year: int) -> None:
    """Numbers ``order`` (already saved) with the next number of ``year`` — the last statement of
    the checkout, so the counter's row lock is held only until the commit. On PostgreSQL the
    counter and the order are updated in one statement."""
    if connection.vendor != "postgresql":
        order.number = order_number_next(year=year)
        Order.objects.filter(pk=order.pk).update(number=order.number)
        return
    sql = (
        f"WITH n AS (UPDATE {table(OrderCounter)} SET last_number = last_number + 1 "  # noqa: S608
        "WHERE year = %s RETURNING last_number::text AS digits) "
        f"UPDATE {table(Order)} "
        "SET number = %s || '-' || LPAD(n.digits, GREATEST(LENGTH(n.digits), 6), '0') "
        "FROM n WHERE id = %s RETURNING number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, str(year), order.pk])
        row = cursor.fetchone()
        if row is None:  # the year's first order
            _counter_create(year=year)
            cursor.execute(sql, [year, str(year), order.pk])
            row = cursor.fetchone()
    order.number = row[0]


def _contract_locked(*, contract: Contract, legal_entity: LegalEntity, user_id: int | None) -> Contract:
    """The contract row, locked (on PostgreSQL) for the rest of the transaction, read again with
    the lock. In the same query: whether the company has an active approval rule
    (``approval_rules``), and the active membership of ``user_id`` in the company, if any
    (``member_role``, ``member_can_place_orders``; ``member_limits``: how many active legal
    entities the member is limited to; ``member_allowed``: whether this legal entity is one).

    The contract was resolved by the caller inside the tenancy scope (and must still be of the
    legal entity's company); the rows read with it belong to that company."""
    limits = Membership.legal_entities.through
    sql = (
        "SELECT c.*, "  # noqa: S608
        f"EXISTS (SELECT 1 FROM {table(ApprovalRule)} r WHERE r.client_id = c.client_id AND r.is_active) "
        "AS approval_rules, "
        "m.id AS member_id, m.role AS member_role, m.can_place_orders AS member_can_place_orders, "
        f"(SELECT COUNT(*) FROM {table(limits)} ml JOIN {table(LegalEntity)} le "
        "ON le.id = ml.legalentity_id WHERE ml.membership_id = m.id AND le.is_active) AS member_limits, "
        f"(SELECT COUNT(*) FROM {table(limits)} ml "
        "WHERE ml.membership_id = m.id AND ml.legalentity_id = %s) AS member_allowed "
        f"FROM {table(Contract)} c LEFT JOIN {table(Membership)} m "
        "ON m.user_id = %s AND m.client_id = %s AND m.is_active "
        "WHERE c.id = %s AND c.client_id = %s"
    )
    if connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF c"
    client_id = legal_entity.client_id
    params = [legal_entity.pk, user_id, client_id, contract.pk, client_id]
    found = list(Contract.objects.raw(sql, params))
    if not found:
        raise Contract.DoesNotExist("The contract no longer exists.")
    return found[0]


def contract_lock(*, contract: Contract, legal_entity: LegalEntity) -> Contract:
    """Locks the contract row for the rest of the transaction, as ``order_place`` does first; for a
    service that locks products or stock before placing an order under the contract, so that it
    waits behind the contract's checkouts instead of holding a product one of them waits for."""
    return _contract_locked(contract=contract, legal_entity=legal_entity, user_id=None)


def _member_check(*, locked: Contract, legal_entity: LegalEntity) -> None:
    """A customer orders only for a legal entity they may act for, and only with a role that
    orders (the membership as ``_contract_locked`` read it)."""
    if locked.member_id is None:
        raise ApplicationError(_("You cannot order for this company."), field="legal_entity")
    if Perm.PLACE_ORDERS not in permissions_for(
        locked.member_role, can_place_orders=bool(locked.member_can_place_orders)
    ):
        raise ApplicationError(_("Your role does not allow placing orders."), field="legal_entity")
    if locked.member_limits and not locked.member_allowed:
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
    # The contract row is the per-contract lock: concurrent orders of one contract pass the credit
    # check one at a time.
    member_check = channel == OrderChannel.PORTAL and user is not None and not getattr(user, "is_staff", False)
    contract = _contract_locked(contract=contract, legal_entity=legal_entity, user_id=user.pk if member_check else None)
    if member_check:
        _member_check(locked=contract, legal_entity=legal_entity)
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
        row[0]: _Product(*row)
        for row in product_visible_queryset(contract=contract)
        .filter(pk__in=quantities)
        .order_by()
        .values_list(*_Product._fields)
    }
    for pid in quantities:
        if pid not in products:
            article = Product.objects.filter(pk=pid).values_list("article", flat=True).first()
            if article is None:
                raise ApplicationError(_("A product of the order no longer exists."), field="lines")
            raise ApplicationError(
                _("%(article)s cannot be ordered under this contract.") % {"article": article}, field="lines"
            )
    prices = prices_resolve(contract=contract, items=list(quantities.items()), one_order=True)
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
            unit=product.unit__name,
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
    if contract.approval_rules and approval_required(order=order):
        order.status = OrderStatus.AWAITING_APPROVAL
    order.save()
    for line in order_lines:
        line.client_id = order.client_id
        line.order = order
    OrderLine.objects.bulk_create(order_lines)
    stock_allocate(lines=order_lines, preferred_warehouse_id=warehouse.pk if warehouse else None, owner=order)
    order_event_record(order=order, status_from="", status_to=order.status, actor=user)
    _order_number_assign(order=order, year=timezone.localtime(now).year)
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
