"""The catalog as a customer sees it: categories, search, the product card, prices per contract."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from optovik.catalog import services
from optovik.catalog.models import Barcode, Product, ProductImage
from optovik.inventory.models import ExpectedArrival
from optovik.portal.views import catalog as catalog_views
from optovik.pricing.models import ContractPrice, QuantityDiscount, SpecificationItem
from tests import factories as f
from tests.catalog.builders import Shop, product, set_price, stock, warehouse

BUILDING = "/catalog/стройматериалы/"
TYRES = "/catalog/шины/"


@pytest.fixture
def shop(db):
    return Shop()


@pytest.fixture
def priced(shop, company, other_company):
    """СтройМаркет's contract pays 500 for the M500 cement, Вектор's 450; the list price is 620."""
    ContractPrice.objects.create(contract=company.c1, product=shop.cement, price=Decimal(500))
    ContractPrice.objects.create(contract=other_company.contract, product=shop.cement, price=Decimal(450))
    return shop


@pytest.fixture
def spec_only(shop, other_company):
    """Вектор buys only the summer tyre, under its specification."""
    other_company.contract.specification_only = True
    other_company.contract.save()
    SpecificationItem.objects.create(
        contract=other_company.contract, product=shop.tyre_summer, max_quantity=Decimal(40)
    )
    return shop


def _articles(response) -> list[str]:
    """Articles of the listed products, in page order."""
    return re.findall(r'<span class="font-monospace catalog-article">([^<]+)</span>', response.content.decode())


def _facet_counts(response) -> dict[str, dict[str, int]]:
    return {f.attribute.code: {v.value: v.count for v in f.values} for f in response.context["facets"]}


# Category pages ----------------------------------------------------------------------------------


def test_category_page_lists_its_and_its_subcategories_products_with_contract_prices(priced, company, login):
    client = login(company.buyer)

    response = client.get(BUILDING)

    assert response.status_code == 200
    assert sorted(_articles(response)) == ["CEM-400-25", "CEM-500-50", "MIX-ROT-30"]
    body = response.content.decode()
    assert "TYR-205-55" not in body
    # the contract price, with the list price struck through because it is higher
    assert re.search(r'<s class="catalog-base-price[^"]*">.*?620\.00', body, re.S)
    assert '<span class="catalog-contract-price fw-semibold">500.00' in body
    # products without a contract price show the list price, nothing struck through
    assert body.count("catalog-base-price") == 1
    assert "390.00" in body


def test_catalog_index_shows_top_categories_with_subcategories(shop, company, login):
    body = login(company.buyer).get(reverse("portal:catalog")).content.decode()

    assert f'href="{reverse("portal:catalog_category", kwargs={"category_path": "стройматериалы"})}"' in body
    assert reverse("portal:catalog_category", kwargs={"category_path": "стройматериалы/цемент"}) in body
    assert "Шины" in body


def test_unknown_category_is_not_found(shop, company, login):
    assert login(company.buyer).get("/catalog/стройматериалы/нет-такой/").status_code == 404


def test_each_company_sees_only_its_own_contract_price(priced, company, other_company, login, client):
    for user, own, foreign in ((company.buyer, "500.00", "450.00"), (other_company.buyer, "450.00", "500.00")):
        client.logout()
        login(user)
        for url in (BUILDING, reverse("portal:product", kwargs={"article": "CEM-500-50"}), "/search/?q=цемент"):
            body = client.get(url).content.decode()
            assert own in body, url
            assert foreign not in body, url
        suggestions = client.get("/search/suggest/?q=CEM").content.decode()
        assert own in suggestions
        assert foreign not in suggestions


def test_without_a_contract_products_show_without_prices(shop, login):
    le = f.LegalEntityFactory(short_name="ООО «Без договора»")
    user = f.MembershipFactory(client=le.client, role="purchaser").user

    response = login(user).get(BUILDING)

    body = response.content.decode()
    assert response.status_code == 200
    assert "No contract is chosen" in body
    assert "CEM-500-50" in body
    assert "620.00" not in body
    assert "Add to cart" not in body


def test_sorting_by_price_uses_the_contract_price(priced, company, login):
    client = login(company.buyer)

    by_price_down = _articles(client.get(BUILDING + "?sort=-price"))
    by_price_up = _articles(client.get(BUILDING + "?sort=price"))
    by_name = _articles(client.get(BUILDING + "?sort=name"))

    # plaster 540, cement 500 under the contract (620 list), cement M400 390
    assert by_price_down == ["MIX-ROT-30", "CEM-500-50", "CEM-400-25"]
    assert by_price_up == list(reversed(by_price_down))
    assert by_name == ["CEM-400-25", "CEM-500-50", "MIX-ROT-30"]  # Цемент М400 < Цемент М500 < Штукатурка


def test_unknown_sort_and_page_fall_back_to_defaults(shop, company, login):
    response = login(company.buyer).get(BUILDING + "?sort=drop+table&page=abc")

    assert response.status_code == 200
    assert _articles(response) == ["CEM-400-25", "CEM-500-50", "MIX-ROT-30"]


ALL_BUILDING = ["CEM-400-25", "CEM-500-50", "MIX-ROT-30"]


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"a999999": "М500"}, []),  # an attribute that does not exist: nothing has that value
        ({"a1": "x" * 5000}, []),  # a very long value
        ({"a" + "9" * 40: "М500"}, ALL_BUILDING),  # an id no database column holds: not a filter
        ({"a-1": "М500", "a": "1", "abc": "2", "a٣": "3"}, ALL_BUILDING),  # not filters at all
        ({f"a{n}": "М500" for n in range(10**6, 10**6 + 200)}, []),  # more attributes than a page takes
    ],
)
def test_odd_filter_parameters_give_a_page(shop, company, login, params, shown):
    response = login(company.buyer).get(BUILDING, params)

    assert response.status_code == 200
    assert _articles(response) == shown


def test_facet_counts_match_the_filtered_result(shop, company, login):
    client = login(company.buyer)

    unfiltered = client.get(BUILDING)
    filtered = client.get(BUILDING, {f"a{shop.grade.pk}": "М500"})

    assert _facet_counts(unfiltered) == {"grade": {"М400": 1, "М500": 1}, "weight": {"25": 1, "30": 1, "50": 1}}
    assert _articles(filtered) == ["CEM-500-50"]
    # the filtered attribute still offers its other values; the others count the filtered result
    assert _facet_counts(filtered) == {"grade": {"М400": 1, "М500": 1}, "weight": {"50": 1}}
    body = filtered.content.decode()
    assert re.search(rf'name="a{shop.grade.pk}" value="М500" id="[^"]+" checked', body)
    assert "1 product" in body


def test_facets_show_yes_and_no_for_boolean_attributes(shop, company, login):
    body = login(company.buyer).get(TYRES).content.decode()

    assert _facet_counts(login(company.buyer).get(TYRES))["studded"] == {"0": 1, "1": 1}
    assert ">yes</span>" in body
    assert ">no</span>" in body


def test_tiles_or_list_choice_is_remembered(shop, company, login):
    client = login(company.buyer)

    assert "catalog-tiles" in client.get(BUILDING).content.decode()  # the default
    assert "catalog-list" in client.get(BUILDING + "?view=list").content.decode()
    assert "catalog-list" in client.get(TYRES).content.decode()  # remembered on another page
    assert "catalog-list" in client.get("/search/?q=шина").content.decode()
    assert "catalog-tiles" in client.get(TYRES + "?view=tiles").content.decode()
    assert "catalog-tiles" in client.get(BUILDING).content.decode()


def test_htmx_page_request_returns_only_the_next_rows(shop, company, login, monkeypatch):
    monkeypatch.setattr(catalog_views, "PER_PAGE", 2)
    client = login(company.buyer)

    full = client.get(BUILDING)
    fragment = client.get(BUILDING + "?page=2", HTTP_HX_REQUEST="true")

    assert "<html" in full.content.decode()
    assert 'hx-get="?page=2"' in full.content.decode()
    body = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in body
    assert "catalog-facets" not in body
    assert _articles(fragment) == ["MIX-ROT-30"]
    assert 'hx-get="?page=3"' not in body  # the last page offers no more
    # without JavaScript the page links work
    assert _articles(client.get(BUILDING + "?page=2")) == ["MIX-ROT-30"]


def test_quantity_input_respects_pack_and_minimum(shop, company, login):
    services.product_update(product=shop.plaster, pack_multiplicity=Decimal(10), min_order_quantity=Decimal(15))

    body = login(company.buyer).get(BUILDING).content.decode()

    assert re.search(rf'id="qty-{shop.plaster.pk}" name="quantity" value="20" min="20" step="10"', body)
    assert re.search(rf'id="qty-{shop.cement.pk}" name="quantity" value="1" min="1" step="1"', body)


def test_cart_button_appears_only_when_the_cart_exists(shop, company, login, monkeypatch):
    client = login(company.buyer)
    monkeypatch.setattr(catalog_views, "reverse", _no_cart_reverse)
    assert "Add to cart" not in client.get(BUILDING).content.decode()
    assert 'name="quantity"' in client.get(BUILDING).content.decode()  # the quantity input stays

    monkeypatch.setattr(catalog_views, "cart_add_url", lambda: "/cart/add/")
    body = client.get(BUILDING).content.decode()

    assert 'action="/cart/add/"' in body
    assert "Add to cart" in body


def _no_cart_reverse(name, *args, **kwargs):
    """``reverse`` of a portal without the cart."""
    if name == "portal:cart_add":
        raise NoReverseMatch(name)
    return reverse(name, *args, **kwargs)


def test_real_cart_form_posts_product_and_quantity(shop, company, login):
    body = login(company.buyer).get(BUILDING).content.decode()

    assert f'action="{reverse("portal:cart_add")}"' in body
    assert f'name="product" value="{shop.cement.pk}"' in body


def test_a_row_form_adds_to_the_cart_with_its_own_csrf_token(shop, company):
    """The rows are written by a tag, not a template: their form must still pass the CSRF check."""
    from django.test import Client

    from optovik.ordering.models import CartLine

    client = Client(enforce_csrf_checks=True)
    client.force_login(company.buyer, backend="optovik.accounts.backends.EmailBackend")
    body = client.get(BUILDING).content.decode()
    form = re.search(
        rf'<form method="post" action="([^"]+)"[^>]*>(.*?name="product" value="{shop.cement.pk}".*?)</form>', body, re.S
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)

    refused = client.post(form.group(1), {"product": shop.cement.pk, "quantity": "2"})
    assert refused.status_code == 403 and not CartLine.objects.exists()
    client.post(
        form.group(1), {"csrfmiddlewaretoken": token, "product": shop.cement.pk, "quantity": "2", "next": BUILDING}
    )
    assert CartLine.objects.get().quantity == 2


@pytest.mark.parametrize("layout", ["tiles", "list"])
def test_product_text_is_escaped_in_rows(shop, company, login, layout):
    product('X<1>&"', 'Клей <script>alert(1)</script> "Люкс"', shop.building, brand="<b>Бренд</b>", description="")
    body = login(company.buyer).get(BUILDING, {"view": layout}).content.decode()

    assert "<script>alert(1)</script>" not in body and "<b>Бренд</b>" not in body
    assert "Клей &lt;script&gt;alert(1)&lt;/script&gt; &quot;Люкс&quot;" in body
    assert "X&lt;1&gt;&amp;&quot;" in body and "&lt;b&gt;Бренд&lt;/b&gt;" in body


def test_accountant_can_view_the_catalog_but_gets_no_cart_button(shop, company, login, monkeypatch):
    monkeypatch.setattr(catalog_views, "cart_add_url", lambda: "/cart/add/")
    client = login(company.accountant)

    for url in (reverse("portal:catalog"), BUILDING, "/product/CEM-500-50/", "/search/?q=шина", "/search/suggest/?q=C"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Add to cart" not in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(shop, client):
    for url in (reverse("portal:catalog"), BUILDING, "/product/CEM-500-50/", "/search/?q=x", "/search/suggest/?q=x"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("portal:login"))


# Specification-only contracts ---------------------------------------------------------------------


def test_spec_only_contract_sees_only_its_specification(spec_only, other_company, login):
    client = login(other_company.buyer)

    tyres = client.get(TYRES)
    assert _articles(tyres) == ["TYR-205-55"]
    assert _facet_counts(tyres) == {"season": {"Летние": 1}, "studded": {"0": 1}}
    card = client.get("/product/TYR-205-55/")
    assert card.status_code == 200
    assert re.search(r'name="quantity" value="1" min="1" step="1" max="40"', card.content.decode())
    assert client.get("/product/TYR-205-55W/").status_code == 404
    assert client.get("/product/CEM-500-50/").status_code == 404
    assert client.get(BUILDING).status_code == 404
    index = client.get(reverse("portal:catalog")).content.decode()
    assert "Шины" in index
    assert "Стройматериалы" not in index

    search = client.get("/search/?q=шина")
    assert _articles(search) == ["TYR-205-55"]
    assert client.get("/search/?q=TYR-205-55W").status_code == 200  # no redirect to a card it cannot open
    assert "TYR-205-55W" not in client.get("/search/suggest/?q=TYR").content.decode()
    assert "CEM-500-50" not in client.get("/search/?q=цемент").content.decode()


# The product card ---------------------------------------------------------------------------------


def test_product_card_shows_everything_a_buyer_needs(priced, company, login):
    shop = priced
    pickup = warehouse("spb", pickup=True, sort=1)
    stock(shop.cement, pickup, 7)
    ExpectedArrival.objects.create(
        product=shop.cement, warehouse=shop.wh, date=dt.date.today() + dt.timedelta(days=5), quantity=Decimal(300)
    )
    Barcode.objects.create(product=shop.cement, code="4601234567890")
    ProductImage.objects.create(product=shop.cement, image="catalog/products/a.jpg", thumbnail="catalog/t/a.jpg")
    ProductImage.objects.create(product=shop.cement, image="catalog/products/b.jpg", sort_order=1)
    services.product_relate(product=shop.cement, related=shop.plaster, kind="related")
    services.product_relate(product=shop.cement, related=shop.cement400, kind="analog")
    services.product_update(product=shop.cement, pack_multiplicity=Decimal(2), min_order_quantity=Decimal(4))

    response = login(company.buyer).get(reverse("portal:product", kwargs={"article": "CEM-500-50"}))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Цемент М500 Д0 Евроцемент, 50 кг" in body
    assert "<p>Портландцемент для <b>бетонов</b> и растворов</p>" in body  # sanitized HTML, rendered
    assert "Евроцемент" in body
    assert "4601234567890" in body
    assert re.search(r"Grade</th><td>М500</td>", body)
    assert re.search(r"Weight</th><td>50 кг</td>", body)
    assert "MSK" in body and "SPB" in body and "pickup point" in body
    assert "Expected on" in body
    assert 'data-bs-slide-to="1"' in body  # two images: a carousel with thumbnails
    assert re.search(r'name="quantity" value="4" min="4" step="2"', body)
    # the contract price, and the related product and analog with their own prices and stock
    assert "500.00" in body and "620.00" in body
    assert "Analogs" in body and "CEM-400-25" in body and "390.00" in body
    assert "Related products" in body and "MIX-ROT-30" in body and "540.00" in body
    assert "Стройматериалы" in body and "Цемент" in body  # breadcrumbs


def test_product_card_shows_quantity_discounts_of_list_prices(shop, company, login):
    QuantityDiscount.objects.create(product=shop.plaster, min_quantity=Decimal(50), percent=Decimal(5))

    body = login(company.buyer).get("/product/MIX-ROT-30/").content.decode()

    assert "Quantity discounts" in body
    assert re.search(r"<td>50 шт</td><td>−5%</td>", body)


def test_an_archived_product_says_it_is_no_longer_sold_and_offers_its_analogs(priced, company, login):
    # given the M500 cement archived, with two analogs of which one is archived too
    shop = priced
    old_analog = product("CEM-OLD-1", "Цемент старый", shop.cement_cat)
    services.product_relate(product=shop.cement, related=shop.cement400, kind="analog")
    services.product_relate(product=shop.cement, related=old_analog, kind="analog")
    services.product_archive(product=old_analog)
    services.product_archive(product=shop.cement)
    client = login(company.buyer)

    response = client.get("/product/CEM-500-50/")

    # then its page says so (410 Gone) and lists the analog still sold, with the buyer's price
    assert response.status_code == 410
    body = response.content.decode()
    assert "This product is no longer sold." in body and "Цемент М500 Д0 Евроцемент, 50 кг" in body
    assert "You can order one of its analogs instead." in body
    page, analogs = body.split('id="analog-section"')
    assert re.findall(r'catalog-article">([^<]+)<', analogs) == ["CEM-400-25"] and "390.00" in analogs
    assert "500.00" not in page and 'name="quantity"' not in page  # the old product: no price, no cart
    # and the exact article typed in the search leads there, instead of "did you mean"
    found = client.get("/search/", {"q": "cem-500-50"})
    assert found.status_code == 302 and found["Location"] == "/product/CEM-500-50/"
    # and an article nobody knows is still not found
    assert client.get("/product/NO-SUCH-ARTICLE/").status_code == 404
    assert client.get("/product/" + "x" * 300 + "/").status_code == 404
    assert "CEM-500-50" not in client.get(BUILDING).content.decode()


def test_an_archived_product_without_analogs_points_to_its_category(shop, company, login):
    services.product_archive(product=shop.plaster)

    response = login(company.buyer).get("/product/MIX-ROT-30/")

    assert response.status_code == 410
    body = response.content.decode()
    assert "Ask your manager about a replacement" in body
    assert re.search(r'<a class="btn btn-outline-secondary" href="/catalog/[^"]+/">Browse “', body)


def test_a_specification_only_contract_meets_only_its_own_archived_products(spec_only, other_company, login):
    # given Вектор buys only the summer tyre; the winter tyre and the summer tyre are archived
    services.product_archive(product=spec_only.tyre_winter)
    services.product_archive(product=spec_only.tyre_summer)
    client = login(other_company.buyer)

    # then the winter tyre, outside its specification, stays unknown to it; the summer tyre is gone
    assert client.get(f"/product/{spec_only.tyre_winter.article}/").status_code == 404
    assert client.get("/search/", {"q": spec_only.tyre_winter.article}).status_code == 200
    assert client.get(f"/product/{spec_only.tyre_summer.article}/").status_code == 410


# Search -------------------------------------------------------------------------------------------


def test_exact_article_opens_the_card(shop, company, login):
    client = login(company.buyer)

    for q in ("CEM-500-50", "cem-500-50", "  CEM-500-50 "):
        response = client.get("/search/", {"q": q})
        assert response.status_code == 302
        assert response.url == reverse("portal:product", kwargs={"article": "CEM-500-50"})


def test_search_finds_word_forms(shop, company, login):
    response = login(company.buyer).get("/search/", {"q": "цемента"})

    assert response.status_code == 200
    assert set(_articles(response)) == {"CEM-500-50", "CEM-400-25"}


def test_a_search_with_more_matches_than_it_shows_says_so(shop, company, login, monkeypatch):
    from optovik.catalog import search

    for n in range(4):
        product(f"PAV-{n}", f"Брусчатка гранитная {n}", shop.building)
    buyer = login(company.buyer)

    monkeypatch.setattr(search, "SEARCH_LIMIT", 3)
    cut = buyer.get("/search/", {"q": "брусчатка", "view": "list"}).content.decode()
    monkeypatch.setattr(search, "SEARCH_LIMIT", 4)
    whole = buyer.get("/search/", {"q": "брусчатка", "sort": "price"}).content.decode()

    assert re.search(r'id="catalog-total">3\+ products<', cut)
    assert "Showing the 3 best matches: refine the query to see others." in cut
    assert re.search(r'id="catalog-total">4 products<', whole)
    assert 'id="catalog-best"' not in whole


def test_a_category_counted_past_its_cap_shows_the_cap_with_a_plus(shop, company, login, monkeypatch):
    from optovik.catalog import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    capped = login(company.buyer).get(BUILDING).content.decode()

    assert re.search(r'id="catalog-total">2\+ products<', capped)


def test_product_counts_are_written_with_thousands_separated(rf):
    from django.template.loader import render_to_string
    from django.utils import translation

    from optovik.catalog.selectors import ProductPage

    def total(count, capped, language):
        page = ProductPage(rows=[], page=1, per_page=48, total=count, total_capped=capped, sort="name")
        with translation.override(language):
            html = render_to_string("portal/catalog/_listing.html", {"page": page}, request=rf.get("/catalog/"))
        return re.search(r'id="catalog-total">([^<]+)<', html).group(1)

    assert total(10_000, True, "ru") == "10\xa0000+ товаров"
    assert total(1_755, False, "ru") == "1\xa0755 товаров"
    assert total(3, True, "ru") == "3+ товара"
    assert total(10_000, True, "en") == "10,000+ products"
    assert total(1, False, "en") == "1 product"


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        '"',
        '"цемент',
        "цем*",
        "*",
        "цемент NEAR шина",
        "NEAR(цемент шина)",
        "-цемент",
        "name:цемент",
        ":",
        "a AND OR NOT",
        "'); DROP TABLE catalog_product; --",
        "%_\\",
        "ж" * 5000,
        "цемент " * 900,
        "☃︎ 🚧 \u200b",
    ],
    ids=lambda q: repr(q[:20]),
)
def test_any_query_gets_a_page(shop, company, login, q):
    client = login(company.buyer)

    assert client.get("/search/", {"q": q}).status_code == 200
    assert client.get("/search/suggest/", {"q": q}).status_code == 200


def test_nothing_found_is_friendly_and_typos_get_similar_articles(shop, company, login):
    client = login(company.buyer)

    nothing = client.get("/search/", {"q": "зонтик"}).content.decode()
    typo = client.get("/search/", {"q": "CEM-500-5O"})

    assert "Nothing found for “зонтик”" in nothing
    assert "Стройматериалы" in nothing  # categories to browse instead
    assert "Did you mean" in typo.content.decode()
    assert "CEM-500-50" in _articles(typo)


def test_suggestions_partial_lists_products_with_prices(priced, company, login):
    client = login(company.buyer)

    response = client.get("/search/suggest/", {"q": "CEM"})
    empty = client.get("/search/suggest/", {"q": ""})

    body = response.content.decode()
    assert "<html" not in body
    assert "CEM-500-50" in body and "CEM-400-25" in body
    assert "500.00" in body
    assert reverse("portal:product", kwargs={"article": "CEM-500-50"}) in body
    assert empty.content.decode().strip() == ""


def test_header_has_the_catalog_link_and_the_search_box(shop, company, login):
    body = login(company.buyer).get(reverse("portal:dashboard")).content.decode()

    assert f'href="{reverse("portal:catalog")}"' in body
    assert f'hx-get="{reverse("portal:search_suggest")}"' in body


# Query counts -------------------------------------------------------------------------------------


def _fill(shop, count, start):
    cat = shop.cement_cat
    for n in range(start, start + count):
        p = product(f"BULK-{n:03d}", f"Товар {n:03d}", cat, ref=shop.ref, brand=f"Бренд {n % 3}")
        set_price(p, shop.retail, 100 + n)
        stock(p, shop.wh, n)
        services.product_attribute_set(product=p, attribute=shop.weight, value=n)
        ProductImage.objects.create(product=p, image=f"catalog/products/{n}.jpg", thumbnail=f"catalog/t/{n}.jpg")


@pytest.mark.parametrize("url", [BUILDING, BUILDING + "?sort=price&view=list", "/search/?q=товар"])
def test_page_query_count_does_not_depend_on_its_length(shop, company, login, django_assert_max_num_queries, url):
    client = login(company.buyer)
    ContractPrice.objects.create(contract=company.c1, product=shop.cement, price=Decimal(500))
    _fill(shop, 10, 0)
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as short:
        response = client.get(url)
    assert len([a for a in _articles(response) if a.startswith("BULK")]) == 10

    _fill(shop, 38, 10)
    with django_assert_max_num_queries(len(short.captured_queries)):
        response = client.get(url)
    assert len([a for a in _articles(response) if a.startswith("BULK")]) >= 45


def test_card_query_count_does_not_depend_on_the_number_of_relations(
    shop, company, login, django_assert_max_num_queries
):
    client = login(company.buyer)
    url = reverse("portal:product", kwargs={"article": "CEM-500-50"})
    services.product_relate(product=shop.cement, related=shop.plaster, kind="related")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    services.product_relate(product=shop.cement, related=shop.cement400, kind="analog")
    _fill(shop, 8, 0)
    for p in Product.objects.filter(article__startswith="BULK"):
        services.product_relate(product=shop.cement, related=p, kind="related" if p.pk % 2 else "analog")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("BULK-") >= 8


def test_card_shows_the_first_relations_and_the_rest_behind_show_all(shop, company, login, monkeypatch):
    from optovik.catalog import selectors

    monkeypatch.setattr(selectors, "RELATIONS_ON_CARD", 3)
    client = login(company.buyer)
    _fill(shop, 5, 0)
    bulk = list(Product.objects.filter(article__startswith="BULK").order_by("article"))
    for p in reversed(bulk):
        services.product_relate(product=shop.cement, related=p, kind="related")
    services.product_relate(product=shop.cement, related=shop.cement400, kind="analog")
    archived = bulk[0]
    services.product_update(product=archived, status="archived")  # hidden: not shown, not counted

    body = client.get("/product/CEM-500-50/").content.decode()
    assert list(dict.fromkeys(re.findall(r"BULK-\d+", body))) == ["BULK-001", "BULK-002", "BULK-003"]  # by name
    assert re.search(r"Related products <span[^>]*>3 of 4</span></h2>", body) and "Show all 4" in body
    all_url = reverse("portal:product_relations", kwargs={"kind": "related", "article": "CEM-500-50"})
    assert f'hx-get="{all_url}"' in body
    assert "Analogs</h2>" in body and "CEM-400-25" in body  # all analogs shown: no count, no button
    # the sections are h2 headings, their products' names h3 (a list page's names are h2)
    assert body.count('<h3 class="h6 mb-0 catalog-name">') == 4 and '<h2 class="h6 mb-0 catalog-name">' not in body
    assert "/relations/analog/" not in body

    fragment = client.get(all_url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment
    assert sorted(set(re.findall(r"BULK-\d+", fragment))) == ["BULK-001", "BULK-002", "BULK-003", "BULK-004"]
    assert "Show all" not in fragment and "104.00" in fragment  # prices with the rows
    assert 'name="next" value="/product/CEM-500-50/"' in fragment  # the forms lead back to the card

    page = client.get(all_url).content.decode()
    assert "<html" in page and "BULK-004" in page and "Related products" in page and "Стройматериалы" in page
    none = client.get(reverse("portal:product_relations", kwargs={"kind": "related", "article": "CEM-400-25"}))
    assert none.status_code == 200 and "Related products: none." in none.content.decode()
    for kind, article in (("other", "CEM-500-50"), ("related", archived.article), ("related", "NO-SUCH")):
        url = reverse("portal:product_relations", kwargs={"kind": kind, "article": article})
        assert client.get(url).status_code == 404


def test_relations_page_says_when_it_shows_only_the_first_of_very_many(shop, company, login, monkeypatch):
    from optovik.catalog import selectors

    monkeypatch.setattr(selectors, "RELATIONS_MAX", 2)
    for other in (shop.plaster, shop.tyre_summer, shop.tyre_winter):
        services.product_relate(product=shop.cement, related=other, kind="related")
    url = reverse("portal:product_relations", kwargs={"kind": "related", "article": "CEM-500-50"})
    for headers in ({}, {"HX-Request": "true"}):
        body = login(company.buyer).get(url, headers=headers).content.decode()
        assert re.search(r"Related products <span[^>]*>2 of 3</span></h2>", body)
        assert "Show all" not in body and body.count('<h3 class="h6 mb-0 catalog-name">') == 2


def test_relations_page_of_a_specification_only_contract_shows_only_its_products(shop, company, login):
    services.product_relate(product=shop.cement, related=shop.cement400, kind="analog")
    services.product_relate(product=shop.cement, related=shop.plaster, kind="analog")
    company.c1.specification_only = True
    company.c1.save()
    for p in (shop.cement, shop.plaster):
        SpecificationItem.objects.create(contract=company.c1, product=p)
    client = login(company.buyer)
    body = client.get(reverse("portal:product_relations", kwargs={"kind": "analog", "article": "CEM-500-50"}))
    assert "MIX-ROT-30" in body.content.decode() and "CEM-400-25" not in body.content.decode()
    outside = reverse("portal:product_relations", kwargs={"kind": "analog", "article": "CEM-400-25"})
    assert client.get(outside).status_code == 404


def test_page_links_show_the_ends_and_the_neighbourhood():
    assert catalog_views.page_links(1, 1) == [1]
    assert catalog_views.page_links(1, 4) == [1, 2, 3, 4]
    assert catalog_views.page_links(10, 20) == [1, None, 8, 9, 10, 11, 12, None, 20]


@pytest.mark.parametrize("article", ["M500-D0", "Шина 205/55 R16", "A&B+C?#%", "x y", "ц/ем"])
def test_product_urls_are_what_reverse_gives(article):
    assert catalog_views.product_urls()(article) == reverse("portal:product", kwargs={"article": article})


@pytest.mark.parametrize(
    ("language", "amount", "currency", "shown"),
    [
        ("ru", Decimal("1234567.5"), "RUB", "1\xa0234\xa0567,50\xa0₽"),
        ("en", Decimal("1234567.5"), "RUB", "1,234,567.50\xa0₽"),
        ("ru", Decimal("0.005"), "RUB", "0,01\xa0₽"),
        ("ru", Decimal("-12"), "USD", "-12,00\xa0USD"),
        ("ru", None, "RUB", ""),
    ],
)
def test_money_is_grouped_with_two_decimals_in_the_language_of_the_page(language, amount, currency, shown):
    from django.utils import translation

    from optovik.portal.templatetags.portal_tags import money

    with translation.override(language):
        assert money(amount, currency) == shown
