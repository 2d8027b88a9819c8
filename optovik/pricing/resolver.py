"""The one price resolver: what a contract pays for these products at these quantities.

Lists, cards, the cart, checkout, the API and exports all call ``prices_resolve``; nothing else
computes a price. It answers in bulk in two queries, whatever the number of items: one reads each
product's VAT rate, category and every price that may apply to it, the other the discount tiers.
Both are written in SQL (checkout runs them for every order, and building them with the ORM cost
more than running them); their values are converted as the ORM converts them.

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

from django.db import connection

from optovik.catalog.models import Category, Product, VatRate
from optovik.core.money import percent_off, round_money, vat_from_gross, vat_from_net
from optovik.core.rawsql import convert, converters, placeholders, table

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


def _price_type_choice(contract) -> tuple[str, list]:
    """SQL selecting the id of the price type ``contract`` buys at: its own, or else the default one
    (the one rule, shared by ``price_type_for`` and the resolver's query)."""
    own = contract.price_type_id if contract is not None else None
    if own:
        sql = (
            f"SELECT id FROM {table(PriceType)} WHERE id = %s OR is_default "  # noqa: S608
            "ORDER BY CASE WHEN id = %s THEN 0 ELSE 1 END, sort_order, name LIMIT 1"
        )
        return sql, [own, own]
    return f"SELECT id FROM {table(PriceType)} ORDER BY is_default DESC, sort_order, id LIMIT 1", []  # noqa: S608


def price_type_for(contract) -> PriceType | None:
    """The contract's price type, or else the default one (one query)."""
    sql, params = _price_type_choice(contract)
    found = PriceType.objects.raw(f"SELECT * FROM {table(PriceType)} WHERE id = ({sql})", params)  # noqa: S608
    return next(iter(found), None)


def _field(model, name: str):
    return model._meta.get_field(name)


def _price_rows(*, contract, ids: list[int]) -> list[tuple]:
    """One row per existing product of ``ids``, in one query: (product id; the price type's id,
    currency and "VAT included", the same on every row; VAT rate, exempt, category path; the price
    type's price; the contract price and its "VAT included"; the specification's fixed price, its
    "VAT included", its maximum quantity and whether the product is in the specification).

    Correlated subqueries rather than joins: PostgreSQL plans them in a fraction of the time it
    spends ordering six joins, and each is one index lookup per product."""
    chosen, chosen_params = _price_type_choice(contract)

    def of_product(model, column: str, extra: str = "") -> str:
        return f"(SELECT {column} FROM {table(model)} WHERE product_id = p.id{extra})"  # noqa: S608

    negotiated, params = ", ".join(["NULL"] * 6), []
    if contract is not None:
        by_contract = " AND contract_id = %s"
        negotiated = ", ".join(
            [
                of_product(ContractPrice, "price", by_contract),
                of_product(ContractPrice, "vat_included", by_contract),
                of_product(SpecificationItem, "fixed_price", by_contract),
                of_product(SpecificationItem, "vat_included", by_contract),
                of_product(SpecificationItem, "max_quantity", by_contract),
                of_product(SpecificationItem, "id", by_contract),
            ]
        )
        params = [contract.pk] * 6
    sql = (
        "SELECT p.id, pt.id, pt.currency, pt.vat_included, "  # noqa: S608
        f"(SELECT rate FROM {table(VatRate)} WHERE id = p.vat_rate_id), "
        f"(SELECT is_exempt FROM {table(VatRate)} WHERE id = p.vat_rate_id), "
        f"(SELECT path FROM {table(Category)} WHERE id = p.category_id), "
        f"{of_product(Price, 'price', ' AND price_type_id = pt.id')}, {negotiated} "
        f"FROM {table(Product)} p LEFT JOIN {table(PriceType)} pt ON pt.id = ({chosen}) "
        f"WHERE p.id IN ({placeholders(ids)})"
    )
    columns = converters(
        None,
        None,
        None,
        _field(PriceType, "vat_included"),
        _field(VatRate, "rate"),
        _field(VatRate, "is_exempt"),
        None,
        _field(Price, "price"),
        _field(ContractPrice, "price"),
        _field(ContractPrice, "vat_included"),
        _field(SpecificationItem, "fixed_price"),
        _field(SpecificationItem, "vat_included"),
        _field(SpecificationItem, "max_quantity"),
        None,
    )
    with connection.cursor() as cursor:
        # Parameters in the order of the placeholders: the select list, the price type, the ids.
        cursor.execute(sql, [*params, *chosen_params, *ids])
        return [convert(row, columns) for row in cursor.fetchall()]


QUANTITY_TIER, AMOUNT_TIER = 1, 2


def _tiers(*, contract, ids: list[int], category_ids: set[int]) -> tuple[dict, dict, list[Tier]]:
    """(quantity tiers by product, quantity tiers by category, order-amount tiers), in one query."""
    sql = f"SELECT {QUANTITY_TIER}, product_id, category_id, min_quantity, percent "
    sql += f"FROM {table(QuantityDiscount)} "
    sql += f"WHERE product_id IN ({placeholders(ids)})"
    params = list(ids)
    if category_ids:
        sql += f" OR category_id IN ({placeholders(category_ids)})"
        params += sorted(category_ids)
    if contract is not None:
        sql += f" UNION ALL SELECT {AMOUNT_TIER}, NULL, NULL, min_amount, percent "
        sql += f"FROM {table(AmountDiscount)} "
        sql += "WHERE contract_id = %s OR client_id = %s"
        params += [contract.pk, contract.client_id]
    quantity_columns = converters(
        None, None, None, _field(QuantityDiscount, "min_quantity"), _field(QuantityDiscount, "percent")
    )
    amount_columns = converters(
        None, None, None, _field(AmountDiscount, "min_amount"), _field(AmountDiscount, "percent")
    )
    by_product, by_category, amount_tiers = defaultdict(list), defaultdict(list), []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for row in rows:
        kind, pid, cid, minimum, percent = convert(row, amount_columns if row[0] == AMOUNT_TIER else quantity_columns)
        if kind == AMOUNT_TIER:
            amount_tiers.append(Tier(minimum, percent))
        elif pid:
            by_product[pid].append(Tier(minimum, percent))
        else:
            by_category[cid].append(Tier(minimum, percent))
    return by_product, by_category, amount_tiers


def _best(tiers, value: Decimal) -> Decimal:
    return max((t.percent for t in tiers if t.min_quantity <= value), default=ZERO)


def prices_resolve(*, contract, items, one_order: bool) -> dict[int, ResolvedPrice]:
    """Prices for ``items`` — (product_id, quantity) pairs — as ``contract`` buys them.

    ``one_order``: the items are the lines of one order (a cart, a checkout, a list bought at
    once), so the amount of all of them decides the order-amount tier; otherwise each item is
    priced as if bought alone (catalog rows: 48 products on a page are not an order of 48 lines).
    ``contract`` may be ``None`` (no contract chosen): the default price type applies. Products
    that do not exist are left out; products without a price have ``is_priced`` false.
    """
    quantities: dict[int, Decimal] = {}
    for product_id, quantity in items:
        quantities[int(product_id)] = Decimal(quantity if quantity is not None else 1)
    if not quantities:
        return {}
    rows = _price_rows(contract=contract, ids=list(quantities))
    if not rows:
        return {}
    # The price type is the same on every row (None when there is no price type at all).
    price_type_id, price_type_currency, type_vat_included = rows[0][1:4]
    if price_type_id is None:
        type_vat_included = True
    products, base, contract_prices, spec = {}, {}, {}, {}
    for pid, _pt, _cur, _vi, rate, exempt, path, price, cp_price, cp_vat, fixed, fixed_vat, max_q, in_spec in rows:
        products[pid] = (rate or ZERO, bool(exempt), path or "")
        if price is not None:
            base[pid] = price
        if cp_price is not None:
            contract_prices[pid] = (cp_price, cp_vat)
        if in_spec:
            spec[pid] = (fixed, fixed_vat, max_q)

    # Quantity tiers of the products and of their categories (any level up), and the order-amount
    # tiers of the contract and its client.
    category_ids = {int(x) for _, _, path in products.values() for x in path.strip("/").split("/") if x}
    by_product, by_category, amount_tiers = _tiers(contract=contract, ids=list(products), category_ids=category_ids)

    currency = contract.currency if contract is not None else (price_type_currency if price_type_id else "RUB")

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

    # The order amount (with VAT) decides the amount tier for lines priced by the price type: of
    # all the lines for one order, of the line itself otherwise.
    if amount_tiers:
        amounts = {
            pid: _split(price, vat_included=vat_included, rate=rate, percent=percent)[2] * quantities[pid]
            for pid, (price, vat_included, _s, _n, percent, _t, _m, rate, _e) in lines.items()
            if price is not None
        }
        order_amount = sum(amounts.values(), ZERO)
        for pid, line in lines.items():
            if line[2] == Source.PRICE_TYPE:
                line[4] = max(line[4], _best(amount_tiers, order_amount if one_order else amounts[pid]))

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
