import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from optovik.core.errors import ApplicationError
from optovik.inventory.models import ExpectedArrival, InventorySettings, Stock
from optovik.inventory.selectors import Level, availability_for_products
from optovik.inventory.services import inventory_settings_update, stock_set
from tests.catalog.builders import stock, warehouse


def test_levels_mode_shows_words_not_numbers(shop):
    inventory_settings_update(mode="levels", few_threshold=Decimal(20))
    stock(shop.cement, shop.wh, 100, 10)
    stock(shop.plaster, shop.wh, 25, 10)
    stock(shop.tyre_summer, shop.wh, 5, 5)
    result = availability_for_products(product_ids=[shop.cement.pk, shop.plaster.pk, shop.tyre_summer.pk])
    assert [result[p.pk].level for p in (shop.cement, shop.plaster, shop.tyre_summer)] == [
        Level.MANY,
        Level.FEW,
        Level.NONE,
    ]
    assert not any(ch.isdigit() for a in result.values() for ch in a.display)
    assert result[shop.cement.pk].available == 90


def test_exact_mode_shows_available_quantity(shop):
    inventory_settings_update(mode="exact", few_threshold=Decimal(20))
    stock(shop.cement, shop.wh, Decimal("125.5"), Decimal("0.5"))
    result = availability_for_products(product_ids=[shop.cement.pk])[shop.cement.pk]
    assert result.exact and result.display == "125"


def test_totals_add_active_warehouses_only_and_show_the_next_arrival(shop):
    inventory_settings_update(mode="exact", few_threshold=Decimal(5))
    second = warehouse("spb", pickup=False, sort=1)
    closed = warehouse("old", active=False)
    stock(shop.cement, second, 40)
    stock(shop.cement, closed, 1000)
    today = dt.date.today()
    ExpectedArrival.objects.create(product=shop.cement, warehouse=second, date=today + dt.timedelta(days=9), quantity=5)
    ExpectedArrival.objects.create(product=shop.cement, warehouse=second, date=today + dt.timedelta(days=2), quantity=7)
    ExpectedArrival.objects.create(product=shop.cement, warehouse=second, date=today - dt.timedelta(days=2), quantity=1)
    result = availability_for_products(product_ids=[shop.cement.pk], per_warehouse=True)[shop.cement.pk]
    assert result.available == 90 + 40
    assert [w.name for w in result.warehouses] == ["MSK", "SPB"]
    assert [w.is_pickup_point for w in result.warehouses] == [shop.wh.is_pickup_point, False]
    assert all(isinstance(w.available, Decimal) for w in result.warehouses)
    assert result.next_arrival.date == today + dt.timedelta(days=2) and result.next_arrival.warehouse_id == second.pk
    assert result.next_arrival.quantity == 7
    totals_only = availability_for_products(product_ids=[shop.cement.pk])[shop.cement.pk]
    assert (totals_only.available, totals_only.warehouses, totals_only.next_arrival.quantity) == (130, [], 7)


@pytest.mark.parametrize("mode", ["exact", "levels"])
def test_totals_summed_by_the_database_are_those_of_the_warehouse_rows(shop, mode):
    """Lists and carts read totals the database sums; the card adds up the warehouse rows. They agree,
    fractions and fully reserved warehouses included, and never show stock of a closed warehouse."""
    inventory_settings_update(mode=mode, few_threshold=Decimal(20))
    second, third = warehouse("spb", pickup=False, sort=1), warehouse("ekb", pickup=True, sort=2)
    closed = warehouse("old", active=False)
    stock(shop.cement, second, Decimal("12.125"), Decimal("0.125"))
    stock(shop.cement, third, Decimal("7.5"), Decimal("7.5"))
    stock(shop.plaster, second, Decimal("0.001"))
    stock(shop.plaster, closed, 500)
    stock(shop.tyre_summer, closed, 500)
    Stock.objects.filter(product=shop.tyre_summer).exclude(warehouse=closed).delete()
    ids = [p.pk for p in shop.products]
    rows = availability_for_products(product_ids=ids, per_warehouse=True)
    totals = availability_for_products(product_ids=ids)
    assert rows.keys() == totals.keys() == set(ids)
    for pid in ids:
        a, b = rows[pid], totals[pid]
        assert (a.available, a.level, a.display, a.exact) == (b.available, b.level, b.display, b.exact), pid
        assert b.warehouses == []
    assert totals[shop.cement.pk].available == 90 + 12
    assert isinstance(totals[shop.cement.pk].available, Decimal)
    assert rows[shop.plaster.pk].available == totals[shop.plaster.pk].available == Decimal("90.001")
    assert totals[shop.tyre_summer.pk].available == 0


def test_products_without_stock_rows_are_out_of_stock(shop):
    Stock.objects.filter(product=shop.plaster).delete()
    result = availability_for_products(product_ids=[shop.plaster.pk])[shop.plaster.pk]
    assert result.level == Level.NONE and not result.in_stock


def test_warehouses_can_be_hidden(shop):
    InventorySettings.objects.update_or_create(pk=1, defaults={"show_warehouses": False})
    assert availability_for_products(product_ids=[shop.cement.pk], per_warehouse=True)[shop.cement.pk].warehouses == []


def test_database_refuses_reserving_more_than_on_hand(shop):
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(product=shop.cement).update(reserved=Decimal(1000))


def test_stock_set_refuses_bad_numbers_and_changes_nothing(shop):
    with pytest.raises(ApplicationError) as exc:
        stock_set(product_id=shop.cement.pk, warehouse_id=shop.wh.pk, on_hand=Decimal(5), reserved=Decimal(6))
    assert exc.value.field == "reserved"
    with pytest.raises(ApplicationError):
        stock_set(product_id=shop.cement.pk, warehouse_id=shop.wh.pk, on_hand=Decimal(-1))
    assert Stock.objects.get(product=shop.cement).on_hand == 100
    stock_set(product_id=shop.cement.pk, warehouse_id=shop.wh.pk, on_hand=Decimal(7), reserved=Decimal(7))
    assert availability_for_products(product_ids=[shop.cement.pk])[shop.cement.pk].available == 0


def test_unknown_display_mode_is_refused(db):
    with pytest.raises(ApplicationError):
        inventory_settings_update(mode="fuzzy", few_threshold=Decimal(1))
    assert not InventorySettings.objects.exists()


def test_availability_uses_a_fixed_number_of_queries(shop, django_assert_num_queries):
    ids = [p.pk for p in shop.products]
    with django_assert_num_queries(3):
        availability_for_products(product_ids=ids[:1])
    with django_assert_num_queries(3):
        availability_for_products(product_ids=ids)
    with django_assert_num_queries(3):
        availability_for_products(product_ids=ids, per_warehouse=True)
