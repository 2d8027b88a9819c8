from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count

from optovik.catalog.demo import ean13
from optovik.catalog.generate import (
    PRICE_TYPES,
    STOCK_LEVELS,
    Hash,
    SearchIndexAside,
    _secondary_indexes,
    generate_catalog,
)
from optovik.catalog.models import (
    Attribute,
    AttributeOption,
    Barcode,
    Category,
    CategoryProduct,
    Product,
    ProductAttributeValue,
)
from optovik.catalog.search import backend, product_search, sqlite
from optovik.catalog.selectors import product_list
from optovik.inventory.models import Stock, Warehouse
from optovik.pricing.models import ContractPrice, Price, PriceType, SpecificationItem
from tests.catalog.builders import Shop

# Masculine nouns of the generated catalog and their genitive: a word form that is not in the name.
GENITIVES = {"Цемент": "цемента", "Кирпич": "кирпича", "Саморез": "самореза", "Анкер": "анкера", "Болт": "болта"}


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
    assert len(leaf_ids) > 300  # spread over the leaves (580 of them)
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


def test_generated_rows_follow_the_rules(db):
    result = generate_catalog(products=1500, seed=11, batch_size=400)
    first = result["first_id"]
    products = {p.pk: p for p in Product.objects.filter(external_id__startswith="gen-G11-")}
    assert sorted(products) == list(range(first, first + 1500))
    for pk, p in products.items():
        number = pk - first + 1
        assert p.article == f"G11-{number:07d}" and p.external_id == f"gen-{p.article}" and p.code == str(pk)
        assert p.description.startswith("<p>") and f"Код {p.article}." in p.description
        assert p.unit_id and p.vat_rate_id and p.brand_id
    archived = sum(p.status == "archived" for p in products.values())
    assert 5 <= archived <= 70  # about 2 %

    # Five prices per product: the base (retail) times the factor of the price type, in kopecks.
    factors = {PriceType.objects.get(code=code).pk: factor for code, _name, factor in PRICE_TYPES}
    prices: dict[int, dict[int, Decimal]] = {}
    for product_id, type_id, price in Price.objects.filter(product_id__in=products).values_list(
        "product_id", "price_type_id", "price"
    ):
        prices.setdefault(product_id, {})[type_id] = price
    assert set(prices) == set(products)
    for by_type in prices.values():
        assert set(by_type) == set(factors)
        base = next(by_type[t] for t, f in factors.items() if f == 1)
        assert Decimal(10) < base < Decimal(30000) and base == base.to_integral_value()
        for type_id, factor in factors.items():
            assert by_type[type_id] == (base * factor).quantize(Decimal("0.01")) > 0

    # Stock: three different warehouses, levels from the list, reserved a tenth of on hand.
    stock = Stock.objects.filter(product_id__in=products)
    assert stock.count() == 3 * 1500
    assert set(
        stock.values_list("product_id").annotate(n=Count("warehouse_id", distinct=True)).values_list("n", flat=True)
    ) == {3}
    for on_hand, reserved in stock.values_list("on_hand", "reserved"):
        assert on_hand in STOCK_LEVELS and reserved == on_hand // 10 and reserved <= on_hand

    # Barcodes: "2" + the id on 11 digits + a valid EAN-13 check digit.
    for product_id, code in Barcode.objects.filter(product_id__in=products).values_list("product_id", "code"):
        assert code == ean13(f"2{product_id:011d}")
        assert sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(code)) % 10 == 0

    # Attribute values by kind; an option always belongs to the value's own attribute.
    kinds = dict(Attribute.objects.filter(code__startswith="gen-").values_list("pk", "kind"))
    options = {o.pk: o for o in AttributeOption.objects.filter(attribute_id__in=kinds)}
    values = ProductAttributeValue.objects.filter(product_id__in=products)
    assert values.count() >= 3 * 1500
    for product_id, attribute_id, key, number, option_id, listed in values.values_list(
        "product_id", "attribute_id", "value_key", "value_number", "option_id", "listed_category_id"
    ):
        p = products[product_id]  # filed under the product's category while it is active (facets read them so)
        assert listed == (p.category_id if p.status == "active" else None)
        kind = kinds[attribute_id]
        if kind == "enum":
            assert options[option_id].attribute_id == attribute_id and options[option_id].value == key
        else:
            assert option_id is None
        if kind == "number":
            assert number == Decimal(key) and 5 <= number <= 295
        if kind == "boolean":
            assert key in ("0", "1")

    # Search: a word form that is not in the name (the genitive), the article, the benchmark's words.
    product = next(
        p
        for p in sorted(products.values(), key=lambda p: p.pk)
        if p.status == "active" and p.name.split()[0] in GENITIVES
    )
    noun, _adjective, brand = product.name.split()[:3]
    assert product.pk in product_search(q=f"{GENITIVES[noun]} {brand}", contract=None, limit=5000).product_ids
    assert product_search(q=product.article, contract=None).exact_product_id == product.pk
    assert product.pk in product_search(q=product.article[:-1], contract=None, limit=5000).product_ids
    for query, start in (("шина зимняя", "Шина зимняя "), ("цемент усиленный", "Цемент усиленный ")):
        expected = {p.pk for p in products.values() if p.status == "active" and p.name.startswith(start)}
        assert expected <= set(product_search(q=query, contract=None, limit=5000).product_ids)


def test_the_hash_is_the_same_in_sql_and_in_python(db):
    h = Hash(5)
    numbers = [0, 1, 2, 99, 123_456, 9_999_999, 2**31 + 7]
    sql = " UNION ALL ".join(f"SELECT {n}, {h.sql(str(n), 'leaf')}" for n in numbers)
    with connection.cursor() as cursor:
        cursor.execute(sql, [])  # with parameters, as the generator runs it ("%%")
        assert dict(cursor.fetchall()) == {n: h.value(n, "leaf") for n in numbers}
    assert all(0 <= h.value(n, "leaf") < Hash.P for n in numbers)
    assert [Hash(5).value(n, "leaf") for n in numbers] == [h.value(n, "leaf") for n in numbers]
    assert [Hash(6).value(n, "leaf") for n in numbers] != [h.value(n, "leaf") for n in numbers]
    assert [h.value(n, "brand") for n in numbers] != [h.value(n, "leaf") for n in numbers]


def _snapshot(seed: int) -> dict:
    """Everything generated for ``seed``, keyed by article, without ids."""
    products = Product.objects.filter(external_id__startswith=f"gen-G{seed}-")
    prices, stock, values = {}, {}, {}
    for article, code, price in Price.objects.filter(product__in=products).values_list(
        "product__article", "price_type__code", "price"
    ):
        prices.setdefault(article, set()).add((code, price))
    for article, code, on_hand, reserved in Stock.objects.filter(product__in=products).values_list(
        "product__article", "warehouse__code", "on_hand", "reserved"
    ):
        stock.setdefault(article, set()).add((code, on_hand, reserved))
    for article, code, key in ProductAttributeValue.objects.filter(product__in=products).values_list(
        "product__article", "attribute__code", "value_key"
    ):
        values.setdefault(article, set()).add((code, key))
    return {
        p["article"]: (p["name"], p["description"], p["status"], p["category__name"], p["brand__name"],
                       prices[p["article"]], stock[p["article"]], values[p["article"]])
        for p in products.values("article", "name", "description", "status", "category__name", "brand__name")
    }  # fmt: skip


def _delete_generated(seed: int) -> None:
    ids = list(Product.objects.filter(external_id__startswith=f"gen-G{seed}-").values_list("pk", flat=True))
    Product.objects.filter(pk__in=ids).delete()
    backend().index_delete(ids)
    for depth in range(4, 0, -1):
        Category.objects.filter(external_id__startswith=f"gen-{seed}-", depth=depth).delete()
    Category.objects.filter(external_id=f"gen-{seed}").delete()
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:  # no pending foreign-key checks before the indexes are rebuilt
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_same_seed_gives_the_same_catalog(db):
    generate_catalog(products=600, seed=9, batch_size=250)
    before = _snapshot(9)
    assert len(before) == 600
    _delete_generated(9)

    generate_catalog(products=600, seed=9)  # another batch size, the same rows
    assert _snapshot(9) == before
    generate_catalog(products=600, seed=10)
    other = _snapshot(10)
    assert [v[0] for v in other.values()] != [v[0] for v in before.values()]


def test_generate_catalog_refuses_a_seed_used_before(db):
    call_command("generate_catalog", products=10, seed=3, stdout=None)
    with pytest.raises(CommandError):
        call_command("generate_catalog", products=10, seed=3, stdout=None)
    with pytest.raises(CommandError):
        call_command("generate_catalog", products=0, seed=4, stdout=None)


def _connection_settings(cursor) -> dict:
    names = (
        ("journal_mode", "foreign_keys", "synchronous", "temp_store", "cache_size", "threads")
        if connection.vendor == "sqlite"
        else ("maintenance_work_mem", "synchronous_commit", "session_replication_role")
    )
    settings = {}
    for name in names:
        cursor.execute(f"PRAGMA {name}" if connection.vendor == "sqlite" else f"SHOW {name}")
        settings[name] = cursor.fetchone()[0]
    return settings


@pytest.fixture
def search_index_emptied():
    """A test outside a transaction: the flush after such a test leaves the SQLite FTS tables alone,
    so they may hold rows of another test's products, whose ids the flush gives out again (a load
    then meets their row ids). Emptied before and after."""
    backend().index_clear()
    yield
    backend().index_clear()


@pytest.mark.django_db(transaction=True)
def test_a_load_outside_a_transaction_leaves_indexes_and_settings_as_they_were(search_index_emptied):
    # The management command runs outside a transaction: there the loader changes the connection's
    # settings (journal, foreign keys, fsync; on SQLite multi-threaded sorting into temporary files
    # while the indexes are built), and every one of them must come back.
    with connection.cursor() as cursor:
        indexes = sorted(_secondary_indexes(cursor))
        settings = _connection_settings(cursor)
    assert indexes

    call_command("generate_catalog", products=3000, seed=5, batch_size=1000, stdout=None)

    with connection.cursor() as cursor:
        assert sorted(_secondary_indexes(cursor)) == indexes
        assert _connection_settings(cursor) == settings
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchall() == [("ok",)]
    products = Product.objects.filter(external_id__startswith="gen-G5-")
    assert products.count() == 3000
    active = products.filter(status="active")
    root = Category.objects.get(external_id="gen-5")
    assert CategoryProduct.objects.filter(category=root).count() == active.count()
    first = active.order_by("name", "id").first()
    assert product_list(contract=None, category=root, per_page=1).rows[0].product.pk == first.pk
    assert product_search(q=first.article, contract=None).exact_product_id == first.pk


def _search_rows(first_id: int) -> tuple[list, list]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, c0, c1 FROM {sqlite.FTS}_content WHERE id >= %s ORDER BY id", [first_id])  # noqa: S608
        words = cursor.fetchall()
        cursor.execute(f"SELECT id, c0 FROM {sqlite.TRGM}_content WHERE id >= %s ORDER BY id", [first_id])  # noqa: S608
        return words, cursor.fetchall()


# The second process that writes the FTS5 rows exists on SQLite only: PostgreSQL fills its search column
# (a generated tsvector) itself, and the tests above check generated products are found there too.
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the search-index process is SQLite's")


def _search_index_intact() -> None:
    with connection.cursor() as cursor:  # FTS5 raises "database disk image is malformed" otherwise
        for table in (sqlite.FTS, sqlite.TRGM):
            cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")  # noqa: S608


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_search_rows_written_by_another_process_are_those_one_connection_writes(search_index_emptied):
    shop = Shop()  # indexed before the load: must stay findable
    assert SearchIndexAside.possible()

    result = generate_catalog(products=1200, seed=21, batch_size=500)  # outside a transaction: aside

    _search_index_intact()
    aside = _search_rows(result["first_id"])
    assert len(aside[0]) == len(aside[1]) == 1200
    assert product_search(q="Евроцемент", contract=None).product_ids == [shop.cement.pk]
    generated = Product.objects.filter(external_id__startswith="gen-G21-", status="active").order_by("id").first()
    assert product_search(q=generated.article, contract=None).exact_product_id == generated.pk
    noun, _adjective, brand = generated.name.split()[:3]
    found = product_search(q=f"{noun} {brand}", contract=None, limit=5000).product_ids
    assert generated.pk in found

    _delete_generated(21)
    with transaction.atomic():  # inside a transaction the same load is written by one connection
        again = generate_catalog(products=1200, seed=21, batch_size=500)
    assert again["first_id"] == result["first_id"]
    _search_index_intact()
    assert _search_rows(result["first_id"]) == aside
    assert product_search(q=f"{noun} {brand}", contract=None, limit=5000).product_ids == found
    assert product_search(q="Евроцемент", contract=None).product_ids == [shop.cement.pk]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_failed_search_index_process_leaves_no_product_unindexed(monkeypatch, search_index_emptied):
    begin = SearchIndexAside.begin

    def begin_and_kill(self, **kwargs):
        begin(self, **kwargs)
        self.process.kill()  # as the kernel would when memory runs out

    monkeypatch.setattr(SearchIndexAside, "begin", begin_and_kill)
    shop = Shop()

    result = generate_catalog(products=800, seed=23, batch_size=300)

    _search_index_intact()
    words, articles = _search_rows(result["first_id"])
    assert len(words) == len(articles) == 800
    generated = Product.objects.filter(external_id__startswith="gen-G23-", status="active").order_by("id").first()
    noun, _adjective, brand = generated.name.split()[:3]
    assert generated.pk in product_search(q=f"{noun} {brand}", contract=None, limit=5000).product_ids
    assert product_search(q="Евроцемент", contract=None).product_ids == [shop.cement.pk]
