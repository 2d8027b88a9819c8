"""Each product's available stock, written into its listing rows (``CategoryProduct.available``), is
the key of the sort by availability: every writer of stock keeps it equal to the stock itself."""

import importlib
import io
import threading
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from optovik.accounts.models import User
from optovik.catalog import selectors
from optovik.catalog import services as services_catalog
from optovik.catalog.generate import generate_catalog
from optovik.catalog.models import CategoryProduct, Product
from optovik.inventory import services
from optovik.inventory.models import Stock, Warehouse
from optovik.inventory.selectors import availability_for_products
from optovik.inventory.services import stock_set, stock_write
from optovik.ordering.models import DeliveryMethod, OrderStatus
from optovik.ordering.services.checkout import order_place
from optovik.ordering.services.status import order_cancel, order_status_change
from tests.catalog.builders import stock, warehouse
from tests.ordering import factories as of

D = Decimal


def in_step() -> dict[int, Decimal]:
    """Asserts that every listing row holds its product's stock at the active warehouses; returns
    the products' totals."""
    ids = list(Product.objects.values_list("pk", flat=True))
    expected = {pid: a.available for pid, a in availability_for_products(product_ids=ids).items()}
    listed = CategoryProduct.objects.values_list("product_id", "available")
    assert listed.exists()
    assert [(pid, available) for pid, available in listed if available != expected[pid]] == []
    return expected


def by_availability(category, **kwargs):
    page = selectors.product_list(contract=None, category=category, sort="availability", **kwargs)
    return [row.product.article for row in page.rows]


def test_stock_set_keeps_the_totals_and_the_page_sorted_by_availability_follows(shop):
    # Every product has 100 on hand and 10 reserved at the main warehouse: ties go by name.
    assert by_availability(shop.building) == ["CEM-400-25", "CEM-500-50", "MIX-ROT-30"]
    north, closed = warehouse("north", sort=1), warehouse("closed", active=False)

    stock(shop.plaster, north, D("40.5"), D("0.5"))
    stock(shop.cement400, closed, 5000)  # a closed warehouse counts for nothing
    stock(shop.cement, shop.wh, 30, 29)

    totals = in_step()
    assert (totals[shop.plaster.pk], totals[shop.cement400.pk], totals[shop.cement.pk]) == (130, 90, 1)
    assert by_availability(shop.building) == ["MIX-ROT-30", "CEM-400-25", "CEM-500-50"]
    assert by_availability(shop.cement_cat) == ["CEM-400-25", "CEM-500-50"]
    assert by_availability(shop.building, per_page=1, page=3) == ["CEM-500-50"]


def test_a_write_that_fails_inside_the_block_changes_no_total(shop):
    before = in_step()
    with pytest.raises(ZeroDivisionError), transaction.atomic(), stock_write(product_ids=[shop.cement.pk]):
        Stock.objects.filter(product=shop.cement).update(on_hand=D(500))
        1 / 0  # noqa: B018 - the write fails after the stock changed
    assert in_step() == before
    assert Stock.objects.get(product=shop.cement).on_hand == 100


def test_orders_reserve_release_and_ship_keep_the_totals(company, db):
    translation.activate("en")
    main, north = of.warehouse("main", sort_order=1), of.warehouse("north", sort_order=2)
    bolt = of.product("B-1", stock={main: 3, north: 10})
    nut = of.product("N-1", stock=50)
    details = {"user": company.buyer, "legal_entity": company.le1, "contract": company.c1}
    details.update(delivery_method=DeliveryMethod.PICKUP, warehouse=main)

    first = order_place(lines=[(bolt.pk, D(5)), (nut.pk, D(20))], **details)
    assert (in_step()[bolt.pk], in_step()[nut.pk]) == (8, 30)
    second = order_place(lines=[(bolt.pk, D(8))], **details)
    assert in_step()[bolt.pk] == 0
    # Refused for stock: nothing reserved, nothing counted otherwise.
    with pytest.raises(Exception, match="Not enough stock"):
        order_place(lines=[(bolt.pk, D(1))], **details)
    assert in_step()[bolt.pk] == 0

    order_cancel(order=second, actor=company.buyer)
    assert in_step()[bolt.pk] == 8
    order_status_change(order=first, to=OrderStatus.CONFIRMED)
    Stock.objects.filter(product=nut).update(on_hand=D(60))  # 10 more, written behind the services' back
    order_status_change(order=first, to=OrderStatus.SHIPPED)  # 20 leave; the nut's total is counted again
    totals = in_step()
    assert (totals[bolt.pk], totals[nut.pk]) == (8, 40)


@pytest.fixture
def staff_client(client, db):
    from optovik.customers.demo import seed_customers

    seed_customers(stdout=None)
    client.force_login(User.objects.get(email="staff@optovik.example"))
    return client


def test_the_back_office_keeps_the_totals(shop, staff_client):
    north = warehouse("north", sort=1)
    row = Stock.objects.get(product=shop.cement, warehouse=shop.wh)

    # A stock row changed, then moved to another product: both products count again.
    url = reverse("admin:inventory_stock_change", args=[row.pk])
    data = {"product": shop.cement.pk, "warehouse": shop.wh.pk, "on_hand": "400", "reserved": "0", "_save": "1"}
    assert staff_client.post(url, data).status_code == 302
    assert in_step()[shop.cement.pk] == 400
    assert staff_client.post(url, {**data, "product": shop.plaster.pk, "warehouse": north.pk}).status_code == 302
    totals = in_step()
    assert (totals[shop.cement.pk], totals[shop.plaster.pk]) == (0, 490)
    assert by_availability(shop.building)[0] == "MIX-ROT-30"

    # A new row, then deleted.
    added = staff_client.post(
        reverse("admin:inventory_stock_add"),
        {"product": shop.cement.pk, "warehouse": north.pk, "on_hand": "7", "reserved": "2", "_save": "1"},
    )
    assert added.status_code == 302 and in_step()[shop.cement.pk] == 5
    new_row = Stock.objects.get(product=shop.cement, warehouse=north)
    deleted = staff_client.post(reverse("admin:inventory_stock_delete", args=[new_row.pk]), {"post": "yes"})
    assert deleted.status_code == 302 and in_step()[shop.cement.pk] == 0

    # The main warehouse closed: its products count nothing there; opened again, they do.
    def save_warehouse(wh, active):
        fields = {"name": wh.name, "code": wh.code, "address": "", "working_hours": "", "sort_order": 0}
        if active:
            fields["is_active"] = "on"
        response = staff_client.post(reverse("admin:inventory_warehouse_change", args=[wh.pk]), {**fields, "_save": 1})
        assert response.status_code == 302

    save_warehouse(shop.wh, active=False)
    totals = in_step()
    assert (totals[shop.tyre_summer.pk], totals[shop.plaster.pk]) == (0, 400)
    save_warehouse(shop.wh, active=True)
    assert in_step()[shop.tyre_summer.pk] == 90

    # A warehouse deleted with its stock.
    deleted = staff_client.post(reverse("admin:inventory_warehouse_delete", args=[north.pk]), {"post": "yes"})
    assert deleted.status_code == 302
    assert in_step()[shop.plaster.pk] == 90


def test_stock_recount_mends_totals_after_stock_written_around_the_services(shop):
    Stock.objects.filter(product=shop.plaster).update(on_hand=D(1000))
    CategoryProduct.objects.filter(product=shop.cement).update(available=D(5))
    with pytest.raises(AssertionError):
        in_step()
    out = io.StringIO()

    call_command("stock_recount", stdout=out)

    assert in_step()[shop.plaster.pk] == 990
    assert "5 products counted" in out.getvalue()
    assert by_availability(shop.building)[0] == "MIX-ROT-30"


def test_a_bulk_load_lists_each_product_with_the_stock_it_has(db):
    generate_catalog(products=300, seed=8)
    totals = in_step()
    assert len(set(totals.values())) > 10  # the generated stock is varied, not all zero
    # A product listed again by the services (archived, then restored) takes its stock along.
    active = Product.objects.filter(status=Product.Status.ACTIVE)
    restored = max(active, key=lambda p: (totals[p.pk], p.pk))
    services_catalog.product_archive(product=restored)
    assert not CategoryProduct.objects.filter(product=restored).exists()
    services_catalog.product_update(product=restored, status=Product.Status.ACTIVE)
    in_step()
    assert set(CategoryProduct.objects.filter(product=restored).values_list("available", flat=True)) == {
        totals[restored.pk]
    }


def test_the_migration_counts_the_totals_of_an_existing_catalog(shop):
    warehouse("closed", active=False)
    stock(shop.cement, Warehouse.objects.get(code="closed"), 70)
    CategoryProduct.objects.update(available=D(0))
    migration = importlib.import_module("optovik.catalog.migrations.0009_listing_available")

    migration.count(None, type("SchemaEditor", (), {"connection": connection}))

    assert in_step()[shop.cement.pk] == 90


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_products_stock_at_once_count_each_others_rows(monkeypatch):
    """Both write a warehouse's row of the same product and count while the other has not yet
    committed: without the product's lock each would count without the other's row."""
    main, north = of.warehouse("main"), of.warehouse("north")
    bolt = of.product("B-1", stock={main: 10, north: 10})
    original = services.available_totals

    def slow_count(ids):
        counted = original(ids)
        time.sleep(0.3)  # writes and commits late: the other writer has written and counts meanwhile
        return counted

    monkeypatch.setattr(services, "available_totals", slow_count)
    errors = []

    def write(wh, on_hand):
        try:
            stock_set(product_id=bolt.pk, warehouse_id=wh.pk, on_hand=D(on_hand))
        except Exception as e:
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=args) for args in ((main, 100), (north, 1000))]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    assert errors == []
    assert in_step()[bolt.pk] == 1100
