"""Reads of carts, saved lists and orders, in a fixed number of queries whatever their size."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from optovik.catalog.visibility import product_visible_queryset
from optovik.core.money import gross_from_net, round_money
from optovik.inventory.selectors import Availability, availability_for_products
from optovik.pricing.resolver import ResolvedPrice, Source, prices_resolve

from .models import Cart, CartLine, Order, OrderLine, OrderStatus, SavedList, SavedListLine
from .services.quantities import quantity_problem, quantity_text

ZERO = Decimal(0)


def price_base_gross(price: ResolvedPrice) -> Decimal | None:
    """The price with VAT before the resolver's discount, when a discount applies."""
    if price.source != Source.PRICE_TYPE or price.base_price is None or not price.discount_percent:
        return None
    if price.vat_included:
        return round_money(price.base_price)
    return gross_from_net(price.base_price, price.vat_rate)


@dataclass
class BuyRow:
    """A product line as a buyer sees it: a cart line or a saved list line."""

    line: object
    product: object
    quantity: Decimal
    price: ResolvedPrice | None
    availability: Availability | None
    problem: str | None = None  # why it cannot be ordered as it is
    short: bool = False  # more than is available
    amount_gross: Decimal | None = None
    base_amount_gross: Decimal | None = None
    weight: Decimal = ZERO
    volume: Decimal = ZERO

    @property
    def step(self) -> str:
        return quantity_text(self.product.pack_multiplicity or 1)

    @property
    def minimum(self) -> str:
        pack = self.product.pack_multiplicity or Decimal(1)
        minimum = max(self.product.min_order_quantity or pack, pack)
        packs = -(-minimum // pack)
        return quantity_text(packs * pack)


@dataclass
class Totals:
    count: int = 0
    net: Decimal = ZERO
    vat: Decimal = ZERO
    gross: Decimal = ZERO
    base_gross: Decimal = ZERO  # before discounts
    weight: Decimal = ZERO
    volume: Decimal = ZERO
    unpriced: int = 0
    currency: str = "RUB"

    @property
    def discount(self) -> Decimal:
        return max(self.base_gross - self.gross, ZERO)


@dataclass
class BuyView:
    rows: list[BuyRow] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)

    @property
    def has_problems(self) -> bool:
        return any(r.problem for r in self.rows)

    @property
    def has_shortages(self) -> bool:
        return any(r.short for r in self.rows)

    @property
    def can_checkout(self) -> bool:
        return bool(self.rows) and not self.has_problems


def buy_rows(*, contract, lines) -> BuyView:
    """Prices (the resolver, for all lines at once), availability and problems of ``lines`` (with
    ``product`` and ``quantity``; products with ``unit`` selected)."""
    lines = list(lines)
    view = BuyView()
    if not lines:
        return view
    ids = [line.product_id for line in lines]
    prices = prices_resolve(
        contract=contract, items=[(line.product_id, line.quantity) for line in lines], one_order=True
    )
    stock = availability_for_products(product_ids=ids)
    visible = set(product_visible_queryset(contract=contract).filter(pk__in=ids).values_list("pk", flat=True))
    totals = view.totals
    totals.currency = contract.currency if contract is not None else "RUB"
    for line in lines:
        product, quantity = line.product, line.quantity
        price = prices.get(product.pk)
        availability = stock.get(product.pk)
        row = BuyRow(line=line, product=product, quantity=quantity, price=price, availability=availability)
        if product.pk not in visible:
            row.problem = _("%(article)s cannot be ordered under this contract.") % {"article": product.article}
        elif price is None or not price.is_priced:
            row.problem = _("%(article)s has no price: ask your manager for one.") % {"article": product.article}
        else:
            row.problem = quantity_problem(product=product, quantity=quantity, max_quantity=price.max_quantity)
        row.short = availability is None or availability.available < quantity
        if price is not None and price.is_priced:
            row.amount_gross = price.line_gross
            base = price_base_gross(price)
            row.base_amount_gross = round_money(base * quantity) if base is not None else price.line_gross
            totals.net += price.line_net
            totals.vat += price.line_vat
            totals.gross += price.line_gross
            totals.base_gross += row.base_amount_gross
        else:
            totals.unpriced += 1
        row.weight = (product.weight_kg or ZERO) * quantity
        row.volume = (product.volume_m3 or ZERO) * quantity
        totals.weight += row.weight
        totals.volume += row.volume
        view.rows.append(row)
    totals.count = len(view.rows)
    return view


# Cart -------------------------------------------------------------------------------------------


def cart_get(*, user, contract) -> Cart | None:
    if contract is None:
        return None
    return Cart.objects.filter(user=user, contract=contract).first()


def cart_view(*, cart: Cart | None, contract) -> BuyView:
    if cart is None:
        return BuyView()
    lines = CartLine.objects.filter(cart=cart).select_related("product", "product__unit").order_by("added_at", "pk")
    return buy_rows(contract=contract, lines=lines)


def cart_count(*, user, contract) -> int:
    """How many lines the user's cart for the contract has (one query)."""
    if contract is None:
        return 0
    return CartLine.objects.filter(cart__user=user, cart__contract=contract).count()


# Saved lists ------------------------------------------------------------------------------------


def saved_lists_visible(*, user, client) -> QuerySet[SavedList]:
    """The user's own lists and the lists shared with their company."""
    return (
        SavedList.objects.filter(client=client)
        .filter(Q(owner=user) | Q(shared=True))
        .select_related("owner")
        .annotate(line_count=Count("lines"))
        .order_by("name", "pk")
    )


def saved_list_get(*, user, client, pk) -> SavedList | None:
    return saved_lists_visible(user=user, client=client).filter(pk=pk).first()


def saved_list_view(*, saved_list: SavedList, contract) -> BuyView:
    lines = SavedListLine.objects.filter(saved_list=saved_list).select_related("product", "product__unit")
    return buy_rows(contract=contract, lines=lines)


# Orders -----------------------------------------------------------------------------------------


@dataclass
class OrderFilters:
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    legal_entity_id: int | None = None
    number: str = ""
    article: str = ""
    q: str = ""


def order_list(*, client, legal_entity_ids, filters: OrderFilters | None = None) -> QuerySet[Order]:
    """Orders of the legal entities the user may act for, newest first, filtered."""
    filters = filters or OrderFilters()
    qs = Order.objects.filter(client=client, legal_entity_id__in=list(legal_entity_ids))
    if filters.status in OrderStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.date_from:
        qs = qs.filter(placed_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(placed_at__date__lte=filters.date_to)
    if filters.legal_entity_id:
        qs = qs.filter(legal_entity_id=filters.legal_entity_id)
    if filters.number.strip():
        qs = qs.filter(number__icontains=filters.number.strip())
    if filters.article.strip():
        qs = qs.filter(Exists(OrderLine.objects.filter(order=OuterRef("pk"), article__iexact=filters.article.strip())))
    text = filters.q.strip()[:100]
    if text:
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(po_number__icontains=text)
            | Q(comment__icontains=text)
            | Exists(
                OrderLine.objects.filter(order=OuterRef("pk")).filter(
                    Q(article__icontains=text) | Q(name__icontains=text)
                )
            )
        )
    return (
        qs.select_related("legal_entity", "placed_by").annotate(line_count=Count("lines")).order_by("-placed_at", "-pk")
    )


def order_get(*, client, legal_entity_ids, number: str) -> Order | None:
    """One order by its number, with lines and timeline, if the user may see it."""
    return (
        Order.objects.filter(client=client, legal_entity_id__in=list(legal_entity_ids), number=number)
        .select_related("legal_entity", "contract", "placed_by", "warehouse", "delivery_address", "source_order")
        .prefetch_related("lines", "events__actor")
        .first()
    )
