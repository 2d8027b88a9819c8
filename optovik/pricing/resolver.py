"""The one price resolver: what a contract pays for these products at these quantities.

Lists, cards, the cart, checkout, the API and exports all call ``prices_resolve``; nothing else
computes a price. It answers in bulk with a fixed number of queries, whatever the number of items.

Rules, in order:

1. A fixed price in the contract's specification is final.
2. Otherwise a contract price is final (negotiated prices take no further discounts).
3. Otherwise the price of the contract's price type (or the default price type), less the best
   discount that applies: a quantity tier of the product or of its category (or any parent
   category), or an order-amount tier of the contract or its client. Discounts do not add up:
   the larger one wins.

A price is stated with VAT included or on top (per price type, contract price or specification
line); the result always has the unit price without VAT, the VAT and the price with VAT, rounded
to kopecks so that net + VAT = gross exactly.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from optovik.catalog.models import Product
from optovik.core.money import percent_off, round_money, vat_from_gross, vat_from_net

from .models import AmountDiscount, ContractPrice, Price, PriceType, QuantityDiscount, SpecificationItem

ZERO = Decimal(0)


class Source:
    SPECIFICATION = "specification"
    CONTRACT = "contract"
    PRICE_TYPE = "price_type"
    NONE = ""


@dataclass(frozen=True)
class Tier:
    min_quantity: Decimal
    percent: Decimal


@dataclass(frozen=True)
class ResolvedPrice:
    product_id: int
    quantity: Decimal
    currency: str
    price_type_id: int | None
    base_price: Decimal | None  # the price type's price as listed
    contract_price: Decimal | None  # the contract's or the specification's price, when there is one
    source: str  # Source.*: where the unit price comes from; "" when the product has no price
    discount_percent: Decimal
    unit_net: Decimal | None
    unit_vat: Decimal | None
    unit_gross: Decimal | None
    vat_rate: Decimal
    vat_exempt: bool
    vat_included: bool  # whether the applied price was stated with VAT
    tiers: tuple[Tier, ...] = ()
    max_quantity: Decimal | None = None  # the specification's limit

    @property
    def is_priced(self) -> bool:
        return self.unit_gross is not None

    @property
    def line_gross(self) -> Decimal | None:
        return None if self.unit_gross is None else round_money(self.unit_gross * self.quantity)

    @property
    def line_vat(self) -> Decimal | None:
        return None if self.unit_vat is None else round_money(self.unit_vat * self.quantity)

    @property
    def line_net(self) -> Decimal | None:
        return None if self.line_gross is None else self.line_gross - self.line_vat


def _split(price: Decimal, *, vat_included: bool, rate: Decimal, percent: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(net, VAT, gross) per unit of ``price`` less ``percent`` %."""
    amount = percent_off(price, percent)
    if vat_included:
        vat = vat_from_gross(amount, rate)
        return amount - vat, vat, amount
    vat = vat_from_net(amount, rate)
    return amount, vat, amount + vat


def price_type_for(contract) -> PriceType | None:
    """The contract's price type, or else the default one (one query)."""
    own = contract.price_type_id if contract is not None else None
    candidates = list(PriceType.objects.filter(Q(pk=own) | Q(is_default=True)) if own else [])
    if own:
        found = next((pt for pt in candidates if pt.pk == own), None)
        return found or next((pt for pt in candidates if pt.is_default), None)
    return PriceType.objects.order_by("-is_default", "sort_order", "pk").first()


def _best(tiers, value: Decimal) -> Decimal:
    return max((t.percent for t in tiers if t.min_quantity <= value), default=ZERO)


def prices_resolve(*, contract, items) -> dict[int, ResolvedPrice]:
    """Prices for ``items`` — (product_id, quantity) pairs — as ``contract`` buys them.

    ``contract`` may be ``None`` (no contract chosen): the default price type applies. Products
    that do not exist are left out; products without a price have ``is_priced`` false.
    """
    quantities: dict[int, Decimal] = {}
    for product_id, quantity in items:
        quantities[int(product_id)] = Decimal(quantity if quantity is not None else 1)
    if not quantities:
        return {}
    ids = list(quantities)
    price_type = price_type_for(contract)
    products = {
        pk: (rate or ZERO, bool(exempt), path or "")
        for pk, rate, exempt, path in Product.objects.filter(id__in=ids).values_list(
            "id", "vat_rate__rate", "vat_rate__is_exempt", "category__path"
        )
    }
    base = {}
    if price_type is not None:
        base = dict(Price.objects.filter(price_type=price_type, product_id__in=ids).values_list("product_id", "price"))
    contract_prices, spec = {}, {}
    if contract is not None:
        contract_prices = {
            pid: (price, vat_included)
            for pid, price, vat_included in ContractPrice.objects.filter(
                contract=contract, product_id__in=ids
            ).values_list("product_id", "price", "vat_included")
        }
        spec = {
            row[0]: row[1:]
            for row in SpecificationItem.objects.filter(contract=contract, product_id__in=ids).values_list(
                "product_id", "fixed_price", "vat_included", "max_quantity"
            )
        }

    # Quantity tiers of the products and of their categories (any level up).
    category_ids = {int(x) for _, _, path in products.values() for x in path.strip("/").split("/") if x}
    by_product, by_category = defaultdict(list), defaultdict(list)
    for pid, cid, min_q, percent in QuantityDiscount.objects.filter(
        Q(product_id__in=ids) | Q(category_id__in=category_ids)
    ).values_list("product_id", "category_id", "min_quantity", "percent"):
        (by_product[pid] if pid else by_category[cid]).append(Tier(min_q, percent))

    amount_tiers: list[Tier] = []
    if contract is not None:
        amount_tiers = [
            Tier(min_amount, percent)
            for min_amount, percent in AmountDiscount.objects.filter(
                Q(contract=contract) | Q(client_id=contract.client_id)
            ).values_list("min_amount", "percent")
        ]

    currency = contract.currency if contract is not None else (price_type.currency if price_type else "RUB")
    price_type_id = price_type.pk if price_type else None
    type_vat_included = price_type.vat_included if price_type else True

    # First pass: the applicable price and the quantity discount of each line.
    lines = {}
    for pid, quantity in quantities.items():
        if pid not in products:
            continue
        rate, exempt, path = products[pid]
        tiers = list(by_product.get(pid, ()))
        for cid in path.strip("/").split("/"):
            if cid:
                tiers.extend(by_category.get(int(cid), ()))
        tiers.sort(key=lambda t: (t.min_quantity, t.percent))
        fixed, fixed_vat_included, max_quantity = spec.get(pid, (None, True, None))
        if fixed is not None:
            price, vat_included, source, negotiated = fixed, fixed_vat_included, Source.SPECIFICATION, fixed
        elif pid in contract_prices:
            price, vat_included = contract_prices[pid]
            source, negotiated = Source.CONTRACT, price
        elif pid in base:
            price, vat_included, source, negotiated = base[pid], type_vat_included, Source.PRICE_TYPE, None
        else:
            price, vat_included, source, negotiated = None, type_vat_included, Source.NONE, None
        percent = _best(tiers, quantity) if source == Source.PRICE_TYPE else ZERO
        lines[pid] = [price, vat_included, source, negotiated, percent, tuple(tiers), max_quantity, rate, exempt]

    # The order amount (with VAT) decides the amount tier for lines priced by the price type.
    if amount_tiers:
        total = ZERO
        for pid, (price, vat_included, _s, _n, percent, _t, _m, rate, _e) in lines.items():
            if price is not None:
                total += _split(price, vat_included=vat_included, rate=rate, percent=percent)[2] * quantities[pid]
        amount_percent = _best(amount_tiers, total)
        for line in lines.values():
            if line[2] == Source.PRICE_TYPE:
                line[4] = max(line[4], amount_percent)

    result = {}
    for pid, (price, vat_included, source, negotiated, percent, tiers, max_quantity, rate, exempt) in lines.items():
        net = vat = gross = None
        if price is not None:
            net, vat, gross = _split(price, vat_included=vat_included, rate=rate, percent=percent)
        result[pid] = ResolvedPrice(
            product_id=pid,
            quantity=quantities[pid],
            currency=currency,
            price_type_id=price_type_id,
            base_price=base.get(pid),
            contract_price=negotiated,
            source=source,
            discount_percent=percent,
            unit_net=net,
            unit_vat=vat,
            unit_gross=gross,
            vat_rate=rate,
            vat_exempt=exempt,
            vat_included=vat_included,
            tiers=tiers,
            max_quantity=max_quantity,
        )
    return result
