"""Checkout, order history, order page, repeat, export and saved lists, through the portal."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from optovik.catalog.services import product_archive
from optovik.finance.services import ledger_entry_create
from optovik.inventory.models import Stock
from optovik.ordering.models import Cart, CartLine, Order, OrderStatus, SavedList, SavedListLine
from optovik.ordering.services.checkout import order_place

from . import factories as of

D = Decimal


@pytest.fixture(autouse=True)
def _in_english():
    """Messages in English, the language of the msgids these tests read."""
    with translation.override("en"):
        yield


@pytest.fixture
def goods(db):
    return type(
        "Goods",
        (),
        {
            "bolt": of.product("B-100", price="122.00", stock=50),
            "nut": of.product("N-200", price="10.00", stock=1000, pack="10", minimum="20"),
        },
    )


@pytest.fixture
def buyer(company, login):
    return login(company.buyer)


def _fill_cart(company, *items, user=None, contract=None):
    cart, _ = Cart.objects.get_or_create(
        client=company.client, user=user or company.buyer, contract=contract or company.c1
    )
    for product, quantity in items:
        CartLine.objects.create(client=company.client, cart=cart, product=product, quantity=D(quantity))
    return cart


def _order(company, lines, **kw):
    params = {
        "user": company.buyer, "legal_entity": company.le1, "contract": company.c1, "lines": lines,
        "delivery_method": "pickup", "warehouse": of.warehouse(),
    }  # fmt: skip
    params.update(kw)
    return order_place(**params)


# Checkout -----------------------------------------------------------------------------------------


def test_checkout_with_pickup_places_the_order_and_empties_the_cart(buyer, company, goods):
    _fill_cart(company, (goods.bolt, 2), (goods.nut, 20))

    response = buyer.post(
        reverse("portal:checkout"),
        {"delivery_method": "pickup", "warehouse": of.warehouse().pk, "contact_name": "Иванов",
         "contact_phone": "8 (495) 123-45-67", "po_number": "PO-1", "comment": "Позвонить"},
    )  # fmt: skip

    order = Order.objects.get()
    assert response.url == reverse("portal:order_detail", kwargs={"number": order.number})
    assert (order.contact_phone, order.po_number, order.status) == ("+74951234567", "PO-1", OrderStatus.PLACED)
    assert not CartLine.objects.exists()


def test_checkout_with_delivery_to_a_new_address(buyer, company, goods):
    _fill_cart(company, (goods.bolt, 1))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    buyer.post(
        reverse("portal:checkout"),
        {"delivery_method": "delivery", "delivery_address": "new", "new_address": "г. Тула, ул. Новая, 1",
         "desired_date": tomorrow.isoformat()},
    )  # fmt: skip

    order = Order.objects.get()
    assert (order.delivery_method, order.delivery_address_text, order.desired_date) == (
        "delivery", "г. Тула, ул. Новая, 1", tomorrow,
    )  # fmt: skip


def test_checkout_form_errors_name_the_field_and_keep_the_cart(buyer, company, goods):
    _fill_cart(company, (goods.bolt, 1))

    response = buyer.post(reverse("portal:checkout"), {"delivery_method": "delivery", "delivery_address": "new"})

    assert "Enter the delivery address." in response.content.decode()
    assert not Order.objects.exists()
    assert CartLine.objects.count() == 1


def test_refused_order_shows_the_reason_and_keeps_the_cart(company, login, goods):
    admin = login(company.admin)
    admin.post(reverse("portal:switch"), {"legal_entity": company.le2.pk})
    today = timezone.localdate()
    ledger_entry_create(
        contract=company.c2, kind="shipment", date=today - dt.timedelta(days=60), debit=D("100.00"),
        due_date=today - dt.timedelta(days=30),
    )  # fmt: skip
    _fill_cart(company, (goods.bolt, 1), user=company.admin, contract=company.c2)

    response = admin.post(reverse("portal:checkout"), {"delivery_method": "pickup", "warehouse": of.warehouse().pk})

    assert "overdue debt" in response.content.decode()
    assert not Order.objects.exists()
    assert CartLine.objects.count() == 1
    assert Stock.objects.get(product=goods.bolt).reserved == 0


def test_checkout_of_an_empty_cart_goes_back_to_the_cart(buyer):
    assert buyer.get(reverse("portal:checkout")).url == reverse("portal:cart")


def test_accountant_cannot_check_out(company, login, goods):
    _fill_cart(company, (goods.bolt, 1), user=company.accountant)
    response = login(company.accountant).post(
        reverse("portal:checkout"), {"delivery_method": "pickup", "warehouse": of.warehouse().pk}
    )
    assert response.status_code == 403
    assert not Order.objects.exists()


# Orders -------------------------------------------------------------------------------------------


def test_history_filters_by_status_number_article_and_search(buyer, company, goods):
    first = _order(company, [(goods.bolt.pk, 1)], po_number="ALPHA")
    second = _order(company, [(goods.nut.pk, 20)])
    Order.objects.filter(pk=second.pk).update(status=OrderStatus.SHIPPED)

    def numbers(**params):
        body = buyer.get(reverse("portal:orders"), params).content.decode()
        return {o.number for o in (first, second) if f">{o.number}</a>" in body}

    assert numbers() == {first.number, second.number}
    assert numbers(status="shipped") == {second.number}
    assert numbers(article="N-200") == {second.number}
    assert numbers(q="alpha") == {first.number}
    assert numbers(number=first.number[-3:]) == {first.number}
    assert numbers(date_from=(timezone.localdate() + dt.timedelta(days=1)).isoformat()) == set()


def test_purchaser_does_not_see_orders_of_a_legal_entity_they_cannot_act_for(buyer, company, goods):
    other = _order(company, [(goods.bolt.pk, 1)], user=company.admin, legal_entity=company.le2, contract=company.c2)

    assert other.number not in buyer.get(reverse("portal:orders")).content.decode()
    assert buyer.get(reverse("portal:order_detail", kwargs={"number": other.number})).status_code == 404


def test_order_page_shows_lines_totals_delivery_and_timeline(buyer, company, goods):
    order = _order(company, [(goods.bolt.pk, 2)], comment="У ворот")

    body = buyer.get(reverse("portal:order_detail", kwargs={"number": order.number})).content.decode()

    assert "B-100" in body and "244.00" in body
    assert "У ворот" in body
    assert "order-timeline" in body and "placed" in body


def test_order_list_runs_a_constant_number_of_queries(buyer, company, goods, django_assert_max_num_queries):
    _order(company, [(goods.bolt.pk, 1)])
    with django_assert_max_num_queries(40) as few:
        buyer.get(reverse("portal:orders"))
    assert len(few.captured_queries) > 5
    for _i in range(10):
        _order(company, [(goods.bolt.pk, 1)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        buyer.get(reverse("portal:orders"))


def test_export_of_one_order_and_of_the_list(buyer, company, goods):
    order = _order(company, [(goods.bolt.pk, 2)], po_number="=cmd()")

    one = buyer.get(reverse("portal:order_export", kwargs={"number": order.number}))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(one.content)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "B-100" and rows[1][2] == 2
    every = buyer.get(reverse("portal:orders_export"))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(every.content)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == order.number
    assert rows[1][5] == "'=cmd()"  # a formula is kept as text


def test_repeat_adds_what_is_available_and_reports_the_rest(buyer, company, goods):
    scarce = of.product("S-1", stock=10)
    gone = of.product("G-1", stock=5)
    old = of.product("O-1", stock=50)
    order = _order(company, [(goods.bolt.pk, 2), (scarce.pk, 8), (gone.pk, 5), (old.pk, 1)])
    Stock.objects.filter(product=scarce).update(on_hand=D(11))  # 8 reserved: 3 left
    Stock.objects.filter(product=gone).update(on_hand=D(5))  # all reserved by the order
    product_archive(product=old)  # no longer sold since

    response = buyer.post(reverse("portal:order_repeat", kwargs={"number": order.number}), follow=True)

    body = response.content.decode()
    assert dict(CartLine.objects.values_list("product__article", "quantity")) == {"B-100": D(2), "S-1": D(3)}
    assert "only 3 of 8 are available" in body
    assert "G-1 — out of stock" in body
    assert "O-1 — no longer sold" in body


# Saved lists --------------------------------------------------------------------------------------


def test_save_the_cart_as_a_list_and_order_from_it(buyer, company, goods):
    _fill_cart(company, (goods.bolt, 2), (goods.nut, 20))

    response = buyer.post(reverse("portal:list_create"), {"name": "Еженедельный"})
    saved = SavedList.objects.get()
    assert response.url == reverse("portal:list_detail", kwargs={"pk": saved.pk})
    assert dict(saved.lines.values_list("product__article", "quantity")) == {"B-100": D(2), "N-200": D(20)}

    CartLine.objects.all().delete()
    buyer.post(reverse("portal:list_to_cart", kwargs={"pk": saved.pk}))
    assert dict(CartLine.objects.values_list("product__article", "quantity")) == {"B-100": D(2), "N-200": D(20)}


def test_add_to_a_list_from_the_catalog(buyer, company, goods):
    buyer.post(reverse("portal:list_add"), {"product": goods.nut.pk, "quantity": "20", "name": "Новый"})
    saved = SavedList.objects.get()
    buyer.post(reverse("portal:list_add"), {"product": goods.nut.pk, "quantity": "20", "list": saved.pk})
    response = buyer.post(
        reverse("portal:list_add"), {"product": goods.nut.pk, "quantity": "5", "list": saved.pk}, follow=True
    )

    assert SavedListLine.objects.get().quantity == D(40)
    assert "sold in packs of 10" in response.content.decode()


def test_private_list_is_not_seen_by_colleagues_shared_is_but_only_the_owner_changes_it(company, login, goods):
    private = SavedList.objects.create(client=company.client, owner=company.buyer, name="Мой")
    shared = SavedList.objects.create(client=company.client, owner=company.buyer, name="Общий", shared=True)
    SavedListLine.objects.create(client=company.client, saved_list=shared, product=goods.bolt, quantity=1)
    admin = login(company.admin)

    body = admin.get(reverse("portal:lists")).content.decode()
    assert "Общий" in body and "Мой" not in body
    assert admin.get(reverse("portal:list_detail", kwargs={"pk": private.pk})).status_code == 404
    assert admin.post(reverse("portal:list_delete", kwargs={"pk": shared.pk})).status_code == 404
    assert admin.post(reverse("portal:list_edit", kwargs={"pk": shared.pk}), {"name": "X"}).status_code == 404
    assert SavedList.objects.filter(pk=shared.pk, name="Общий").exists()


def test_owner_renames_shares_and_deletes(buyer, company, goods):
    saved = SavedList.objects.create(client=company.client, owner=company.buyer, name="Мой")
    SavedListLine.objects.create(client=company.client, saved_list=saved, product=goods.bolt, quantity=1)

    buyer.post(reverse("portal:list_edit", kwargs={"pk": saved.pk}), {"name": "Склад", "shared": "1"})
    saved.refresh_from_db()
    assert (saved.name, saved.shared) == ("Склад", True)
    buyer.post(reverse("portal:list_line_remove", kwargs={"pk": saved.pk}), {"product": goods.bolt.pk})
    assert not saved.lines.exists()
    buyer.post(reverse("portal:list_delete", kwargs={"pk": saved.pk}))
    assert not SavedList.objects.exists()


def test_list_without_a_name_is_refused(buyer, company, goods):
    _fill_cart(company, (goods.bolt, 1))
    response = buyer.post(reverse("portal:list_create"), {"name": "  "}, follow=True)
    assert "Enter the list&#x27;s name." in response.content.decode()
    assert not SavedList.objects.exists()


def test_other_company_lists_are_not_listed(buyer, other_company, goods):
    SavedList.objects.create(client=other_company.client, owner=other_company.buyer, name="Чужой", shared=True)
    assert "Чужой" not in buyer.get(reverse("portal:lists")).content.decode()


def test_nav_shows_the_cart_count(buyer, company, goods):
    _fill_cart(company, (goods.bolt, 1), (goods.nut, 20))
    body = buyer.get(reverse("portal:orders")).content.decode()
    assert 'id="cart-badge" class="badge rounded-pill text-bg-light">2<' in body


def test_accountant_sees_orders_but_no_cart_link(company, login):
    body = login(company.accountant).get(reverse("portal:orders")).content.decode()
    assert 'id="cart-badge"' not in body


def test_add_to_list_partial_posts_to_the_list(buyer, company, goods):
    from django.template import Context, Template
    from django.test import RequestFactory

    SavedList.objects.create(client=company.client, owner=company.buyer, name="Мой список")
    request = RequestFactory().get("/product/N-200/")
    request.user = company.buyer
    request.tenant = type("T", (), {"client": company.client, "can": lambda self, perm: True})()
    html = Template('{% include "portal/lists/_add_to_list.html" with product=p %}').render(
        Context({"p": goods.nut, "request": request, "csrf_token": "x"})
    )
    assert 'action="/lists/add/"' in html and "Мой список" in html
    assert 'name="quantity" value="20"' in html
