import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from optovik.core.errors import ApplicationError
from optovik.finance.models import Document, DocumentKind, LedgerEntry, SerialNumber, Shipment
from optovik.finance.rendering import upd_pdf
from optovik.finance.shipments import ShipmentLineInput, shipment_create, shipment_post

from .documents_data import order_make, shipment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages in English whatever an earlier request activated, so tests can read them."""
    with translation.override("en"):
        yield


DAY = dt.date(2026, 11, 2)


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def line(**kwargs) -> ShipmentLineInput:
    fields = {
        "name": "Дрель ударная 750 Вт",
        "quantity": Decimal(3),
        "price": Decimal("4990.00"),
        "vat_rate": Decimal(22),
    }
    return ShipmentLineInput(**(fields | kwargs))


def test_posting_debits_the_ledger_due_after_the_deferral(company):
    draft = shipment_create(contract=company.c2, date=DAY, lines=[line()])  # c2: 30 days of deferral
    assert not LedgerEntry.objects.exists()

    posted = shipment_post(shipment=draft)

    entry = LedgerEntry.objects.get()
    assert posted.number == "1" and posted.status == Shipment.Status.POSTED
    assert (entry.kind, entry.debit, entry.credit) == (LedgerEntry.Kind.SHIPMENT, Decimal("14970.00"), Decimal(0))
    assert entry.due_date == DAY + dt.timedelta(days=30)
    assert posted.ledger_entry == entry and posted.total_vat == Decimal("2699.51")
    assert posted.seller_data["inn"] == company.c2.seller.inn and posted.buyer_data["inn"] == company.le2.inn
    document = Document.objects.get(shipment=posted)
    assert (document.kind, document.number, document.amount) == (DocumentKind.UPD, "1", Decimal("14970.00"))


def test_prepayment_contract_debt_is_due_on_the_shipment_day(company):
    posted = shipment(contract=company.c1, date=DAY)
    assert posted.ledger_entry.due_date == DAY


def test_a_shipment_is_posted_only_once(company):
    posted = shipment(contract=company.c1, date=DAY)
    with pytest.raises(ApplicationError, match="already posted"):
        shipment_post(shipment=posted)
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "at least one line"),
        ([line(serials=("SN-1", "SN-1"))], "SN-1 is repeated"),
        ([line(quantity=Decimal(0))], "quantity must be positive"),
        ([line(price=Decimal(-1))], "price cannot be negative"),
    ],
)
def test_bad_shipment_is_refused_and_nothing_is_created(company, lines, message):
    with pytest.raises(ApplicationError, match=message):
        shipment_create(contract=company.c1, date=DAY, lines=lines)
    assert not Shipment.objects.exists() and not SerialNumber.objects.exists()


def test_upd_pdf_prints_number_status_parties_and_total(company):
    posted = shipment(contract=company.c1, date=DAY, amount="1234.50")
    text = pdf_text(upd_pdf(posted))
    assert "Счет-фактура № 1 от 2 ноября 2026 г." in text
    assert "1 234,50" in text
    seller = company.c1.seller
    assert seller.inn in text and seller.kpp in text and company.le1.inn in text
    assert seller.full_name in text


def test_serials_of_a_shipment_export_to_xlsx_and_csv(company, login):
    posted = shipment(contract=company.c1, date=DAY, serials=["SN-0001", "=HYPERLINK(1)", "007"])
    client = login(company.buyer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    xlsx = client.get(reverse("portal:shipment_serials_xlsx", kwargs={"pk": posted.pk}))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("UPD No.", "Date", "Article", "Product", "Serial number")
    assert [row[4] for row in rows[1:]] == ["SN-0001", "=HYPERLINK(1)", "007"]
    assert rows[1][0] == "1" and rows[1][2] == "SHV-18"

    csv = client.get(reverse("portal:shipment_serials_csv", kwargs={"pk": posted.pk})).content.decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0] == "UPD No.;Date;Article;Product;Serial number"
    assert lines[1] == "1;02.11.2026;SHV-18;Шуруповёрт аккумуляторный 18 В;SN-0001"
    assert lines[2].endswith(";'=HYPERLINK(1)")  # never run as a formula


def test_serials_of_an_order_cover_all_its_shipments_only(company, login):
    order = order_make(contract=company.c1)
    first_line = order.lines.first()
    draft = shipment_create(
        contract=company.c1,
        date=DAY,
        order=order,
        lines=[line(order_line_id=first_line.pk, serials=("A-1", "A-2")), line(serials=("B-1",))],
    )
    shipment_post(shipment=draft)
    shipment(contract=company.c1, date=DAY, serials=["NOT-THIS-ORDER"])
    shipment_create(contract=company.c1, date=DAY, order=order, lines=[line(serials=("DRAFT-1",))])

    response = login(company.accountant).get(reverse("portal:order_serials_csv", kwargs={"number": order.number}))

    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert all(serial in body for serial in ("A-1", "A-2", "B-1"))
    assert "NOT-THIS-ORDER" not in body and "DRAFT-1" not in body


def test_customer_downloads_the_upd_but_not_a_draft(company, login):
    posted = shipment(contract=company.c1, date=DAY)
    draft = shipment(contract=company.c1, date=DAY, post=False)
    client = login(company.buyer)

    ok = client.get(reverse("portal:shipment_upd", kwargs={"pk": posted.pk}))
    missing = client.get(reverse("portal:shipment_upd", kwargs={"pk": draft.pk}))

    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf"
    assert missing.status_code == 404
