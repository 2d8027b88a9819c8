"""Reservations without an order (holds): the cart put aside for a few days (``HOLD_DAYS``),
released by the customer, by expiry (a periodic task), or turned into an order."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError

from ..models import Cart, CartLine, Hold, HoldLine, HoldStatus, Order, StockAllocation
from .checkout import contract_lock, order_place
from .stock import stock_allocate, stock_release


def _hold_allocations(hold: Hold) -> list[StockAllocation]:
    return list(StockAllocation.objects.filter(hold_line__hold=hold).order_by("pk"))


@transaction.atomic
def hold_create(*, user, legal_entity, contract, days: int | None = None) -> Hold:
    """Puts the user's cart for ``contract`` aside: its lines become a hold keeping their stock for
    ``days`` (the supplier's ``HOLD_DAYS`` by default) and the cart is emptied. All or nothing: when
    any line lacks stock, nothing is reserved and the cart stays as it was."""
    if contract.legal_entity_id != legal_entity.pk:
        raise ApplicationError(_("The contract does not belong to the legal entity."), field="contract")
    cart = Cart.objects.filter(user=user, contract=contract).first()
    lines = list(CartLine.objects.filter(cart=cart).order_by("pk")) if cart else []
    if not lines:
        raise ApplicationError(_("The cart is empty: there is nothing to reserve."))
    days = settings.HOLD_DAYS if days is None else days
    hold = Hold.objects.create(
        client_id=legal_entity.client_id,
        legal_entity=legal_entity,
        contract=contract,
        user=user,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    HoldLine.objects.bulk_create(
        HoldLine(client_id=hold.client_id, hold=hold, product_id=line.product_id, quantity=line.quantity)
        for line in lines
    )
    hold_lines = list(HoldLine.objects.filter(hold=hold).order_by("pk"))
    stock_allocate(lines=hold_lines, owner=hold)
    CartLine.objects.filter(cart=cart).delete()
    cart.save(update_fields=["updated_at"])
    return hold


def _locked_active(hold: Hold) -> Hold:
    locked = Hold.objects.select_for_update().get(pk=hold.pk)
    if locked.status != HoldStatus.ACTIVE:
        raise ApplicationError(_("This reservation is no longer active."))
    return locked


@transaction.atomic
def hold_release(*, hold: Hold, status: str = HoldStatus.RELEASED) -> Hold:
    """Gives the held stock back; the hold becomes released (or expired)."""
    locked = _locked_active(hold)
    stock_release(allocations=_hold_allocations(locked))
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    hold.status = locked.status
    return locked


def holds_expire(*, now: dt.datetime | None = None) -> int:
    """Releases every active hold whose time is up; returns how many. Each hold in its own
    transaction, so one failure does not keep the others' stock."""
    now = now or timezone.now()
    expired = 0
    for hold in Hold.objects.filter(status=HoldStatus.ACTIVE, expires_at__lte=now).order_by("pk"):
        try:
            hold_release(hold=hold, status=HoldStatus.EXPIRED)
        except ApplicationError:
            continue  # released or converted meanwhile
        expired += 1
    return expired


@transaction.atomic
def hold_convert(*, hold: Hold, user, **order_fields) -> Order:
    """Turns an active hold into an order in one transaction: the held stock is given back and the
    order (``order_place`` with the hold's lines and ``order_fields``: delivery, contact, …) takes
    it at once. When the order is refused, the hold keeps its stock as before.

    The contract is locked before the stock is given back, in the order a checkout takes its locks
    (contract, then products): a checkout of the same contract and product at the same moment
    waits or is waited for, never both."""
    locked = _locked_active(hold)
    if locked.expires_at <= timezone.now():
        raise ApplicationError(_("This reservation has expired."))
    contract_lock(contract=locked.contract, legal_entity=locked.legal_entity)
    lines = [(line.product_id, line.quantity) for line in HoldLine.objects.filter(hold=locked).order_by("pk")]
    stock_release(allocations=_hold_allocations(locked))
    order = order_place(
        user=user, legal_entity=locked.legal_entity, contract=locked.contract, lines=lines, **order_fields
    )
    locked.status = HoldStatus.CONVERTED
    locked.order = order
    locked.save(update_fields=["status", "order", "updated_at"])
    hold.status, hold.order = locked.status, order
    return order
