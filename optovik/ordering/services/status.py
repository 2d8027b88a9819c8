"""Order status changes: one table of allowed moves, the stock each move frees or ships, and the
customer's cancel / the company admin's approve and reject on top of it."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError
from optovik.inventory.models import Stock
from optovik.inventory.services import stock_write

from ..models import Order, OrderStatus, StockAllocation
from .events import order_event_record
from .stock import stock_release

S = OrderStatus

# Where an order may go from each status. Final statuses lead nowhere.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.AWAITING_APPROVAL: frozenset({S.PLACED, S.REJECTED, S.CANCELLED}),
    S.PLACED: frozenset({S.CONFIRMED, S.ASSEMBLING, S.SHIPPED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.ASSEMBLING, S.SHIPPED, S.CANCELLED}),
    S.ASSEMBLING: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.COMPLETED}),
    S.DELIVERED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REJECTED: frozenset(),
}

# Statuses whose move releases the stock the order keeps aside.
RELEASING = frozenset({S.CANCELLED, S.REJECTED})

# What the customer may cancel themselves.
CUSTOMER_CANCELLABLE = frozenset({S.AWAITING_APPROVAL, S.PLACED})


def order_transitions_allowed(*, order: Order) -> list[str]:
    """The statuses the order may move to now, in the order of ``OrderStatus``."""
    allowed = TRANSITIONS.get(order.status, frozenset())
    return [value for value in S.values if value in allowed]


def order_can_cancel(*, order: Order) -> bool:
    return order.status in CUSTOMER_CANCELLABLE


def _allocations(order: Order) -> list[StockAllocation]:
    return list(StockAllocation.objects.filter(order_line__order=order).order_by("pk"))


def _allocations_ship(allocations: list[StockAllocation]) -> None:
    """Shipped goods leave the warehouse: on hand and reserved both go down by what was allocated."""
    if not allocations:
        return
    by_stock: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for allocation in allocations:
        by_stock[(allocation.product_id, allocation.warehouse_id)] += allocation.quantity
    products = {key[0] for key in by_stock}
    with stock_write(product_ids=products):
        rows = (
            Stock.objects.select_for_update()
            .filter(product_id__in=products, warehouse_id__in={key[1] for key in by_stock})
            .order_by("pk")
        )
        stocks = {(row.product_id, row.warehouse_id): row for row in rows}
        for key, quantity in by_stock.items():
            row = stocks.get(key)
            if row is None:
                continue
            take = min(quantity, row.reserved)
            row.reserved -= take
            row.on_hand = max(row.on_hand - quantity, row.reserved)
            row.save(update_fields=["on_hand", "reserved"])
    StockAllocation.objects.filter(pk__in=[a.pk for a in allocations]).delete()


@transaction.atomic
def order_status_change(*, order: Order, to: str, actor=None, comment: str = "") -> Order:
    """Moves the order to ``to`` if the table allows it, records the event (the people concerned are
    told after commit), releases the stock of a cancelled or rejected order and takes shipped goods
    off the stock. Refuses anything else with a clear message and changes nothing."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if to not in S.values:
        raise ApplicationError(_("Unknown status."), field="status")
    if to not in TRANSITIONS.get(locked.status, frozenset()):
        raise ApplicationError(
            _("An order that is «%(current)s» cannot become «%(new)s».")
            % {"current": locked.get_status_display(), "new": S(to).label},
            field="status",
        )
    status_from = locked.status
    if to in RELEASING:
        stock_release(allocations=_allocations(locked))
    elif to == S.SHIPPED:
        _allocations_ship(_allocations(locked))
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    order_event_record(order=locked, status_from=status_from, status_to=to, actor=actor, comment=comment.strip())
    order.status = locked.status
    order.updated_at = locked.updated_at
    return locked


def order_cancel(*, order: Order, actor, comment: str = "") -> Order:
    """The customer cancels their order: allowed while it awaits approval or is placed."""
    if order.status not in CUSTOMER_CANCELLABLE:
        raise ApplicationError(_("This order can no longer be cancelled. Please contact your manager."))
    with transaction.atomic():
        current = Order.objects.select_for_update().get(pk=order.pk)
        if current.status not in CUSTOMER_CANCELLABLE:
            raise ApplicationError(_("This order can no longer be cancelled. Please contact your manager."))
        return order_status_change(order=order, to=S.CANCELLED, actor=actor, comment=comment)


def _awaiting(order: Order) -> None:
    if order.status != S.AWAITING_APPROVAL:
        raise ApplicationError(_("This order is not awaiting approval."))


def order_approve(*, order: Order, actor, comment: str = "") -> Order:
    """The company admin approves an order: it becomes placed and goes to the supplier."""
    _awaiting(order)
    with transaction.atomic():
        _awaiting(Order.objects.select_for_update().get(pk=order.pk))
        order = order_status_change(order=order, to=S.PLACED, actor=actor, comment=comment)
        from optovik.finance.invoicing import invoice_issue_if_automatic  # finance builds on ordering

        invoice_issue_if_automatic(order=order, actor=actor)
        return order


def order_reject(*, order: Order, actor, comment: str) -> Order:
    """The company admin rejects an order with a reason; its stock is released."""
    if not (comment or "").strip():
        raise ApplicationError(_("Please give the reason for rejecting the order."), field="comment")
    _awaiting(order)
    with transaction.atomic():
        _awaiting(Order.objects.select_for_update().get(pk=order.pk))
        return order_status_change(order=order, to=S.REJECTED, actor=actor, comment=comment)
