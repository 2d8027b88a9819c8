"""The cart: per user and contract, kept in the database; quantities follow the pack rules."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from optovik.customers.models import Contract
from optovik.ordering.models import Cart, CartLine
from optovik.pricing.models import AmountDiscount
from tests import factories as f

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
            "bolt": of.product("B-100", price="122.00", stock=50, weight="0.5", volume="0.001"),
            "nut": of.product("N-200", price="10.00", stock=1000, pack="10", minimum="20"),
            "rare": of.product("R-300", price="50.00", stock=2),
        },
    )


@pytest.fixture
def buyer(company, login):
    return login(company.buyer)


def _lines(user, contract):
    return dict(
        CartLine.objects.filter(cart__user=user, cart__contract=contract).values_list("product__article", "quantity")
    )


def test_add_from_a_listing_returns_to_the_page_with_a_message(buyer, company, goods):
    response = buyer.post(
        reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "3", "next": "/catalog/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/catalog/"
    assert "B-100 added to the cart" in response.content.decode()
    assert _lines(company.buyer, company.c1) == {"B-100": D(3)}


def test_add_through_htmx_answers_with_the_badge_and_adds_up(buyer, company, goods):
    buyer.post(reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "2"}, HTTP_HX_REQUEST="true")
    response = buyer.post(
        reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "1"}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="cart-badge" hx-swap-oob="true"' in body and ">1</span>" in body
    assert "3 шт in it now" in body
    assert _lines(company.buyer, company.c1) == {"B-100": D(3)}


def test_open_redirect_is_refused(buyer, goods):
    response = buyer.post(
        reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "1", "next": "https://evil.example/"}
    )
    assert response.url == reverse("portal:cart")


@pytest.mark.parametrize(
    ("quantity", "message"),
    [("25", "sold in packs of 10"), ("10", "minimum order quantity is 20"), ("-10", "greater than zero"),
     ("abc", "Enter the quantity as a number"), ("1e9999", "not valid")],
)  # fmt: skip
def test_bad_quantity_is_refused_with_a_message_and_changes_nothing(buyer, company, goods, quantity, message):
    response = buyer.post(
        reverse("portal:cart_add"), {"product": goods.nut.pk, "quantity": quantity}, HTTP_HX_REQUEST="true"
    )
    assert message in response.content.decode()
    assert _lines(company.buyer, company.c1) == {}


def test_product_of_no_contract_visibility_cannot_be_added(buyer, company, goods):
    Contract.objects.filter(pk=company.c1.pk).update(specification_only=True)
    of.in_specification(company.c1, goods.nut)

    response = buyer.post(reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "1"}, follow=True)

    assert "cannot be ordered under the current contract" in response.content.decode()
    assert _lines(company.buyer, company.c1) == {}


def test_cart_page_shows_totals_weight_volume_and_a_shortage_warning(buyer, company, goods):
    buyer.post(reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "10"})
    buyer.post(reverse("portal:cart_add"), {"product": goods.rare.pk, "quantity": "2"})
    CartLine.objects.filter(product=goods.rare).update(quantity=D(5))  # more than the 2 in stock

    body = buyer.get(reverse("portal:cart")).content.decode()

    assert "1,470.00" in body  # 10 × 122 + 5 × 50
    assert "7.50 kg" in body  # 10 × 0.5 + 5 × 0.5
    assert "0.015 m³" in body
    assert "Not available in this quantity" in body


def test_cart_lines_escape_product_text_and_carry_a_working_csrf_token(company, goods):
    """The lines are written by a tag, not a template: text is escaped, and their forms pass the CSRF check."""
    from django.test import Client

    odd = of.product('Q<1>&"', name='Шайба <script>alert(1)</script> "М8"', unit_name="<i>шт</i>")
    client = Client(enforce_csrf_checks=True)
    client.force_login(company.buyer, backend="optovik.accounts.backends.EmailBackend")
    cart = client.get(reverse("portal:catalog")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', cart).group(1)
    client.post(reverse("portal:cart_add"), {"csrfmiddlewaretoken": token, "product": odd.pk, "quantity": "3"})

    body = client.get(reverse("portal:cart")).content.decode()
    assert "<script>alert(1)</script>" not in body and "<i>шт</i>" not in body
    assert "Шайба &lt;script&gt;alert(1)&lt;/script&gt; &quot;М8&quot;" in body and "&lt;i&gt;шт&lt;/i&gt;" in body
    assert "Q&lt;1&gt;&amp;&quot;" in body
    line_token = re.search(r'id="cart-line-\d+".*?name="csrfmiddlewaretoken" value="([^"]+)"', body, re.S).group(1)
    update = {"product": odd.pk, "quantity": "5"}
    assert client.post(reverse("portal:cart_update"), update).status_code == 403
    assert _lines(company.buyer, company.c1) == {'Q<1>&"': D(3)}
    client.post(reverse("portal:cart_update"), {**update, "csrfmiddlewaretoken": line_token})
    assert _lines(company.buyer, company.c1) == {'Q<1>&"': D(5)}


def test_discount_shows_in_the_totals(buyer, company, goods):
    AmountDiscount.objects.create(contract=company.c1, min_amount=D("1000"), percent=D(10))
    buyer.post(reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "10"})

    body = buyer.get(reverse("portal:cart")).content.decode()

    assert "1,220.00" in body  # before discounts
    assert "−122.00" in body
    assert "1,098.00" in body


def test_change_quantity_through_htmx_returns_the_cart_body(buyer, company, goods):
    buyer.post(reverse("portal:cart_add"), {"product": goods.nut.pk, "quantity": "20"})

    ok = buyer.post(reverse("portal:cart_update"), {"product": goods.nut.pk, "quantity": "40"}, HTTP_HX_REQUEST="true")
    bad = buyer.post(reverse("portal:cart_update"), {"product": goods.nut.pk, "quantity": "45"}, HTTP_HX_REQUEST="true")

    assert 'id="cart-body"' in ok.content.decode() and "<html" not in ok.content.decode()
    assert "sold in packs of 10" in bad.content.decode()
    assert _lines(company.buyer, company.c1) == {"N-200": D(40)}


def test_zero_quantity_removes_and_clear_empties(buyer, company, goods):
    buyer.post(reverse("portal:cart_add"), {"product": goods.nut.pk, "quantity": "20"})
    buyer.post(reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "1"})

    buyer.post(reverse("portal:cart_update"), {"product": goods.nut.pk, "quantity": "0"})
    assert _lines(company.buyer, company.c1) == {"B-100": D(1)}
    buyer.post(reverse("portal:cart_remove"), {"product": goods.bolt.pk})
    assert _lines(company.buyer, company.c1) == {}
    buyer.post(reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "1"})
    buyer.post(reverse("portal:cart_clear"))
    assert _lines(company.buyer, company.c1) == {}


def test_switching_the_contract_switches_the_cart(company, login, goods):
    admin = login(company.admin)
    c3 = f.ContractFactory(legal_entity=company.le2)
    admin.post(reverse("portal:switch"), {"legal_entity": company.le2.pk, "contract": company.c2.pk})
    admin.post(reverse("portal:switch"), {"contract": company.c2.pk})
    admin.post(reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "1"})
    admin.post(reverse("portal:switch"), {"contract": c3.pk})
    admin.post(reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "5"})

    assert _lines(company.admin, company.c2) == {"B-100": D(1)}
    assert _lines(company.admin, c3) == {"B-100": D(5)}
    assert Cart.objects.filter(user=company.admin).count() == 2


def test_cart_is_kept_across_sessions(company, client, login, goods):
    login(company.buyer).post(reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "2"})
    client.logout()

    body = login(company.buyer).get(reverse("portal:cart")).content.decode()

    assert f'id="cart-line-{goods.bolt.pk}"' in body


def test_carts_are_per_user(company, login, goods):
    login(company.buyer).post(reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "2"})

    body = login(company.admin).get(reverse("portal:cart")).content.decode()

    assert f'id="cart-line-{goods.bolt.pk}"' not in body
    assert "The cart is empty" in body


def test_accountant_has_no_cart(company, login, goods):
    accountant = login(company.accountant)

    assert accountant.get(reverse("portal:cart")).status_code == 403
    assert accountant.post(reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "1"}).status_code == 403
    assert not CartLine.objects.exists()


def test_cart_page_runs_a_constant_number_of_queries(buyer, company, django_assert_max_num_queries):
    cart = Cart.objects.create(client=company.client, user=company.buyer, contract=company.c1)
    for i in range(5):
        CartLine.objects.create(client=company.client, cart=cart, product=of.product(f"Q-{i}"), quantity=1)
    with django_assert_max_num_queries(40) as few:
        buyer.get(reverse("portal:cart"))
    assert len(few.captured_queries) > 5
    for i in range(5, 40):
        CartLine.objects.create(client=company.client, cart=cart, product=of.product(f"Q-{i}"), quantity=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        buyer.get(reverse("portal:cart"))
