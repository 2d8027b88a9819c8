"""The resolver reads every pricing table in two queries. This checks it against the plain
reference — one ORM query per table, as the resolver was first written — on random price lists,
contracts, specifications and discounts: the results must be the same, to the scale of every
decimal (compared by ``repr``)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optovik.catalog.models import Product
from optovik.pricing.models import (
    AmountDiscount,
    ContractPrice,
    Price,
    PriceType,
    QuantityDiscount,
    SpecificationItem,
)
from optovik.pricing.resolver import ResolvedPrice, Source, Tier, _best, _split, price_type_for, prices_resolve

ZERO = Decimal(0)


def reference_prices_resolve(*, contract, items) -> dict[int, ResolvedPrice]:
    quantities = {int(pid): Decimal(q if q is not None else 1) for pid, q in items}
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
    category_ids = {int(x) for _, _, path in products.values() for x in path.strip("/").split("/") if x}
    by_product, by_category = defaultdict(list), defaultdict(list)
    for pid, cid, min_q, percent in QuantityDiscount.objects.filter(
        Q(product_id__in=ids) | Q(category_id__in=category_ids)
    ).values_list("product_id", "category_id", "min_quantity", "percent"):
        (by_product[pid] if pid else by_category[cid]).append(Tier(min_q, percent))
    amount_tiers = []
    if contract is not None:
        amount_tiers = [
            Tier(a, p)
            for a, p in AmountDiscount.objects.filter(
                Q(contract=contract) | Q(client_id=contract.client_id)
            ).values_list("min_amount", "percent")
        ]
    currency = contract.currency if contract is not None else (price_type.currency if price_type else "RUB")
    price_type_id = price_type.pk if price_type else None
    type_vat_included = price_type.vat_included if price_type else True
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


money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
percent = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
amount = st.decimals(min_value=0, max_value=10**5, places=2, allow_nan=False, allow_infinity=False)
quantity = st.decimals(min_value=Decimal("0.001"), max_value=500, places=3, allow_nan=False, allow_infinity=False)
maybe = st.booleans()

product_setup = st.fixed_dictionaries(
    {
        "retail": st.none() | money,
        "wholesale": st.none() | money,
        "contract": st.none() | st.tuples(money, maybe),
        "spec": st.none() | st.tuples(st.none() | money, maybe, st.none() | quantity),
        "exempt": maybe,
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    products=st.lists(product_setup, min_size=5, max_size=5),
    quantities=st.lists(st.none() | quantity, min_size=5, max_size=5),
    contract_kind=st.sampled_from(["none", "own type", "default type"]),
    retail_vat_included=maybe,
    wholesale_default=maybe,
    no_default=maybe,
    quantity_tiers=st.lists(st.tuples(st.integers(0, 7), quantity, percent), max_size=5),
    amount_tiers=st.lists(st.tuples(st.sampled_from(["c1", "c2", "client"]), amount, percent), max_size=4),
)
def test_the_resolver_agrees_with_the_reference(
    shop,
    company,
    products,
    quantities,
    contract_kind,
    retail_vat_included,
    wholesale_default,
    no_default,
    quantity_tiers,
    amount_tiers,
):
    for model in (Price, ContractPrice, SpecificationItem, QuantityDiscount, AmountDiscount):
        model.objects.all().delete()
    PriceType.objects.filter(pk=shop.retail.pk).update(vat_included=retail_vat_included, is_default=not no_default)
    PriceType.objects.filter(pk=shop.wholesale.pk).update(is_default=wholesale_default and not no_default)
    contract = None if contract_kind == "none" else company.c1
    if contract is not None:
        contract.price_type = shop.wholesale if contract_kind == "own type" else None
        contract.save()
    novat = shop.ref["novat"]
    for p, setup in zip(shop.products, products, strict=True):
        Product.objects.filter(pk=p.pk).update(vat_rate=novat if setup["exempt"] else shop.ref["vat22"])
        for pt, key in ((shop.retail, "retail"), (shop.wholesale, "wholesale")):
            if setup[key] is not None:
                Price.objects.create(product=p, price_type=pt, price=setup[key])
        if setup["contract"] is not None:
            ContractPrice.objects.create(
                contract=company.c1, product=p, price=setup["contract"][0], vat_included=setup["contract"][1]
            )
        if setup["spec"] is not None:
            fixed, vat_included, max_quantity = setup["spec"]
            SpecificationItem.objects.create(
                contract=company.c1, product=p, fixed_price=fixed, vat_included=vat_included, max_quantity=max_quantity
            )
    targets = [*({"product": p} for p in shop.products), {"category": shop.building}, {"category": shop.cement_cat}]
    targets.append({"category": shop.tyres})
    for target, min_quantity, pct in quantity_tiers:
        QuantityDiscount.objects.create(**targets[target], min_quantity=min_quantity, percent=pct)
    owners = {"c1": {"contract": company.c1}, "c2": {"contract": company.c2}, "client": {"client": company.client}}
    for owner, min_amount, pct in amount_tiers:
        AmountDiscount.objects.create(**owners[owner], min_amount=min_amount, percent=pct)
    if contract is not None:
        contract.refresh_from_db()

    items = [(p.pk, q) for p, q in zip(shop.products, quantities, strict=True)] + [(999_999, 1)]
    expected = reference_prices_resolve(contract=contract, items=items)
    got = prices_resolve(contract=contract, items=items, one_order=True)

    assert repr(got) == repr(expected)
    assert list(got) == [p.pk for p in shop.products]
    # Not one order (catalog rows): each item is priced exactly as if it were bought alone.
    alone = prices_resolve(contract=contract, items=items, one_order=False)
    for pid, quantity in items[:-1]:
        single = prices_resolve(contract=contract, items=[(pid, quantity)], one_order=True)
        assert repr(alone[pid]) == repr(single[pid])


def test_no_price_type_at_all(shop, company):
    Price.objects.all().delete()
    company.c1.price_type = None
    company.c1.save()
    PriceType.objects.all().delete()
    items = [(p.pk, 2) for p in shop.products]
    for contract in (None, company.c1):
        got = prices_resolve(contract=contract, items=items, one_order=True)
        assert repr(got) == repr(reference_prices_resolve(contract=contract, items=items))
        assert all(p.price_type_id is None and not p.is_priced for p in got.values())


def test_nothing_asked_and_nothing_found(shop, company, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert prices_resolve(contract=company.c1, items=[], one_order=True) == {}
    with django_assert_num_queries(1):
        assert prices_resolve(contract=company.c1, items=[(999_999, 1)], one_order=False) == {}
