"""Saved lists (order templates): named lists of products and quantities, private to their owner
or shared with the company. Only the owner changes a list; everyone who sees it may order from it."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from optovik.catalog.visibility import product_visible_queryset
from optovik.core.errors import ApplicationError

from ..models import Cart, CartLine, SavedList, SavedListLine
from .quantities import quantity_check, quantity_parse

MAX_LIST_LINES = 1000


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Enter the list's name."), field="name")
    if len(name) > 200:
        raise ApplicationError(_("The name is too long: at most 200 characters."), field="name")
    return name


def _owned(saved_list: SavedList, user) -> None:
    if saved_list.owner_id != user.pk:
        raise ApplicationError(_("Only the list's owner can change it."), field="name")


def saved_list_create(*, owner, client, name: str, shared: bool = False) -> SavedList:
    return SavedList.objects.create(client=client, owner=owner, name=_name(name), shared=bool(shared))


@transaction.atomic
def saved_list_create_from_cart(*, cart: Cart, owner, name: str, shared: bool = False) -> SavedList:
    """Saves the cart's lines as a new list (the cart stays as it is)."""
    lines = list(CartLine.objects.filter(cart=cart).values_list("product_id", "quantity"))
    if not lines:
        raise ApplicationError(_("The cart is empty: there is nothing to save."), field="name")
    saved_list = saved_list_create(owner=owner, client=cart.client, name=name, shared=shared)
    SavedListLine.objects.bulk_create(
        [
            SavedListLine(client_id=cart.client_id, saved_list=saved_list, product_id=pid, quantity=quantity)
            for pid, quantity in lines
        ]
    )
    return saved_list


@transaction.atomic
def saved_list_add(*, saved_list: SavedList, user, contract, product_id, quantity) -> SavedListLine:
    """Adds a product to a list (quantities of a product already in it add up)."""
    _owned(saved_list, user)
    try:
        pid = int(product_id)
    except (TypeError, ValueError):
        pid = None
    product = product_visible_queryset(contract=contract).filter(pk=pid).first() if pid else None
    if product is None:
        raise ApplicationError(_("This product cannot be ordered under the current contract."), field="product")
    amount = quantity_parse(quantity)
    if amount is None:
        raise ApplicationError(_("Enter the quantity as a number."), field="quantity")
    line = SavedListLine.objects.select_for_update().filter(saved_list=saved_list, product=product).first()
    total = amount + (line.quantity if line else Decimal(0))
    quantity_check(product=product, quantity=total)
    if line is None:
        if SavedListLine.objects.filter(saved_list=saved_list).count() >= MAX_LIST_LINES:
            raise ApplicationError(
                _("A list can hold at most %(count)s lines.") % {"count": MAX_LIST_LINES}, field="product"
            )
        return SavedListLine.objects.create(
            client_id=saved_list.client_id, saved_list=saved_list, product=product, quantity=total
        )
    line.quantity = total
    line.save(update_fields=["quantity"])
    return line


def saved_list_update(*, saved_list: SavedList, user, name: str, shared: bool) -> SavedList:
    _owned(saved_list, user)
    saved_list.name = _name(name)
    saved_list.shared = bool(shared)
    saved_list.save(update_fields=["name", "shared", "updated_at"])
    return saved_list


def saved_list_line_remove(*, saved_list: SavedList, user, product_id: int) -> None:
    _owned(saved_list, user)
    SavedListLine.objects.filter(saved_list=saved_list, product_id=product_id).delete()


def saved_list_delete(*, saved_list: SavedList, user) -> None:
    _owned(saved_list, user)
    saved_list.delete()


def saved_list_lines(*, saved_list: SavedList) -> list[tuple[int, Decimal]]:
    return list(SavedListLine.objects.filter(saved_list=saved_list).values_list("product_id", "quantity"))
