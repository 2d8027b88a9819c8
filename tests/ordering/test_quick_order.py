"""Quick order: pasted lines and uploaded spreadsheets, a verdict per line, nothing half-way."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from optovik.catalog.models import Barcode
from optovik.catalog.services import product_archive, product_relate
from optovik.customers.models import Contract
from optovik.ordering.models import Cart, CartLine
from optovik.ordering.services.quick_order import (
    Verdict,
    quick_order_add,
    quick_order_parse_file,
    quick_order_parse_text,
)

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
            "bolt": of.product("B-100", stock=50),
            "nut": of.product("N-200", stock=1000, pack="10", minimum="20"),
            "cable": of.product("C-300", stock=100, pack="0.5", minimum="0.5", unit_name="м"),
            "old": of.product("O-400"),
        },
    )


@pytest.fixture
def cart(company):
    return Cart.objects.create(client=company.client, user=company.buyer, contract=company.c1)


def _cart(cart):
    return dict(CartLine.objects.filter(cart=cart).values_list("product__article", "quantity"))


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("B-100 12", ("B-100", "12")),
        ("B-100\t12", ("B-100", "12")),
        ("B-100;12", ("B-100", "12")),
        ("B-100,12", ("B-100", "12")),
        ("C-300 1,5", ("C-300", "1,5")),
        ("C-300;1,5", ("C-300", "1,5")),
        ("C-300,1,5", ("C-300", "1,5")),
        ("  B-100   7  ", ("B-100", "7")),
        ("B-100", ("B-100", "")),
        ("B-100 abc", ("B-100", "abc")),
    ],
)
def test_pasted_line_separators_and_decimal_commas(text, expected):
    assert quick_order_parse_text(text)[0][1:] == expected


def test_report_per_line(cart, goods):
    text = "\n".join(
        [
            "B-100 3",  # added
            "N-200 25",  # rounded to 30
            "XX-1 1",  # unknown
            "B-100 2",  # duplicate merged into line 1
            "B-100 -1",  # negative
            "B-100 1,5",  # fractional for a whole unit
            "C-300 1,5",  # fine: metres in halves
            "N-200 abc",  # not a number
        ]
    )
    report = quick_order_add(cart=cart, rows=quick_order_parse_text(text))

    verdicts = [line.verdict for line in report.lines]
    assert verdicts == [
        Verdict.ADDED, Verdict.ROUNDED, Verdict.UNKNOWN, Verdict.MERGED, Verdict.BAD_QUANTITY,
        Verdict.BAD_QUANTITY, Verdict.ADDED, Verdict.BAD_QUANTITY,
    ]  # fmt: skip
    assert "merged into line 1 (5 in total)" in report.lines[3].message
    assert "Rounded to 30" in report.lines[1].message
    assert "whole numbers" in report.lines[5].message
    assert _cart(cart) == {"B-100": D(5), "N-200": D(30), "C-300": D("1.5")}


def test_unknown_article_gets_suggestions(cart, goods):
    report = quick_order_add(cart=cart, rows=quick_order_parse_text("B-10O 1"))

    assert report.lines[0].verdict == Verdict.UNKNOWN
    assert "B-100" in [article for article, _name in report.lines[0].suggestions]


def test_article_outside_the_specification(cart, company, goods):
    Contract.objects.filter(pk=company.c1.pk).update(specification_only=True)
    cart.contract.refresh_from_db()
    of.in_specification(company.c1, goods.nut)

    report = quick_order_add(cart=cart, rows=quick_order_parse_text("B-100 1\nN-200 20"))

    assert [line.verdict for line in report.lines] == [Verdict.NOT_IN_SPECIFICATION, Verdict.ADDED]
    assert _cart(cart) == {"N-200": D(20)}


def test_archived_product_and_barcode(cart, goods):
    product_relate(product=goods.old, related=goods.nut, kind="analog")
    product_archive(product=goods.old)
    Barcode.objects.create(product=goods.bolt, code="4601234567890")

    report = quick_order_add(cart=cart, rows=quick_order_parse_text("O-400 1\n4601234567890 2\nb-100 1"))

    assert [line.verdict for line in report.lines] == [Verdict.UNAVAILABLE, Verdict.ADDED, Verdict.MERGED]
    assert report.lines[0].message == "No longer sold."
    assert [article for article, _name in report.lines[0].analogs] == ["N-200"]  # what to order instead
    assert _cart(cart) == {"B-100": D(3)}


def test_xlsx_columns_found_by_russian_headers(goods):
    data = _xlsx([["Заказ поставщику"], [], ["№", "Наименование", "Кол-во", "Артикул"], [1, "Болт", 4, "B-100"]])

    assert quick_order_parse_file(name="order.xlsx", data=data) == [(4, "B-100", "4")]


def test_csv_with_english_headers_and_semicolons(goods):
    data = "Quantity;SKU\n2,5;C-300\n".encode("cp1251")

    assert quick_order_parse_file(name="order.csv", data=data) == [(2, "C-300", "2,5")]


def test_formula_in_a_cell_is_not_run(cart, goods):
    data = _xlsx([["Article", "Qty"], ["B-100", "=1+1"], ["=HYPERLINK(1)", 2]])

    report = quick_order_add(cart=cart, rows=quick_order_parse_file(name="f.xlsx", data=data))

    assert [line.verdict for line in report.lines] == [Verdict.BAD_QUANTITY, Verdict.UNKNOWN]
    assert _cart(cart) == {}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.xlsx", b"", "The submitted file is empty"),
        ("a.xlsx", b"this is not a spreadsheet", "cannot be read as a spreadsheet"),
        ("a.pdf", b"%PDF-1.4", "not a spreadsheet"),
        ("a.csv", "\n".join(f"B-100;{i}" for i in range(100_000)).encode(), "Too many lines"),
    ],
)
def test_unreadable_file_is_refused_whole_and_the_cart_is_unchanged(buyer_client, company, goods, name, data, message):
    buyer_client.post(reverse("portal:cart_add"), {"product": goods.bolt.pk, "quantity": "1"})

    response = buyer_client.post(reverse("portal:quick_order"), {"file": SimpleUploadedFile(name, data)})

    assert message in response.content.decode()
    assert dict(CartLine.objects.values_list("product__article", "quantity")) == {"B-100": D(1)}


@pytest.fixture
def buyer_client(company, login):
    return login(company.buyer)


def test_paste_through_the_page_shows_the_report(buyer_client, goods):
    product_relate(product=goods.old, related=goods.nut, kind="analog")
    product_archive(product=goods.old)

    response = buyer_client.post(reverse("portal:quick_order"), {"text": "B-100 2\nNOPE 1\nO-400 3"})

    body = response.content.decode()
    assert 'id="quick-report"' in body
    assert "1 line added to the cart" in body and "2 lines not added" in body
    assert "Unknown article." in body
    assert "No longer sold." in body
    assert re.search(r'Analogs: <a href="/product/N-200/" class="font-monospace" title="[^"]+">N-200</a>', body)


def test_upload_through_the_page(buyer_client, goods):
    data = _xlsx([["Артикул", "Количество"], ["N-200", 20], ["B-100", 1]])

    response = buyer_client.post(reverse("portal:quick_order"), {"file": SimpleUploadedFile("o.xlsx", data)})

    assert "2 lines added to the cart" in response.content.decode()
    assert dict(CartLine.objects.values_list("product__article", "quantity")) == {"N-200": D(20), "B-100": D(1)}


def test_a_thousand_lines_take_as_many_queries_as_ten(cart, db):
    """A pasted order of a thousand lines is read and added with a fixed number of queries (its
    time is measured by ``bench/bench_ordering.py``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from optovik.catalog.models import Product

    base = of.product("P-0")
    Product.objects.bulk_create(
        [
            Product(article=f"P-{i}", name=f"Товар {i}", category=base.category, unit=base.unit, vat_rate=base.vat_rate)
            for i in range(1, 1010)
        ]
    )

    def add(numbers):
        text = "\n".join(f"P-{i}\t{i % 7 + 1}" for i in numbers)
        with CaptureQueriesContext(connection) as queries:
            report = quick_order_add(cart=cart, rows=quick_order_parse_text(text))
        assert len(report.added) == len(numbers)
        return len(queries)

    ten = add(range(1000, 1010))
    CartLine.objects.filter(cart=cart).delete()  # a cart holds at most 1,000 lines
    thousand = add(range(1000))
    assert thousand == ten + 1  # the lines are inserted 500 to a statement
    assert CartLine.objects.filter(cart=cart).count() == 1000
    assert dict(
        CartLine.objects.filter(product__article__in=["P-6", "P-999"]).values_list("product__article", "quantity")
    ) == {
        "P-6": Decimal(7),
        "P-999": Decimal(6),
    }
