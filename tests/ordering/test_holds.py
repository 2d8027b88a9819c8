"""Reservations without an order: put the cart aside, release, expire, convert."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from optovik.core.errors import ApplicationError
from optovik.ordering.models import Cart, CartLine, DeliveryMethod, Hold, HoldStatus, OrderStatus, StockAllocation
from optovik.ordering.services.holds import hold_convert, hold_create, hold_release, holds_expire
from optovik.ordering.tasks import holds_expire_task

from . import factories as of

D = Decimal


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages in English, as the assertions read them."""
    with translation.override("en"):
        yield


def _cart(company, *items, user=None):
    user = user or company.buyer
    cart = Cart.objects.get_or_create(user=user, contract=company.c1, defaults={"client": company.client})[0]
    for product, quantity in items:
        CartLine.objects.create(client=company.client, cart=cart, product=product, quantity=D(quantity))
    return cart


@pytest.fixture
def goods(db):
    return type("Goods", (), {"bolt": of.product("B-1", stock=10), "nut": of.product("N-1", stock=100)})


def _hold(company):
    return hold_create(user=company.buyer, legal_entity=company.le1, contract=company.c1)


@override_settings(HOLD_DAYS=5)
def test_putting_the_cart_aside_reserves_its_stock_for_the_supplier_days(company, goods):
    cart = _cart(company, (goods.bolt, 4), (goods.nut, 30))

    hold = _hold(company)

    assert hold.status == HoldStatus.ACTIVE
    assert abs(hold.expires_at - (timezone.now() + dt.timedelta(days=5))) < dt.timedelta(minutes=1)
    assert sorted(hold.lines.values_list("product__article", "quantity")) == [("B-1", D(4)), ("N-1", D(30))]
    assert of.stock_of(goods.bolt) == (D(10), D(4))
    assert of.stock_of(goods.nut) == (D(100), D(30))
    assert not cart.lines.exists()


def test_a_hold_lacking_stock_reserves_nothing_and_keeps_the_cart(company, goods):
    cart = _cart(company, (goods.nut, 30), (goods.bolt, 11))

    with pytest.raises(ApplicationError, match="Not enough stock of B-1"):
        _hold(company)

    assert not Hold.objects.exists()
    assert of.stock_of(goods.nut) == (D(100), D(0))
    assert cart.lines.count() == 2


def test_an_empty_cart_cannot_be_put_aside(company):
    with pytest.raises(ApplicationError, match="empty"):
        _hold(company)


def test_releasing_gives_the_stock_back_once(company, goods):
    _cart(company, (goods.bolt, 4))
    hold = _hold(company)

    hold_release(hold=hold)

    assert of.stock_of(goods.bolt) == (D(10), D(0))
    assert Hold.objects.get().status == HoldStatus.RELEASED
    with pytest.raises(ApplicationError, match="no longer active"):
        hold_release(hold=hold)
    assert of.stock_of(goods.bolt) == (D(10), D(0))


def test_the_expiry_task_releases_only_holds_whose_time_is_up(company, goods):
    _cart(company, (goods.bolt, 4))
    old = _hold(company)
    _cart(company, (goods.nut, 10))
    fresh = _hold(company)
    Hold.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    result = holds_expire_task.enqueue()

    assert result.return_value == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (HoldStatus.EXPIRED, HoldStatus.ACTIVE)
    assert of.stock_of(goods.bolt) == (D(10), D(0))
    assert of.stock_of(goods.nut) == (D(100), D(10))
    assert holds_expire() == 0


def test_converting_makes_an_order_that_takes_over_the_stock(company, goods):
    _cart(company, (goods.bolt, 10))
    hold = _hold(company)

    order = hold_convert(hold=hold, user=company.buyer, delivery_method=DeliveryMethod.PICKUP, warehouse=of.warehouse())

    hold.refresh_from_db()
    assert (hold.status, hold.order) == (HoldStatus.CONVERTED, order)
    assert order.status == OrderStatus.PLACED
    assert list(order.lines.values_list("product__article", "quantity")) == [("B-1", D(10))]
    assert of.stock_of(goods.bolt) == (D(10), D(10))  # all 10 still reserved, now by the order
    assert not StockAllocation.objects.filter(hold_line__hold=hold).exists()


def test_a_refused_conversion_keeps_the_hold_and_its_stock(company, goods):
    _cart(company, (goods.bolt, 4))
    hold = _hold(company)

    with pytest.raises(ApplicationError, match="warehouse"):
        hold_convert(hold=hold, user=company.buyer, delivery_method=DeliveryMethod.PICKUP, warehouse=None)

    hold.refresh_from_db()
    assert hold.status == HoldStatus.ACTIVE
    assert of.stock_of(goods.bolt) == (D(10), D(4))
    assert StockAllocation.objects.filter(hold_line__hold=hold).count() == 1


def test_an_expired_hold_cannot_be_converted(company, goods):
    _cart(company, (goods.bolt, 4))
    hold = _hold(company)
    Hold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    with pytest.raises(ApplicationError, match="expired"):
        hold_convert(hold=hold, user=company.buyer, delivery_method=DeliveryMethod.PICKUP, warehouse=of.warehouse())


# Pages ---------------------------------------------------------------------------------------


def test_holds_page_puts_the_cart_aside_and_lists_it(company, goods, login):
    _cart(company, (goods.bolt, 4))
    client = login(company.buyer)

    response = client.post(reverse("portal:hold_create"), follow=True)

    assert response.status_code == 200
    hold = Hold.objects.get()
    assert "B-1" in response.content.decode()
    assert of.stock_of(goods.bolt) == (D(10), D(4))

    client.post(reverse("portal:hold_release", kwargs={"pk": hold.pk}))
    hold.refresh_from_db()
    assert hold.status == HoldStatus.RELEASED


def test_holds_page_converts_to_an_order(company, goods, login):
    _cart(company, (goods.bolt, 4))
    hold = _hold(company)
    client = login(company.buyer)

    response = client.post(
        reverse("portal:hold_convert", kwargs={"pk": hold.pk}),
        {"delivery_method": "pickup", "warehouse": of.warehouse().pk},
    )

    hold.refresh_from_db()
    assert hold.status == HoldStatus.CONVERTED
    assert response.status_code == 302
    assert hold.order.number in response.url


def test_an_accountant_cannot_put_goods_aside(company, goods, login):
    _cart(company, (goods.bolt, 4), user=company.accountant)
    client = login(company.accountant)

    assert client.post(reverse("portal:hold_create")).status_code == 403
    assert not Hold.objects.exists()


def test_the_order_form_of_a_reservation_lists_its_lines(company, goods, login):
    _cart(company, (goods.bolt, 4))
    hold = _hold(company)
    client = login(company.buyer)

    page = client.get(reverse("portal:hold_convert", kwargs={"pk": hold.pk})).content.decode()

    assert "B-1" in page
    assert 'name="delivery_method"' in page


def test_a_refused_order_from_the_page_names_the_field_and_keeps_the_hold(company, goods, login):
    _cart(company, (goods.bolt, 4))
    hold = _hold(company)
    client = login(company.buyer)

    response = client.post(reverse("portal:hold_convert", kwargs={"pk": hold.pk}), {"delivery_method": "pickup"})

    assert response.status_code == 200
    assert "Choose the warehouse" in response.content.decode()
    hold.refresh_from_db()
    assert hold.status == HoldStatus.ACTIVE
