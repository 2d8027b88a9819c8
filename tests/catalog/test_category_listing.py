"""Category pages read the listing rows (``CategoryProduct``): they must follow every write."""

import random
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from optovik.catalog import selectors, services
from optovik.catalog.generate import generate_catalog
from optovik.catalog.models import Category, CategoryProduct, Product
from optovik.inventory.models import Warehouse
from optovik.inventory.selectors import availability_for_products
from optovik.inventory.services import stock_set
from optovik.pricing.models import ContractPrice, Price
from optovik.pricing.resolver import price_type_for


def articles(category, **kwargs):
    page = selectors.product_list(contract=None, category=category, **kwargs)
    return [row.product.article for row in page.rows]


def rows_of(p):
    return set(CategoryProduct.objects.filter(product=p).values_list("category_id", flat=True))


def test_a_product_is_listed_under_its_category_and_every_ancestor(shop):
    assert rows_of(shop.cement) == {shop.building.pk, shop.cement_cat.pk}
    assert rows_of(shop.tyre_summer) == {shop.tyres.pk}
    assert "CEM-500-50" in articles(shop.building)
    assert "CEM-500-50" in articles(shop.cement_cat)


def test_the_page_is_ordered_by_name_and_by_newest(shop):
    assert articles(shop.building) == ["CEM-400-25", "CEM-500-50", "MIX-ROT-30"]
    assert articles(shop.building, sort="newest") == ["MIX-ROT-30", "CEM-400-25", "CEM-500-50"]
    page2 = selectors.product_list(contract=None, category=shop.building, per_page=2, page=2)
    assert [r.product.article for r in page2.rows] == ["MIX-ROT-30"]
    assert (page2.total, page2.total_capped, page2.num_pages) == (3, False, 2)


def test_a_renamed_product_moves_in_the_name_order(shop):
    services.product_update(product=shop.cement400, name="Яма цементная")
    assert articles(shop.building) == ["CEM-500-50", "MIX-ROT-30", "CEM-400-25"]


def test_a_product_moved_to_another_category_leaves_the_old_ancestors_pages(shop):
    services.product_update(product=shop.cement, category=shop.tyres)
    assert rows_of(shop.cement) == {shop.tyres.pk}
    assert "CEM-500-50" not in articles(shop.building)
    assert "CEM-500-50" not in articles(shop.cement_cat)
    assert "CEM-500-50" in articles(shop.tyres)


def test_a_moved_category_takes_its_products_to_the_new_ancestors(shop):
    services.product_attribute_set(product=shop.cement, attribute=shop.season, value="Летние")
    assert _season_counts(shop.building) == {"Летние": 1}
    services.category_move(category=shop.cement_cat, parent=shop.tyres)
    assert rows_of(shop.cement) == {shop.tyres.pk, shop.cement_cat.pk}
    assert articles(shop.building) == ["MIX-ROT-30"]
    assert articles(shop.tyres)[:2] == ["CEM-400-25", "CEM-500-50"]
    # Its values stay filed under its own category, which is now under «Шины» (a page reads the
    # categories afresh; the instances above keep the subtree they read).
    building, tyres = Category.objects.get(pk=shop.building.pk), Category.objects.get(pk=shop.tyres.pk)
    assert _season_counts(building) == {}
    assert _season_counts(tyres) == {"Зимние": 1, "Летние": 2}
    assert articles(tyres, filters={shop.season.pk: ["Летние"]}) == ["CEM-500-50", "TYR-205-55"]


def test_archived_products_are_absent_and_come_back_when_restored(shop):
    services.product_archive(product=shop.cement)
    assert rows_of(shop.cement) == set()
    assert articles(shop.building) == ["CEM-400-25", "MIX-ROT-30"]
    assert selectors.product_list(contract=None, category=shop.building).total == 2
    services.product_update(product=shop.cement, status=Product.Status.ACTIVE)
    assert "CEM-500-50" in articles(shop.building)


def test_a_product_archived_behind_the_services_back_is_still_not_shown(shop):
    Product.objects.filter(pk=shop.cement.pk).update(status=Product.Status.ARCHIVED)
    assert "CEM-500-50" not in articles(shop.building)


def test_products_of_an_inactive_subcategory_stay_off_the_parent_page(shop):
    Category.objects.filter(pk=shop.cement_cat.pk).update(is_active=False)
    assert articles(shop.building) == ["MIX-ROT-30"]


def test_filters_and_price_sorts_give_the_same_products(shop):
    by_price = selectors.product_list(contract=None, category=shop.building, sort="price")
    assert {r.product.article for r in by_price.rows} == set(articles(shop.building))


def test_generated_catalog_has_listing_rows_for_every_active_product(db):
    generate_catalog(products=300, seed=3)
    active = Product.objects.filter(status="active")
    for p in active.select_related("category")[:40]:
        assert rows_of(p) == set(p.category.ancestor_ids)
    assert not CategoryProduct.objects.exclude(product__status="active").exists()
    assert CategoryProduct.objects.values("product").distinct().count() == active.count()
    top = Category.objects.filter(external_id__startswith="gen-3-", depth=1).first()
    names = [r.product.name for r in selectors.product_list(contract=None, category=top).rows]
    assert names and names == sorted(names)


def test_a_product_is_listed_once_per_category_and_a_second_row_is_refused(shop):
    # The uniqueness is a plain unique index (bulk loads drop it and build it again): it must hold.
    with pytest.raises(IntegrityError), transaction.atomic():
        CategoryProduct.objects.create(category=shop.building, product=shop.cement, name=shop.cement.name)
    assert rows_of(shop.cement) == {shop.building.pk, shop.cement_cat.pk}
    assert articles(shop.building).count("CEM-500-50") == 1


def test_a_filtered_category_page_lists_exactly_the_products_with_a_chosen_value(db):
    generate_catalog(products=400, seed=4)
    root = Category.objects.get(external_id="gen-4")
    facet, top = max(
        ((f, v) for f in selectors.facets(contract=None, category=root) for v in f.values), key=lambda fv: fv[1].count
    )
    attribute, first = facet.attribute, top.value
    second = next(v.value for v in facet.values if v.value != first)

    def expected(*values, order=("name", "id")):
        products = Product.objects.filter(
            status=Product.Status.ACTIVE,
            attribute_values__attribute=attribute,
            attribute_values__value_key__in=values,
        )
        return list(products.order_by(*order).values_list("article", flat=True))

    wanted = expected(first)
    assert len(wanted) > 20
    filters = {attribute.pk: [first]}
    page1 = selectors.product_list(contract=None, category=root, filters=filters, per_page=10)
    page2 = selectors.product_list(contract=None, category=root, filters=filters, per_page=10, page=2)
    assert [r.product.article for r in page1.rows + page2.rows] == wanted[:20]
    assert page1.total == len(wanted) == top.count
    newest = articles(root, filters=filters, sort="newest", per_page=500)
    assert newest == expected(first, order=("-id",))
    # Two values of the attribute: either; the price sort (another path) lists the same products.
    both = {attribute.pk: [first, second]}
    assert articles(root, filters=both, per_page=500) == expected(first, second)
    assert set(articles(root, filters=both, per_page=500, sort="price")) == set(expected(first, second))

    # A value no product has, or an attribute that does not exist: an empty page, not an error.
    for nothing in ({attribute.pk: ["no such value"]}, {10**9: [first]}):
        empty = selectors.product_list(contract=None, category=root, filters=nothing)
        assert (empty.rows, empty.total, empty.page) == ([], 0, 1)

    # A product whose value changes leaves the filtered page.
    leaving = Product.objects.get(article=wanted[0])
    services.product_attribute_set(product=leaving, attribute=attribute, value=second)
    assert articles(root, filters=filters, per_page=500) == wanted[1:]


def _by_availability(products):
    """The articles by available stock (counted from the stock rows), most first, then by name."""
    ordered = list(products.order_by("name", "id"))
    totals = availability_for_products(product_ids=[p.pk for p in ordered])
    return [p.article for p in sorted(ordered, key=lambda p: -totals[p.pk].available)]  # stable: ties by name


def test_a_category_page_sorted_by_availability_reads_its_listing_in_that_order(db, monkeypatch):
    """The listing rows carry each product's available total: a page of any category sorted by
    availability is one range of their index, with ties by name, and it follows stock changes."""
    generate_catalog(products=400, seed=5)
    root = Category.objects.get(external_id="gen-5")
    branch = Category.objects.filter(path__startswith=root.path, depth=root.depth + 1).first()
    sorted_on_their_own = []
    monkeypatch.setattr(selectors, "_ordered", lambda *a, **k: sorted_on_their_own.append(1))
    for category in (root, branch):
        products = Product.objects.filter(status=Product.Status.ACTIVE, category__path__startswith=category.path)
        expected = _by_availability(products)
        assert len(expected) > 30
        assert [a for n in (1, 2, 3) for a in articles(category, sort="availability", per_page=10, page=n)] == (
            expected[:30]
        )
    # The last product of the branch gets the most stock: it comes first, on both pages.
    last = Product.objects.get(article=expected[-1])
    stock_set(product_id=last.pk, warehouse_id=Warehouse.objects.first().pk, on_hand=Decimal(10**6))
    assert articles(branch, sort="availability", per_page=1) == articles(root, sort="availability", per_page=1)
    assert articles(root, sort="availability", per_page=1) == [last.article]
    assert sorted_on_their_own == []


def _calls(monkeypatch, *names) -> list[str]:
    """The names of these ``selectors`` functions, recorded as they are called (they still run)."""
    calls = []
    for name in names:
        original = getattr(selectors, name)

        def spy(*args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(selectors, name, spy)
    return calls


def _cheaper(answer):
    return lambda category_id, *, total, reach: answer


PAGE_PATHS = {
    # path: (what is patched in ``selectors``, (walked, sorted))
    "as-chosen": ({}, None),
    "sorted": ({"_sorting_is_cheaper": _cheaper(True)}, (False, True)),
    "walked": ({"_sorting_is_cheaper": _cheaper(False)}, (True, False)),
    "walk-gives-way-to-sorting": ({"_sorting_is_cheaper": _cheaper(False), "WALK_ROWS": 2}, (True, True)),
    "too-many-to-sort-walked-on": ({"_sorting_is_cheaper": _cheaper(False), "COUNT_CAP": 15}, (True, False)),
}


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_a_filtered_page_is_the_same_whichever_way_it_is_found(db, monkeypatch, path):
    """A filtered category page sorts its matches on its own or walks the listing for them
    (``selectors._filtered_listing_page_ids``), whichever reads fewer rows; a walk that passes
    too many rows gives way to sorting. Every way gives the same pages (three pages of five, as
    ``COUNT_CAP = 15`` leaves reachable), and none shows an archived product."""
    generate_catalog(products=400, seed=6)
    root = Category.objects.get(external_id="gen-6")
    facet = max(selectors.facets(contract=None, category=root), key=lambda f: max(v.count for v in f.values))
    chosen = max(facet.values, key=lambda v: v.count)
    filters = {facet.attribute.pk: [chosen.value]}
    products = Product.objects.filter(
        status=Product.Status.ACTIVE,
        attribute_values__attribute=facet.attribute,
        attribute_values__value_key=chosen.value,
    )
    by_name = list(products.order_by("name", "id").values_list("article", flat=True))
    newest = list(products.order_by("-id").values_list("article", flat=True))
    by_availability = _by_availability(products)
    assert len(by_name) > 16
    patched, expected_ways = PAGE_PATHS[path]
    for name, value in patched.items():
        monkeypatch.setattr(selectors, name, value)
    ways = _calls(monkeypatch, "_listing_filtered", "_sorted_matches")

    def pages(sort):
        ways.clear()
        result = [a for n in (1, 2, 3) for a in articles(root, filters=filters, sort=sort, per_page=5, page=n)]
        return result, ("_listing_filtered" in ways, "_sorted_matches" in ways)

    for sort, expected in (("name", by_name), ("newest", newest), ("availability", by_availability)):
        result, used = pages(sort)
        assert result == expected[:15]
        assert expected_ways is None or used == expected_ways
    # Archived without the services (its listing rows and values still there): still not shown.
    Product.objects.filter(article=by_name[0]).update(status=Product.Status.ARCHIVED)
    assert pages("name")[0] == by_name[1:16]


def test_matches_are_sorted_when_fewer_than_a_walk_would_read(shop):
    """``total² ≤ reach × size``: a walk to the reach-th of ``total`` matches spread over ``size``
    listing rows reads ``reach × size / total`` of them; sorting reads ``total``."""
    assert CategoryProduct.objects.filter(category=shop.building).count() == 3
    assert selectors._sorting_is_cheaper(shop.building.pk, total=2, reach=2)  # 4 ≤ 6
    assert not selectors._sorting_is_cheaper(shop.building.pk, total=3, reach=2)  # 9 > 6
    assert selectors._sorting_is_cheaper(shop.building.pk, total=3, reach=3)  # 9 ≤ 9
    assert not selectors._sorting_is_cheaper(shop.building.pk, total=200, reach=48)  # 40,000 > 144


def test_a_walk_for_a_value_reads_the_narrowest_category_that_holds_its_products(db):
    """Attributes belong to some categories: all products with a value may lie in one branch, and
    in name order the other branches' products come between them."""
    generate_catalog(products=400, seed=7)
    root = Category.objects.get(external_id="gen-7")
    listed = selectors.category_descendant_ids(category=root)
    below_root = 0
    for facet in selectors.facets(contract=None, category=root):
        for value in facet.values:
            filters = {facet.attribute.pk: [value.value]}
            paths = {
                tuple(p.category.ancestor_ids)
                for p in Product.objects.filter(
                    status=Product.Status.ACTIVE,
                    attribute_values__attribute=facet.attribute,
                    attribute_values__value_key=value.value,
                ).select_related("category")
            }
            common = [ids[0] for ids in zip(*paths, strict=False) if len(set(ids)) == 1]
            assert selectors._narrowest_category_id(listed, filters) == common[-1]
            below_root += common[-1] != root.pk
    assert below_root > 0  # some values are a single branch's
    assert selectors._narrowest_category_id(listed, {10**9: ["none"]}) == root.pk  # no product has it


def _season_counts(category, **filters):
    facets = selectors.facets(contract=None, category=category, filters=filters or None)
    return {v.value: v.count for f in facets if f.attribute.code == "season" for v in f.values}


def test_facets_and_filtered_totals_follow_a_move_an_archive_and_a_new_value(shop):
    """A category page counts its facets and filtered total from the attribute values filed under
    the product's category (``listed_category``): every write that changes the category, the status
    or the value must move them."""
    summer = {shop.season.pk: ["Летние"]}

    def state(category):
        totals = {
            sort: selectors.product_list(contract=None, category=category, filters=summer, sort=sort).total
            for sort in ("name", "price")
        }
        return _season_counts(category), totals

    assert state(shop.tyres) == ({"Зимние": 1, "Летние": 1}, {"name": 1, "price": 1})
    assert state(shop.building) == ({}, {"name": 0, "price": 0})

    services.product_update(product=shop.tyre_summer, category=shop.cement_cat)
    assert state(shop.tyres) == ({"Зимние": 1}, {"name": 0, "price": 0})
    for category in (shop.building, shop.cement_cat):  # the new category and its parent
        assert state(category) == ({"Летние": 1}, {"name": 1, "price": 1})
        assert articles(category, filters=summer) == ["TYR-205-55"]
    assert _season_counts(shop.building, **{str(shop.studded.pk): ["0"]}) == {"Летние": 1}
    assert _season_counts(shop.building, **{str(shop.studded.pk): ["1"]}) == {}

    services.product_archive(product=shop.tyre_summer)
    assert state(shop.building) == ({}, {"name": 0, "price": 0})
    services.product_update(product=shop.tyre_summer, status=Product.Status.ACTIVE)
    assert state(shop.building) == ({"Летние": 1}, {"name": 1, "price": 1})

    services.product_attribute_set(product=shop.tyre_summer, attribute=shop.season, value="Зимние")
    assert state(shop.building) == ({"Зимние": 1}, {"name": 0, "price": 0})
    services.product_archive(product=shop.tyre_summer)
    services.product_attribute_set(product=shop.tyre_summer, attribute=shop.season, value="Летние")
    assert state(shop.building) == ({}, {"name": 0, "price": 0})  # set while archived: not listed


@pytest.mark.skipif(connection.vendor != "postgresql", reason="extended statistics are PostgreSQL's")
def test_postgresql_knows_that_listed_category_attribute_and_value_go_together(db):
    """Without these statistics PostgreSQL multiplied the three columns' selectivities, expected
    65 products with a chosen value where 2,978 came, and looked each one up through the table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(a.attname ORDER BY a.attname) FROM pg_statistic_ext s "
            "JOIN pg_attribute a ON a.attrelid = s.stxrelid AND a.attnum = ANY (s.stxkeys) "
            "WHERE s.stxrelid = 'catalog_productattributevalue'::regclass GROUP BY s.oid"
        )
        assert cursor.fetchall() == [(["attribute_id", "listed_category_id", "value_key"],)]


@pytest.mark.parametrize("sort", ["price", "-price"])
def test_a_broad_category_sorted_by_price_reads_the_prices_in_order(db, company, monkeypatch, sort):
    """A category of more than ``COUNT_CAP`` products sorted by price reads the contract's prices
    and its price type's prices in their order (``selectors._price_walk_page_ids``) instead of
    sorting every product: the same order (ties by id), products without a price after all others,
    contract prices in place of the price type's, nothing archived, and, when the windows of
    prices do not fill a page, the sort instead."""
    generate_catalog(products=400, seed=8)
    root = Category.objects.get(external_id="gen-8")
    contract = company.c1
    price_type = price_type_for(contract)
    under_root = selectors.category_descendant_ids(category=root)
    products = list(Product.objects.filter(status=Product.Status.ACTIVE, category_id__in=under_root))
    rnd = random.Random(8)
    for product in rnd.sample(products, 60):  # contract prices below and above the type's
        ContractPrice.objects.update_or_create(
            contract=contract, product=product, defaults={"price": Decimal(rnd.randrange(100, 900_000)) / 100}
        )
    type_prices = dict(Price.objects.filter(price_type=price_type).values_list("product_id", "price"))
    own = dict(ContractPrice.objects.filter(contract=contract).values_list("product_id", "price"))
    ends = sorted(products, key=lambda p: own.get(p.pk, type_prices.get(p.pk)), reverse=sort == "-price")[:3]
    unpriced, archived = ends[:2], ends[2]
    for product in unpriced:
        Price.objects.filter(product=product, price_type=price_type).delete()
        ContractPrice.objects.filter(contract=contract, product=product).delete()
    services.product_archive(product=archived)
    shown = [p for p in products if p not in unpriced and p != archived]
    key = {p.pk: own.get(p.pk, type_prices.get(p.pk)) for p in shown}
    expected = sorted(shown, key=lambda p: (key[p.pk], p.pk), reverse=sort == "-price")
    walked = []
    original = selectors._price_walk_page_ids
    monkeypatch.setattr(
        selectors, "_price_walk_page_ids", lambda *a, **k: walked.append(original(*a, **k)) or walked[-1]
    )
    monkeypatch.setattr(selectors, "COUNT_CAP", 50)  # the root (about 390 products) is broad
    monkeypatch.setattr(selectors, "PRICE_WINDOWS", (20, 60, 150))

    def page(n):
        result = selectors.product_list(contract=contract, category=root, sort=sort, per_page=10, page=n)
        return [row.product.pk for row in result.rows]

    assert [pk for n in range(1, 6) for pk in page(n)] == [p.pk for p in expected[:50]]
    assert len(walked) == 5 and all(ids is not None for ids in walked)
    # Archived behind the services' back (its listing rows still there): not shown either.
    Product.objects.filter(pk=expected[0].pk).update(status=Product.Status.ARCHIVED)
    assert page(1) == [p.pk for p in expected[1:10]]
    Product.objects.filter(pk=expected[0].pk).update(status=Product.Status.ACTIVE)
    # Windows too small for a page: the page is sorted instead, with the same products in price order.
    monkeypatch.setattr(selectors, "PRICE_WINDOWS", (3,))
    walked.clear()
    first = page(1)
    assert walked == [None]
    assert [key[pk] for pk in first] == [key[p.pk] for p in expected[:10]]
    assert set(first) <= {p.pk for p in shown}


@pytest.mark.parametrize("sort", ["price", "-price"])
def test_a_filtered_category_page_sorted_by_price_starts_from_its_matches(db, company, monkeypatch, sort):
    """With a filter, a category page sorted by price sorts the matches alone (ties by name), or,
    when they are more than ``COUNT_CAP``, reads the prices in order and looks each product's value
    up (ties by id): never every product of the category (0.2–0.8 s for a top-level category of a
    million). Contract prices count in place of the price type's."""
    generate_catalog(products=400, seed=9)
    root = Category.objects.get(external_id="gen-9")
    contract = company.c1
    facet = max(selectors.facets(contract=contract, category=root), key=lambda f: max(v.count for v in f.values))
    chosen = max(facet.values, key=lambda v: v.count)
    filters = {facet.attribute.pk: [chosen.value]}
    matches = Product.objects.filter(
        status=Product.Status.ACTIVE,
        attribute_values__attribute=facet.attribute,
        attribute_values__value_key=chosen.value,
    )
    by_name = list(matches.order_by("name", "id"))
    assert len(by_name) > 30
    rnd = random.Random(9)
    for product in rnd.sample(by_name, 10):
        ContractPrice.objects.update_or_create(
            contract=contract, product=product, defaults={"price": Decimal(rnd.randrange(100, 900_000)) / 100}
        )
    price_type = price_type_for(contract)
    type_prices = dict(Price.objects.filter(price_type=price_type).values_list("product_id", "price"))
    own = dict(ContractPrice.objects.filter(contract=contract).values_list("product_id", "price"))
    key = {p.pk: own.get(p.pk, type_prices.get(p.pk)) for p in by_name}
    descending = sort == "-price"
    ways = _calls(monkeypatch, "_price_walk_page_ids", "_sorted_matches")

    def pages():
        ways.clear()
        return [
            row.product.pk
            for n in (1, 2, 3)
            for row in selectors.product_list(
                contract=contract, category=root, filters=filters, sort=sort, per_page=5, page=n
            ).rows
        ]

    few = sorted(by_name, key=lambda p: key[p.pk], reverse=descending)  # stable: ties stay by name
    assert pages() == [p.pk for p in few[:15]]
    assert set(ways) == {"_sorted_matches"}

    monkeypatch.setattr(selectors, "COUNT_CAP", 20)  # the matches are many now
    monkeypatch.setattr(selectors, "PRICE_WINDOWS", (150, 400))
    many = sorted(by_name, key=lambda p: (key[p.pk], p.pk), reverse=descending)
    assert pages() == [p.pk for p in many[:15]]
    assert set(ways) == {"_price_walk_page_ids"}
