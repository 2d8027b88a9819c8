import pytest
from django.db import connection

from optovik.catalog import selectors
from optovik.catalog.search import product_search, search_suggest
from optovik.catalog.visibility import product_visible_queryset, product_visible_sql
from optovik.pricing.models import SpecificationItem


def spec_only(company, *products):
    contract = company.c1
    contract.specification_only = True
    contract.save()
    for p in products:
        SpecificationItem.objects.create(contract=contract, product=p)
    return contract


def listed(contract, **kwargs):
    return {row.product.pk for row in selectors.product_list(contract=contract, **kwargs).rows}


def test_specification_only_contract_sees_only_its_products_everywhere(shop, company):
    contract = spec_only(company, shop.cement)
    assert listed(contract) == {shop.cement.pk}
    assert listed(contract, category=shop.building) == {shop.cement.pk}
    assert listed(contract, category=shop.tyres) == set()
    assert listed(contract, query="шина") == set()
    assert product_search(q="шина", contract=contract).product_ids == []
    assert product_search(q="TYR-205-55", contract=contract).exact_product_id is None
    assert product_search(q="TYR-205-56", contract=contract).product_ids == []
    assert search_suggest("TYR", contract) == []
    assert search_suggest("шин", contract) == []
    assert selectors.product_card(contract=contract, product_id=shop.tyre_summer.pk) is None
    assert selectors.product_card(contract=contract, product_id=shop.cement.pk).product == shop.cement
    # The card addressed by its article (the product page) obeys the same rule.
    assert selectors.product_card(contract=contract, article=shop.tyre_summer.article) is None
    assert selectors.product_card(contract=contract, article=shop.cement.article).product == shop.cement
    assert selectors.product_card(contract=contract, article=shop.cement.article.lower()) is None  # exact only
    assert selectors.product_card(contract=contract, article="") is None
    assert selectors.product_card(contract=contract, article="X" * 65) is None
    facet_values = {
        (f.attribute.code, v.value) for f in selectors.facets(contract=contract, category=None) for v in f.values
    }
    assert facet_values == {("grade", "М500"), ("weight", "50")}
    tree = selectors.category_tree(contract=contract)
    assert [n.category for n in tree] == [shop.building]
    assert [n.category for n in tree[0].children] == [shop.cement_cat]


def test_the_same_products_stay_visible_to_an_ordinary_contract(shop, company):
    spec_only(company, shop.cement)
    assert listed(company.c2) == {p.pk for p in shop.products}
    assert selectors.product_card(contract=company.c2, product_id=shop.tyre_summer.pk) is not None


def test_specification_of_an_ordinary_contract_does_not_restrict(shop, company):
    SpecificationItem.objects.create(contract=company.c1, product=shop.cement)
    assert len(listed(company.c1)) == len(shop.products)


def test_archived_products_are_hidden_everywhere(shop):
    shop.tyre_winter.status = "archived"
    shop.tyre_winter.save()
    assert shop.tyre_winter.pk not in listed(None)
    assert selectors.product_card(contract=None, product_id=shop.tyre_winter.pk) is None
    assert product_search(q="TYR-205-55W", contract=None).exact_product_id is None
    assert shop.tyre_winter.pk not in product_search(q="шина", contract=None).product_ids


def test_relations_show_only_visible_products(shop, company):
    from optovik.catalog.services import product_relate

    product_relate(product=shop.cement, related=shop.cement400, kind="analog")
    product_relate(product=shop.cement, related=shop.plaster, kind="related")
    contract = spec_only(company, shop.cement, shop.cement400)
    card = selectors.product_card(contract=contract, product_id=shop.cement.pk)
    assert card.analogs == [shop.cement400] and card.related == []
    assert [r.product for r in selectors.product_card_rows(contract=contract, card=card)] == [shop.cement400]


@pytest.mark.parametrize("who", ["nobody", "ordinary", "specification_only"])
def test_the_rule_in_sql_selects_what_the_orm_rule_selects(shop, company, who):
    shop.tyre_winter.status = "archived"
    shop.tyre_winter.save()
    SpecificationItem.objects.create(contract=company.c2, product=shop.plaster)  # not specification-only
    contract = {"nobody": None, "ordinary": company.c2, "specification_only": None}[who]
    if who == "specification_only":
        contract = spec_only(company, shop.cement, shop.tyre_winter)
    sql, params = product_visible_sql(contract=contract, alias="p")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT p.id FROM catalog_product p WHERE {sql}", params)  # noqa: S608
        by_sql = {row[0] for row in cursor.fetchall()}
    assert by_sql == set(product_visible_queryset(contract=contract).values_list("id", flat=True))
    expected = {shop.cement} if who == "specification_only" else set(shop.products) - {shop.tyre_winter}
    assert by_sql == {p.pk for p in expected}
