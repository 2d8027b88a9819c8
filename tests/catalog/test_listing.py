from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from optovik.catalog import selectors
from optovik.catalog.models import Category
from optovik.catalog.services import category_create, product_attribute_set
from optovik.pricing.models import ContractPrice
from tests.catalog.builders import product, set_price, stock


def names(page):
    return [row.product.name for row in page.rows]


def test_category_includes_its_subcategories(shop):
    page = selectors.product_list(contract=None, category=shop.building)
    assert {r.product.pk for r in page.rows} == {shop.cement.pk, shop.cement400.pk, shop.plaster.pk}
    assert page.total == 3 and not page.total_capped
    assert {r.product.pk for r in selectors.product_list(contract=None, category=shop.cement_cat).rows} == {
        shop.cement.pk,
        shop.cement400.pk,
    }


def test_rows_carry_price_availability_and_contract_price(shop, company):
    ContractPrice.objects.create(contract=company.c1, product=shop.cement, price=Decimal("555.55"))
    rows = {r.product.pk: r for r in selectors.product_list(contract=company.c1).rows}
    assert rows[shop.cement.pk].price.unit_gross == Decimal("555.55")
    assert rows[shop.cement400.pk].price.unit_gross == Decimal("390.00")
    assert rows[shop.cement.pk].availability.available == 90


def test_sorts(shop, company):
    ContractPrice.objects.create(contract=company.c1, product=shop.tyre_winter, price=Decimal("1"))
    by_price = selectors.product_list(contract=company.c1, sort="price")
    assert by_price.rows[0].product == shop.tyre_winter
    assert selectors.product_list(contract=None, sort="-price").rows[0].product == shop.tyre_winter
    assert selectors.product_list(contract=None, sort="price").rows[0].product == shop.cement400
    stock(shop.plaster, shop.wh, 5000)
    assert selectors.product_list(contract=None, sort="availability").rows[0].product == shop.plaster
    assert selectors.product_list(contract=None, sort="newest").rows[0].product == shop.tyre_winter
    assert names(selectors.product_list(contract=None, sort="name")) == sorted(p.name for p in shop.products)
    assert selectors.product_list(contract=None, sort="nonsense").sort == "name"


def test_paging_and_out_of_range_pages(shop):
    page = selectors.product_list(contract=None, per_page=2, page=2)
    assert (page.page, page.num_pages, len(page.rows), page.has_next, page.has_previous) == (2, 3, 2, True, True)
    assert selectors.product_list(contract=None, per_page=2, page=99).page == 3
    assert selectors.product_list(contract=None, per_page=2, page="x").page == 1


def test_query_with_exact_article_reports_it(shop):
    page = selectors.product_list(contract=None, query="CEM-400-25")
    assert page.exact_product_id == shop.cement400.pk
    assert names(page) == [shop.cement400.name]


def test_query_sorts_by_relevance_and_respects_category(shop):
    page = selectors.product_list(contract=None, query="шина")
    assert page.sort == "relevance" and {r.product for r in page.rows} == {shop.tyre_summer, shop.tyre_winter}
    assert selectors.product_list(contract=None, query="шина", category=shop.building).rows == []


def test_filters_and_querydict_parsing(shop):
    pk = shop.season.pk
    qd = QueryDict(f"a{pk}=Зимние&a{pk}=Летние&page=2&x=1&a{pk}=")
    assert selectors.filters_from_querydict(qd) == {shop.season.pk: ["Зимние", "Летние"]}
    page = selectors.product_list(contract=None, filters={shop.season.pk: ["Зимние"]})
    assert [r.product for r in page.rows] == [shop.tyre_winter]


def test_filters_widen_within_an_attribute_and_narrow_across_attributes(shop):
    # Two values of one attribute: either will do, and each product is listed once.
    both = {shop.season.pk: ["Зимние", "Летние"]}
    page = selectors.product_list(contract=None, filters=both, per_page=200)
    assert sorted(r.product.pk for r in page.rows) == sorted([shop.tyre_summer.pk, shop.tyre_winter.pk])
    assert page.total == 2
    # A second attribute: both must hold (the winter tyre is the studded one).
    narrowed = selectors.product_list(contract=None, filters={**both, shop.studded.pk: ["1"]}, per_page=200)
    assert [r.product for r in narrowed.rows] == [shop.tyre_winter] and narrowed.total == 1
    unstudded = {**both, shop.studded.pk: ["0"]}
    assert [r.product for r in selectors.product_list(contract=None, filters=unstudded).rows] == [shop.tyre_summer]


def _facet_counts(facets):
    return {(f.attribute.code, v.value): v.count for f in facets for v in f.values}


def test_facet_counts_match_filtered_results(shop):
    extra = category_create(name="Легковые", parent=shop.tyres)
    for i in range(3):
        p = product(f"TYR-X-{i}", f"Шина зимняя {i}", extra)
        set_price(p, shop.retail, 5000)
        product_attribute_set(product=p, attribute=shop.season, value="Зимние")
        product_attribute_set(product=p, attribute=shop.studded, value=i == 0)
    filters = {shop.season.pk: ["Зимние"]}
    facets = selectors.facets(contract=None, category=shop.tyres, filters=filters)
    counts = _facet_counts(facets)
    # The season facet ignores its own filter; the others count within it.
    assert counts[("season", "Зимние")] == 4 and counts[("season", "Летние")] == 1
    assert counts[("studded", "1")] == 2 and counts[("studded", "0")] == 2
    for (code, value), n in counts.items():
        attribute = {"season": shop.season, "studded": shop.studded}[code]
        others = {k: v for k, v in filters.items() if k != attribute.pk}
        page = selectors.product_list(
            contract=None, category=shop.tyres, filters={**others, attribute.pk: [value]}, per_page=200
        )
        assert page.total == n, (code, value)
    selected = [v for f in facets for v in f.values if v.selected]
    assert [v.value for v in selected] == ["Зимние"]


def test_search_facets_count_what_each_value_would_leave_and_only_visible_filterable_products(shop, company):
    from optovik.catalog.models import Attribute
    from optovik.pricing.models import SpecificationItem

    counts = _facet_counts(selectors.facets(contract=company.c1, query="шина"))
    assert counts == {("season", "Летние"): 1, ("season", "Зимние"): 1, ("studded", "0"): 1, ("studded", "1"): 1}
    attributes = {"season": shop.season, "studded": shop.studded}
    for (code, value), n in counts.items():
        page = selectors.product_list(contract=company.c1, query="шина", filters={attributes[code].pk: [value]})
        assert page.total == n, (code, value)
    Attribute.objects.filter(pk=shop.studded.pk).update(is_filterable=False)
    company.c1.specification_only = True
    company.c1.save()
    SpecificationItem.objects.create(contract=company.c1, product=shop.tyre_summer)
    assert _facet_counts(selectors.facets(contract=company.c1, query="шина")) == {("season", "Летние"): 1}


def test_facets_with_a_selected_value_that_matches_nothing_show_it_with_zero(shop):
    facets = selectors.facets(contract=None, category=shop.building, filters={shop.season.pk: ["Летние"]})
    assert _facet_counts(facets)[("season", "Летние")] == 0


@pytest.mark.parametrize("sort", ["name", "price", "availability", "newest"])
def test_listing_query_count_is_the_same_for_10_and_48_rows(shop, company, django_assert_num_queries, sort):
    for i in range(48):
        p = product(f"BULK-{i:03d}", f"Товар {i:03d}", shop.cement_cat)
        set_price(p, shop.retail, 100 + i)
        stock(p, shop.wh, i)
    counts = []

    def category():  # as a request has it: read afresh (a page keeps what it learns of its subtree on it)
        return Category.objects.get(pk=shop.building.pk)

    for per_page in (10, 48):
        building = category()
        with CaptureQueriesContext(connection) as ctx:
            page = selectors.product_list(contract=company.c1, category=building, sort=sort, per_page=per_page)
        assert len(page.rows) == per_page
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    building = category()
    with django_assert_num_queries(counts[0]):
        selectors.product_list(contract=company.c1, category=building, sort=sort, per_page=48, page=2)


def test_card_has_everything_the_page_shows(shop, company):
    card = selectors.product_card(contract=company.c1, product_id=shop.cement.pk)
    assert card.price.unit_gross == Decimal("620.00")
    assert [c.name for c in card.breadcrumbs] == ["Стройматериалы", "Цемент"]
    assert ("Weight", "50 кг") in [(a.name, text) for a, text in card.attributes]
    assert selectors.product_card(contract=company.c1, product_id=10**9) is None


def test_card_reads_whole_products_in_a_fixed_number_of_queries(shop, company, django_assert_num_queries):
    from optovik.catalog.models import Barcode, ProductImage
    from optovik.catalog.services import product_relate

    plain = selectors.product_card(contract=company.c1, product_id=shop.cement.pk)
    product_relate(product=shop.cement, related=shop.cement400, kind="analog")
    product_relate(product=shop.cement, related=shop.plaster, kind="related")
    product_relate(product=shop.cement, related=shop.tyre_summer, kind="related")
    for code in ("4600000000017", "4600000000024"):
        Barcode.objects.create(product=shop.cement, code=code)
    second = ProductImage.objects.create(product=shop.cement, image="catalog/b.jpg", sort_order=2)
    first = ProductImage.objects.create(product=shop.cement, image="catalog/a.jpg", sort_order=1)
    with CaptureQueriesContext(connection) as without_relations:
        selectors.product_card(contract=company.c1, product_id=shop.cement400.pk)
    with CaptureQueriesContext(connection) as with_relations:
        card = selectors.product_card(contract=company.c1, article=shop.cement.article)
    assert len(with_relations) == len(without_relations)
    assert card.analogs == [shop.cement400]
    assert card.related == [shop.tyre_summer, shop.plaster]  # by name
    assert card.images == [first, second] and card.images[0].image.name == "catalog/a.jpg"
    assert card.barcodes == ["4600000000017", "4600000000024"]
    assert [(a.code, text) for a, text in card.attributes] == [(a.code, text) for a, text in plain.attributes]
    with django_assert_num_queries(0):  # everything the page shows is loaded, typed as the ORM types it
        product = card.product
        assert (product.category.name, product.brand.name, product.unit.name) == ("Цемент", "Евроцемент", "шт")
        assert product.vat_rate == shop.cement.vat_rate and isinstance(product.pack_multiplicity, Decimal)
        assert product.description == shop.cement.description and product.created_at == shop.cement.created_at
        assert [(p.unit.name, p.brand) for p in card.related] == [("шт", None), ("шт", None)]
        assert not card.images[0]._state.adding and not product._state.adding


def test_rows_carry_unit_brand_and_first_image_without_further_queries(shop, company, django_assert_num_queries):
    from optovik.catalog.models import ProductImage

    ProductImage.objects.create(product=shop.cement, image="catalog/second.jpg", sort_order=2)
    ProductImage.objects.create(product=shop.cement, image="catalog/first.jpg", sort_order=1)
    for kwargs in ({"category": shop.building}, {"query": "цемент"}):  # listing rows; search relevance
        rows = {row.product.pk: row for row in selectors.product_list(contract=company.c1, **kwargs).rows}
        with django_assert_num_queries(0):
            assert rows[shop.cement.pk].product.brand.name == "Евроцемент"
            assert rows[shop.cement.pk].image.image.name == "catalog/first.jpg"
            assert rows[shop.cement400.pk].image is None and rows[shop.cement400.pk].product.brand is None
            assert {row.product.unit.name for row in rows.values()} == {"шт"}
            assert isinstance(rows[shop.cement.pk].product.min_order_quantity, Decimal)


def test_rows_show_the_price_of_one_unit_bought_alone_not_an_order_of_the_whole_page(shop, company):
    from optovik.pricing.models import AmountDiscount

    AmountDiscount.objects.create(client=company.client, min_amount=Decimal(10000), percent=Decimal(2))
    rows = {row.product.pk: row.price for row in selectors.product_list(contract=company.c1, category=shop.tyres).rows}
    assert (rows[shop.tyre_summer.pk].unit_gross, rows[shop.tyre_winter.pk].unit_gross) == (
        Decimal("7800.00"),
        Decimal("9900.00"),
    )
    assert selectors.product_card(contract=company.c1, product_id=shop.tyre_winter.pk).price.unit_gross == Decimal(
        "9900.00"
    )


def test_category_tree_and_breadcrumbs(shop):
    tree = selectors.category_tree()
    assert [n.category.name for n in tree] == ["Стройматериалы", "Шины"]
    assert [n.category.name for n in tree[0].children] == ["Цемент"]
    assert set(selectors.category_descendant_ids(category=shop.building)) == {shop.building.pk, shop.cement_cat.pk}
    assert selectors.category_breadcrumbs(category=shop.cement_cat) == [shop.building, shop.cement_cat]


def test_category_children_lists_subcategories_only(shop, company):
    deep = category_create(name="Портландцемент", parent=shop.cement_cat)
    nodes = selectors.category_children(contract=None, category=shop.building)
    assert [n.category for n in nodes] == [shop.cement_cat]
    assert [n.category for n in nodes[0].children] == [deep]
    company.c1.specification_only = True
    company.c1.save()
    assert selectors.category_children(contract=company.c1, category=shop.building) == []


@pytest.mark.parametrize("sort", ["name", "newest"])
def test_broad_category_count_is_capped_and_rows_stay_in_order(shop, monkeypatch, sort):
    expected = [r.product for r in selectors.product_list(contract=None, category=shop.building, sort=sort).rows]
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    page = selectors.product_list(contract=None, category=shop.building, sort=sort, per_page=48)
    assert page.total_capped and page.total == 2
    assert [r.product for r in page.rows] == expected
