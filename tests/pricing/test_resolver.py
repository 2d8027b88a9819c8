from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optovik.pricing.models import AmountDiscount, ContractPrice, Price, QuantityDiscount, SpecificationItem
from optovik.pricing.resolver import Source, prices_resolve
from tests.catalog.builders import price_type, product, set_price

FIXTURE_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


def resolve(contract, *items, one_order=True):
    return prices_resolve(contract=contract, items=list(items), one_order=one_order)


def test_without_contract_the_default_price_type_applies(shop):
    price = resolve(None, (shop.cement.pk, 1))[shop.cement.pk]
    assert price.source == Source.PRICE_TYPE
    assert price.unit_gross == Decimal("620.00")
    assert price.price_type_id == shop.retail.pk


def test_contract_price_type_is_used(shop, company):
    company.c1.price_type = shop.wholesale
    company.c1.save()
    assert resolve(company.c1, (shop.cement.pk, 1))[shop.cement.pk].unit_gross == Decimal("558.00")


@FIXTURE_SETTINGS
@given(base=money, negotiated=money)
def test_a_contract_price_beats_the_price_type(shop, company, base, negotiated):
    set_price(shop.cement, shop.retail, base)
    ContractPrice.objects.update_or_create(contract=company.c1, product=shop.cement, defaults={"price": negotiated})
    price = resolve(company.c1, (shop.cement.pk, 3))[shop.cement.pk]
    assert price.source == Source.CONTRACT
    assert price.unit_gross == negotiated
    assert price.base_price == base
    assert price.contract_price == negotiated


def test_contract_price_is_not_seen_by_another_contract(shop, company):
    ContractPrice.objects.create(contract=company.c1, product=shop.cement, price=Decimal("100"))
    assert resolve(company.c2, (shop.cement.pk, 1))[shop.cement.pk].unit_gross == Decimal("620.00")


def test_fixed_specification_price_beats_the_contract_price(shop, company):
    ContractPrice.objects.create(contract=company.c1, product=shop.cement, price=Decimal("500"))
    SpecificationItem.objects.create(
        contract=company.c1, product=shop.cement, fixed_price=Decimal("450"), max_quantity=Decimal(10)
    )
    price = resolve(company.c1, (shop.cement.pk, 1))[shop.cement.pk]
    assert (price.source, price.unit_gross, price.max_quantity) == (Source.SPECIFICATION, Decimal("450.00"), 10)


@FIXTURE_SETTINGS
@given(
    base=money,
    tiers=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=100),
            st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
        ),
        max_size=4,
    ),
    quantity=st.integers(min_value=1, max_value=500),
    vat_included=st.booleans(),
)
def test_discounts_never_make_a_price_negative_and_net_plus_vat_is_gross(shop, base, tiers, quantity, vat_included):
    shop.retail.vat_included = vat_included
    shop.retail.save()
    set_price(shop.cement, shop.retail, base)
    QuantityDiscount.objects.all().delete()
    QuantityDiscount.objects.bulk_create(
        [QuantityDiscount(category=shop.building, min_quantity=q, percent=p) for q, p in tiers]
    )
    price = resolve(None, (shop.cement.pk, quantity))[shop.cement.pk]
    assert price.unit_gross >= 0 and price.unit_net >= 0 and price.unit_vat >= 0
    assert price.unit_net + price.unit_vat == price.unit_gross
    assert price.line_net + price.line_vat == price.line_gross
    assert price.unit_gross <= (base if vat_included else base * Decimal("1.22") + Decimal("0.01"))


def test_vat_on_top_is_added_and_exempt_products_have_none(shop, company):
    on_top = price_type("net", default=False, vat_included=False)
    exempt = product("NOVAT-1", "Услуга", shop.building, vat_rate=shop.ref["novat"])
    set_price(shop.cement, on_top, "100")
    set_price(exempt, on_top, "100")
    company.c1.price_type = on_top
    company.c1.save()
    prices = resolve(company.c1, (shop.cement.pk, 1), (exempt.pk, 1))
    cement = prices[shop.cement.pk]
    assert (cement.unit_net, cement.unit_vat, cement.unit_gross) == (
        Decimal("100.00"),
        Decimal("22.00"),
        Decimal("122.00"),
    )
    assert prices[exempt.pk].vat_exempt
    assert (prices[exempt.pk].unit_vat, prices[exempt.pk].unit_gross) == (Decimal("0.00"), Decimal("100.00"))


def test_category_quantity_tier_applies_to_subcategories_and_best_tier_wins(shop):
    QuantityDiscount.objects.create(category=shop.building, min_quantity=10, percent=Decimal(3))
    QuantityDiscount.objects.create(product=shop.cement, min_quantity=50, percent=Decimal(5))
    prices = resolve(None, (shop.cement.pk, 9))
    assert prices[shop.cement.pk].discount_percent == 0
    assert resolve(None, (shop.cement.pk, 10))[shop.cement.pk].unit_gross == Decimal("601.40")
    at_50 = resolve(None, (shop.cement.pk, 50))[shop.cement.pk]
    assert at_50.discount_percent == 5 and at_50.unit_gross == Decimal("589.00")
    assert [t.min_quantity for t in at_50.tiers] == [10, 50]
    assert resolve(None, (shop.tyre_summer.pk, 100))[shop.tyre_summer.pk].discount_percent == 0


def test_quantity_tiers_do_not_touch_negotiated_prices(shop, company):
    QuantityDiscount.objects.create(category=shop.building, min_quantity=1, percent=Decimal(10))
    ContractPrice.objects.create(contract=company.c1, product=shop.cement, price=Decimal("500"))
    assert resolve(company.c1, (shop.cement.pk, 100))[shop.cement.pk].unit_gross == Decimal("500.00")


def test_order_amount_tier_of_the_client_applies_from_its_threshold(shop, company):
    AmountDiscount.objects.create(client=company.client, min_amount=Decimal(10000), percent=Decimal(2))
    small = resolve(company.c1, (shop.cement.pk, 10))[shop.cement.pk]
    assert small.discount_percent == 0
    big = resolve(company.c1, (shop.cement.pk, 10), (shop.tyre_summer.pk, 1))
    assert big[shop.cement.pk].discount_percent == 2
    assert big[shop.cement.pk].unit_gross == Decimal("607.60")
    assert resolve(None, (shop.cement.pk, 100))[shop.cement.pk].discount_percent == 0


def test_catalog_rows_are_not_an_order_each_is_priced_alone(shop, company):
    """48 products on a page are no order: their sum must not earn an order-amount discount that
    none of them would get bought alone — but one line that is big enough on its own does."""
    AmountDiscount.objects.create(client=company.client, min_amount=Decimal(10000), percent=Decimal(2))
    rows = resolve(company.c1, (shop.cement.pk, 1), (shop.tyre_summer.pk, 1), (shop.tyre_winter.pk, 1), one_order=False)
    assert [rows[p.pk].discount_percent for p in (shop.cement, shop.tyre_summer, shop.tyre_winter)] == [0, 0, 0]
    assert rows[shop.tyre_summer.pk].unit_gross == Decimal("7800.00")  # the list price, undiscounted
    order = resolve(company.c1, (shop.cement.pk, 1), (shop.tyre_summer.pk, 1), (shop.tyre_winter.pk, 1))
    assert order[shop.tyre_summer.pk].discount_percent == 2  # 18,320 ₽ in one order
    alone_big = resolve(company.c1, (shop.tyre_summer.pk, 2), one_order=False)[shop.tyre_summer.pk]
    assert alone_big.discount_percent == 2  # 15,600 ₽ in one line


def test_a_product_without_a_price_is_reported_unpriced_and_unknown_ids_are_left_out(shop):
    Price.objects.filter(product=shop.plaster).delete()
    prices = resolve(None, (shop.plaster.pk, 1), (999_999, 1))
    assert not prices[shop.plaster.pk].is_priced
    assert prices[shop.plaster.pk].line_gross is None
    assert 999_999 not in prices


@pytest.mark.parametrize("how_many", [1, 5])
def test_query_count_does_not_depend_on_the_number_of_items(shop, company, django_assert_num_queries, how_many):
    AmountDiscount.objects.create(contract=company.c1, min_amount=Decimal(1), percent=Decimal(1))
    items = [(p.pk, 2) for p in shop.products[:how_many]]
    with django_assert_num_queries(2):
        prices = resolve(company.c1, *items)
    assert len(prices) == how_many
