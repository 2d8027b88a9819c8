import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from optovik.catalog.models import Barcode, Category, Product, ProductAttributeValue
from optovik.catalog.search import product_search
from optovik.catalog.selectors import product_list
from optovik.inventory.models import Stock, Warehouse
from optovik.pricing.models import ContractPrice, Price, PriceType, SpecificationItem


def test_generate_catalog_makes_consistent_data(company, other_company):
    other_company.contract.specification_only = True
    other_company.contract.save()
    call_command("generate_catalog", products=2000, seed=7, batch_size=500, stdout=None)

    products = Product.objects.filter(external_id__startswith="gen-")
    assert products.count() == 2000
    assert PriceType.objects.count() == 5 and Warehouse.objects.count() == 20
    assert set(Price.objects.values_list("product_id").annotate(n=Count("id")).values_list("n", flat=True)) == {5}
    assert Stock.objects.count() == 2000 * 3
    assert not Stock.objects.filter(reserved__gt=0, on_hand__lt=1).exists()
    assert Barcode.objects.count() == 2000
    per_product = set(
        ProductAttributeValue.objects.values("product_id").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert per_product <= {3, 4, 5}

    root = Category.objects.get(external_id="gen-7")
    leaf_ids = set(products.values_list("category_id", flat=True))
    for category in Category.objects.filter(pk__in=leaf_ids):
        assert category.path.startswith(root.path) and category.path.endswith(f"/{category.pk}/")
        assert not Category.objects.filter(parent=category).exists()
    assert ContractPrice.objects.filter(contract=company.c1).exists()
    assert SpecificationItem.objects.filter(contract=other_company.contract).count() == 500

    # The data works through the selectors and the search index.
    some = products.filter(status="active").order_by("id").first()
    assert product_search(q=some.article, contract=company.c1).exact_product_id == some.pk
    noun, _adjective, brand = some.name.split()[:3]
    assert some.pk in product_search(q=f"{noun} {brand}", contract=None, limit=5000).product_ids
    assert (
        product_list(contract=other_company.contract, per_page=10).total
        == SpecificationItem.objects.filter(contract=other_company.contract, product__status="active").count()
    )


def test_generate_catalog_refuses_a_seed_used_before(db):
    call_command("generate_catalog", products=10, seed=3, stdout=None)
    with pytest.raises(CommandError):
        call_command("generate_catalog", products=10, seed=3, stdout=None)
    with pytest.raises(CommandError):
        call_command("generate_catalog", products=0, seed=4, stdout=None)
