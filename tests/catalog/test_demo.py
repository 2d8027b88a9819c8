from decimal import Decimal

from django_scopes import scopes_disabled

from optovik.catalog.demo import seed_catalog
from optovik.catalog.models import Category, Product, ProductImage
from optovik.catalog.search import product_search
from optovik.catalog.selectors import product_discontinued, product_list
from optovik.customers.demo import seed_customers
from optovik.customers.models import Contract
from optovik.inventory.models import Warehouse
from optovik.pricing.models import ContractPrice, Price, PriceType, SpecificationItem


def counts():
    return (
        Product.objects.count(),
        Category.objects.count(),
        Price.objects.count(),
        ContractPrice.objects.count(),
        SpecificationItem.objects.count(),
        ProductImage.objects.count(),
    )


def test_demo_catalog_is_believable_and_idempotent(db):
    with scopes_disabled():
        seed_customers()
        seed_catalog()
        first = counts()
        seed_catalog()
        assert counts() == first
    assert 1500 <= first[0] <= 2500
    assert set(PriceType.objects.values_list("name", flat=True)) == {"Розничная", "Оптовая", "Дилерская"}
    assert Warehouse.objects.count() == 4 and Warehouse.objects.filter(is_pickup_point=True).count() == 2
    assert {"Цемент и сухие смеси", "Шины", "Кровля", "Кирпич и блоки"} <= set(
        Category.objects.filter(depth=0).values_list("name", flat=True)
    )
    vector = Contract.objects.get(external_id="demo-contract-vector")
    assert vector.specification_only
    assert product_list(contract=vector).total == SpecificationItem.objects.filter(contract=vector).count()
    buyer_contract = Contract.objects.get(external_id="demo-contract-sm-prepay")
    assert buyer_contract.price_type.name == "Оптовая"
    assert ContractPrice.objects.filter(contract=buyer_contract).exists()
    assert product_search(q="цемента", contract=buyer_contract).product_ids
    assert product_search(q="Michelin", contract=buyer_contract).product_ids
    assert ProductImage.objects.exclude(thumbnail="").count() == first[5]
    # the cart and checkout add up weight and volume: every demo product has both, within reason
    assert not Product.objects.filter(weight_kg__isnull=True).exists()
    assert not Product.objects.filter(volume_m3__isnull=True).exists()
    assert (
        not Product.objects.filter(weight_kg__lte=0).exists() and not Product.objects.filter(volume_m3__lte=0).exists()
    )
    # one product is no longer sold; its analogs are the additive-free bags of its grade and weight
    gone = product_discontinued(contract=buyer_contract, article="CEM-D20-25")
    assert gone is not None and gone.product.status == Product.Status.ARCHIVED
    assert {row.product.name for row in gone.analogs} == {
        f"Цемент М400 Д0 {brand}, 25 кг" for brand in ("Евроцемент", "Холсим", "Мордовцемент")
    }
    assert all(row.price.is_priced for row in gone.analogs)
    bag = Product.objects.get(name="Цемент М400 Д0 Евроцемент, 25 кг")
    assert (bag.weight_kg, bag.volume_m3) == (25, Decimal("0.019231"))
