"""The cart: one per user and contract, kept in the database (so it survives signing out)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from optovik.catalog.models import Product
from optovik.catalog.visibility import product_visible_queryset
from optovik.core.errors import ApplicationError

from ..models import Cart, CartLine
from .quantities import MAX_QUANTITY, quantity_check, quantity_parse, quantity_round_to_pack

MAX_CART_LINES = 1000


def cart_get_or_create(*, user, contract) -> Cart:
    """The user's cart for ``contract`` (created on first use)."""
    if contract is None:
        raise ApplicationError(_("Choose a contract first."), field="contract")
    cart = Cart.objects.filter(user=user, contract=contract).first()
    if cart is not None:
        return cart
    try:
        with transaction.atomic():
            return Cart.objects.create(client_id=contract.client_id, user=user, contract=contract)
    except IntegrityError:  # created by a parallel request
        return Cart.objects.get(user=user, contract=contract)


def _touch(cart: Cart) -> None:
    """A change makes the cart fresh again: a new reminder may follow if it is abandoned later."""
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now(), reminder_sent_at=None)


def _visible_product(*, cart: Cart, product_id) -> Product:
    try:
        pid = int(product_id)
    except (TypeError, ValueError):
        pid = None
    product = (
        product_visible_queryset(contract=cart.contract).filter(pk=pid).select_related("unit").first() if pid else None
    )
    if product is None:
        raise ApplicationError(_("This product cannot be ordered under the current contract."), field="product")
    return product


def _quantity(raw) -> Decimal:
    quantity = quantity_parse(raw)
    if quantity is None:
        raise ApplicationError(_("Enter the quantity as a number."), field="quantity")
    return quantity


@transaction.atomic
def cart_add(*, cart: Cart, product_id, quantity) -> CartLine:
    """Adds ``quantity`` of a product (to what the cart already has of it)."""
    product = _visible_product(cart=cart, product_id=product_id)
    quantity = _quantity(quantity)
    if quantity <= 0:
        raise ApplicationError(
            _("%(article)s: the quantity must be greater than zero.") % {"article": product.article}, field="quantity"
        )
    line = CartLine.objects.select_for_update().filter(cart=cart, product=product).first()
    total = quantity + (line.quantity if line else 0)
    quantity_check(product=product, quantity=total)
    if line is None:
        if CartLine.objects.filter(cart=cart).count() >= MAX_CART_LINES:
            raise ApplicationError(
                _("A cart can hold at most %(count)s lines.") % {"count": MAX_CART_LINES}, field="product"
            )
        line = CartLine.objects.create(client_id=cart.client_id, cart=cart, product=product, quantity=total)
    else:
        line.quantity = total
        line.save(update_fields=["quantity"])
    _touch(cart)
    return line


@transaction.atomic
def cart_line_set(*, cart: Cart, product_id, quantity) -> CartLine | None:
    """Sets a line's quantity; zero removes the line (returns None)."""
    product = _visible_product(cart=cart, product_id=product_id)
    quantity = _quantity(quantity)
    if quantity == 0:
        cart_line_remove(cart=cart, product_id=product.pk)
        return None
    quantity_check(product=product, quantity=quantity)
    line, _created = CartLine.objects.update_or_create(
        cart=cart, product=product, defaults={"quantity": quantity, "client_id": cart.client_id}
    )
    _touch(cart)
    return line


def cart_line_remove(*, cart: Cart, product_id) -> None:
    CartLine.objects.filter(cart=cart, product_id=product_id).delete()
    _touch(cart)


def cart_clear(*, cart: Cart) -> None:
    CartLine.objects.filter(cart=cart).delete()
    _touch(cart)


@transaction.atomic
def cart_add_many(*, cart: Cart, items: Iterable[tuple[int, Decimal]]) -> int:
    """Adds already checked (product id, quantity) pairs in a few queries; quantities of products
    the cart already has are added up. Returns the number of lines touched. All or nothing."""
    wanted: dict[int, Decimal] = {}
    for pid, quantity in items:
        wanted[int(pid)] = wanted.get(int(pid), Decimal(0)) + Decimal(quantity)
    if not wanted:
        return 0
    existing = {line.product_id: line for line in CartLine.objects.select_for_update().filter(cart=cart)}
    new_count = len(set(wanted) - set(existing))
    if len(existing) + new_count > MAX_CART_LINES:
        raise ApplicationError(
            _("A cart can hold at most %(count)s lines.") % {"count": MAX_CART_LINES}, field="product"
        )
    changed, created = [], []
    for pid, quantity in wanted.items():
        if pid in existing:
            line = existing[pid]
            line.quantity = min(line.quantity + quantity, MAX_QUANTITY)
            changed.append(line)
        else:
            created.append(CartLine(client_id=cart.client_id, cart=cart, product_id=pid, quantity=quantity))
    CartLine.objects.bulk_update(changed, ["quantity"], batch_size=500)
    CartLine.objects.bulk_create(created, batch_size=500)
    _touch(cart)
    return len(wanted)


def cart_lines_for_checkout(*, cart: Cart) -> list[tuple[int, Decimal]]:
    return list(CartLine.objects.filter(cart=cart).order_by("added_at", "pk").values_list("product_id", "quantity"))


def cart_lines_remove_ordered(*, cart: Cart, product_ids: Iterable[int]) -> None:
    """After checkout: the ordered products leave the cart."""
    CartLine.objects.filter(cart=cart, product_id__in=list(product_ids)).delete()
    _touch(cart)


@dataclass
class AddReport:
    """What ``cart_add_available`` did with each line."""

    added: list[tuple[str, Decimal]] = field(default_factory=list)  # (article, quantity)
    reduced: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)  # (article, wanted, added)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (article, why)


@transaction.atomic
def cart_add_available(*, cart: Cart, lines: Iterable[tuple[int, Decimal]]) -> AddReport:
    """Adds what can be ordered now of (product id, quantity) lines — a repeated order, a saved
    list: products the contract may buy, with a price and in stock; a quantity above the stock is
    lowered to what is available (in whole packs). Reports the rest."""
    from optovik.inventory.selectors import availability_for_products
    from optovik.pricing.resolver import prices_resolve

    wanted: dict[int, Decimal] = {}
    for pid, quantity in lines:
        wanted[int(pid)] = wanted.get(int(pid), Decimal(0)) + Decimal(quantity)
    report = AddReport()
    if not wanted:
        return report
    products = {p.pk: p for p in Product.objects.filter(pk__in=wanted)}
    visible = set(product_visible_queryset(contract=cart.contract).filter(pk__in=wanted).values_list("pk", flat=True))
    prices = prices_resolve(contract=cart.contract, items=list(wanted.items()), one_order=True)
    stock = availability_for_products(product_ids=list(wanted))
    in_cart = dict(CartLine.objects.filter(cart=cart).values_list("product_id", "quantity"))
    to_add = []
    for pid, quantity in wanted.items():
        product = products.get(pid)
        if product is None:
            continue
        if pid not in visible:
            archived = product.status == Product.Status.ARCHIVED
            why = _("no longer sold") if archived else _("cannot be ordered under this contract")
            report.skipped.append((product.article, why))
            continue
        if not prices.get(pid) or not prices[pid].is_priced:
            report.skipped.append((product.article, _("has no price")))
            continue
        quantity = quantity_round_to_pack(product=product, quantity=quantity)
        available = stock[pid].available - in_cart.get(pid, Decimal(0))
        pack = product.pack_multiplicity or Decimal(1)
        can = min(quantity, (available // pack) * pack) if available > 0 else Decimal(0)
        if can <= 0 or can < (product.min_order_quantity or 0):
            report.skipped.append((product.article, _("out of stock")))
            continue
        to_add.append((pid, can))
        if can < quantity:
            report.reduced.append((product.article, quantity, can))
        else:
            report.added.append((product.article, can))
    cart_add_many(cart=cart, items=to_add)
    return report
