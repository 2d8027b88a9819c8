"""Quantity rules every way of buying shares: pack multiplicity, minimum order quantity, the
specification's limit. One message per rule, naming the article."""

from decimal import ROUND_CEILING, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError

MAX_QUANTITY = Decimal("99999999999")  # what a QTY field (14 digits, 3 decimals) holds


def quantity_text(value: Decimal) -> str:
    """A quantity without trailing zeros: 12, 0.5, 1.25."""
    value = Decimal(value).normalize()
    return f"{value:f}"


def quantity_parse(raw) -> Decimal | None:
    """A quantity typed by a person ("12", "1,5", " 3 "), or None when it is not a number."""
    if isinstance(raw, Decimal):
        return raw
    text = str(raw if raw is not None else "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return value


def quantity_problem(*, product, quantity: Decimal, max_quantity: Decimal | None = None) -> str | None:
    """Why ``quantity`` of ``product`` cannot be ordered, or None when it can."""
    article = product.article
    if quantity <= 0:
        return _("%(article)s: the quantity must be greater than zero.") % {"article": article}
    if quantity > MAX_QUANTITY or quantity != quantity.quantize(Decimal("0.001")):
        return _("%(article)s: the quantity %(quantity)s is not valid.") % {
            "article": article,
            "quantity": quantity_text(quantity),
        }
    pack = product.pack_multiplicity or Decimal(1)
    if quantity % pack:
        return _("%(article)s is sold in packs of %(pack)s: enter a multiple of %(pack)s.") % {
            "article": article,
            "pack": quantity_text(pack),
        }
    minimum = product.min_order_quantity or Decimal(0)
    if quantity < minimum:
        return _("%(article)s: the minimum order quantity is %(minimum)s.") % {
            "article": article,
            "minimum": quantity_text(minimum),
        }
    if max_quantity is not None and quantity > max_quantity:
        return _("%(article)s: the contract's specification allows at most %(maximum)s.") % {
            "article": article,
            "maximum": quantity_text(max_quantity),
        }
    return None


def quantity_check(*, product, quantity: Decimal, max_quantity: Decimal | None = None) -> None:
    problem = quantity_problem(product=product, quantity=quantity, max_quantity=max_quantity)
    if problem:
        raise ApplicationError(problem, field="quantity")


def quantity_round_to_pack(*, product, quantity: Decimal) -> Decimal:
    """The nearest orderable quantity at or above ``quantity``: a whole number of packs, at least
    the minimum order quantity."""
    pack = product.pack_multiplicity or Decimal(1)
    minimum = product.min_order_quantity or Decimal(0)
    packs = (max(quantity, minimum) / pack).to_integral_value(rounding=ROUND_CEILING)
    result = max(packs, Decimal(1)) * pack
    while result < minimum:
        result += pack
    return result
