import datetime as dt
import subprocess
import threading
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from optovik.core.errors import ApplicationError
from optovik.documents import render
from optovik.documents.qr import parse_payment_qr_payload
from optovik.finance import rendering
from optovik.finance.invoicing import invoice_cancel, invoice_issue
from optovik.finance.models import Document, DocumentKind, Invoice
from optovik.ordering.models import OrderStatus
from tests import factories as f

from .documents_data import order_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages in English whatever an earlier request activated, so tests can read them."""
    with translation.override("en"):
        yield


DAY = dt.date(2026, 11, 23)


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def order(company):
    return order_make(contract=company.c1, user=company.buyer)


def test_invoice_copies_the_order_and_numbers_per_seller_and_year(company, order):
    invoice = invoice_issue(order=order, actor=company.buyer, day=DAY)

    assert invoice.number == "1" and invoice.year == 2026
    assert invoice.seller == company.c1.seller and invoice.legal_entity == company.le1
    assert invoice.total_gross == Decimal("25690.20")  # 2 × 12 345,60 + 10 × 99,90
    assert invoice.total_vat == Decimal("4632.66")
    assert [line.quantity for line in invoice.lines.all()] == [Decimal(2), Decimal(10)]
    assert invoice.seller_data["inn"] == company.c1.seller.inn
    assert invoice.buyer_data["kpp"] == company.le1.kpp
    assert invoice.due_date == DAY + dt.timedelta(days=5)
    document = Document.objects.get(invoice=invoice)
    assert (document.kind, document.number, document.amount) == (DocumentKind.INVOICE, "1", invoice.total_gross)


def test_second_invoice_of_the_seller_gets_the_next_number_and_a_new_year_starts_again(company, order):
    first = invoice_issue(order=order, day=DAY)
    second = invoice_issue(order=order_make(contract=company.c1), day=DAY)
    next_year = invoice_issue(order=order_make(contract=company.c1), day=dt.date(2027, 1, 2))
    other_seller = invoice_issue(order=order_make(contract=company.c2), day=DAY)

    assert (first.number, second.number, next_year.number) == ("1", "2", "1")
    assert other_seller.number == "1"  # c2 is signed by another seller organization


def test_asking_again_returns_the_issued_invoice(company, order):
    first = invoice_issue(order=order, day=DAY)
    assert invoice_issue(order=order, day=DAY) == first
    assert Invoice.objects.count() == 1


def test_a_cancelled_invoice_is_replaced_by_a_new_number(company, order):
    first = invoice_issue(order=order, day=DAY)
    invoice_cancel(invoice=first)
    second = invoice_issue(order=order, day=DAY)
    assert second.number == "2"
    assert Invoice.objects.get(pk=first.pk).status == Invoice.Status.CANCELLED


def test_a_cancelled_invoice_prints_with_a_cancelled_stamp(company, order):
    invoice = invoice_issue(order=order, day=DAY)
    issued = pdf_text(rendering.invoice_pdf(invoice))
    assert "аннулирован" not in issued.lower()
    invoice_cancel(invoice=invoice)
    cancelled = pdf_text(rendering.invoice_pdf(Invoice.objects.get(pk=invoice.pk)))
    assert "Счёт аннулирован" in cancelled
    assert f"Счёт на оплату № {invoice.number}" in cancelled  # the content stays as issued


@pytest.mark.parametrize("status", [OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.AWAITING_APPROVAL])
def test_no_invoice_for_an_order_that_cannot_be_paid(company, status):
    order = order_make(contract=company.c1, status=status)
    with pytest.raises(ApplicationError, match="cannot be issued"):
        invoice_issue(order=order, day=DAY)
    assert not Invoice.objects.exists() and not Document.objects.exists()


def test_changing_requisites_does_not_change_an_issued_invoice(company, order):
    invoice = invoice_issue(order=order, day=DAY)
    seller, buyer = company.c1.seller, company.le1
    old_seller_inn, old_buyer_name, old_account = seller.inn, buyer.short_name, seller.settlement_account

    seller.inn, seller.settlement_account, seller.director_name = "7707083893", "40702810000000000001", "Новиков Н. Н."
    seller.save()
    buyer.short_name = "ООО «Новое имя»"
    buyer.save()

    invoice.refresh_from_db()
    text = pdf_text(rendering.invoice_pdf(invoice))
    assert f"ИНН {old_seller_inn}" in text and old_account in text and old_buyer_name in text
    assert "7707083893" not in text and "Новое имя" not in text and "Новиков" not in text


def test_invoice_pdf_prints_number_requisites_total_and_words(company, order):
    invoice = invoice_issue(order=order, day=DAY)
    text = pdf_text(rendering.invoice_pdf(invoice))

    assert "Счёт на оплату № 1 от 23 ноября 2026 г." in text
    seller = company.c1.seller
    for requisite in (seller.inn, seller.kpp, seller.bik, seller.settlement_account, company.le1.inn, company.le1.kpp):
        assert requisite in text
    assert "25 690,20" in text
    assert "Двадцать пять тысяч шестьсот девяносто рублей 20 копеек" in text
    assert "Оплатить не позднее 28.11.2026." in text


def test_payment_qr_matches_the_seller_bank_details_and_amount(company, order, monkeypatch):
    payloads = []
    original = render.payment_qr_svg
    monkeypatch.setattr(render, "payment_qr_svg", lambda payload: payloads.append(payload) or original(payload))
    invoice = invoice_issue(order=order, day=DAY)

    rendering.invoice_pdf(invoice)

    fields = parse_payment_qr_payload(payloads[0])
    seller = company.c1.seller
    assert payloads[0].startswith("ST00012|")
    assert fields["Name"] == seller.short_name
    assert fields["PersonalAcc"] == seller.settlement_account
    assert fields["BIC"] == seller.bik and fields["CorrespAcc"] == seller.correspondent_account
    assert fields["BankName"] == seller.bank_name
    assert fields["Sum"] == "2569020"  # kopecks
    assert fields["PayeeINN"] == seller.inn and fields["KPP"] == seller.kpp
    assert fields["PayerINN"] == company.le1.inn
    assert "№ 1" in fields["Purpose"]


def test_pdf_is_rendered_once_per_version(company, order, monkeypatch):
    invoice = invoice_issue(order=order, day=DAY)
    calls = []
    original = rendering.render_invoice_pdf
    monkeypatch.setattr(rendering, "render_invoice_pdf", lambda doc: calls.append(doc) or original(doc))

    first = rendering.invoice_pdf(invoice)
    invoice.refresh_from_db()
    again = rendering.invoice_pdf(invoice)
    assert first == again and len(calls) == 1

    cancelled = invoice_cancel(invoice=invoice)  # a new version
    rendering.invoice_pdf(cancelled)
    assert len(calls) == 2


def test_admins_and_accountants_are_told_about_a_new_invoice(company, order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice_issue(order=order, actor=company.admin, day=DAY)

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["accountant@example.com"]  # the admin asked for it; purchasers are not told
    assert "1" in mail.outbox[0].subject and "/documents/" in mail.outbox[0].body


def test_accountant_downloads_the_invoice_of_an_order(company, order, login):
    client = login(company.accountant)
    response = client.get(reverse("portal:order_invoice", kwargs={"number": order.number}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Счёт на оплату №" in pdf_text(response.content)


def test_purchaser_of_one_legal_entity_cannot_get_the_other_entitys_invoice(company, login):
    other_entity_order = order_make(contract=company.c2)
    client = login(company.buyer)  # limited to le1
    response = client.get(reverse("portal:order_invoice", kwargs={"number": other_entity_order.number}))
    assert response.status_code == 404
    assert not Invoice.objects.exists()


def test_cancelled_order_has_no_invoice_page(company, login):
    order = order_make(contract=company.c1, status=OrderStatus.CANCELLED)
    response = login(company.admin).get(reverse("portal:order_invoice", kwargs={"number": order.number}))
    assert response.status_code == 409
    assert not Invoice.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_issues_get_distinct_numbers():
    with scopes_disabled():
        seller = f.SellerOrganizationFactory()
        orders = []
        for _ in range(8):
            contract = f.ContractFactory(seller=seller)
            orders.append(order_make(contract=contract))
    numbers, errors = [], []
    barrier = threading.Barrier(len(orders))

    def issue(order):
        try:
            barrier.wait()
            for _attempt in range(200):
                try:
                    with scopes_disabled():
                        numbers.append(invoice_issue(order=order, day=DAY, notify=False).number)
                    break
                except OperationalError as e:
                    # The in-memory SQLite test database answers a busy table at once instead of
                    # waiting; the transaction was rolled back whole, so it is simply tried again.
                    if connection.vendor != "sqlite" or "locked" not in str(e):
                        raise
                    time.sleep(0.01)
        except Exception as e:
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(numbers, key=int) == [str(n) for n in range(1, len(orders) + 1)]
