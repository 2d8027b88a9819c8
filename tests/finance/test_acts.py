import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from optovik.core.errors import ApplicationError
from optovik.documents.render import render_act_pdf
from optovik.finance.acts import act_build, act_issue
from optovik.finance.models import Document, DocumentKind
from tests import factories as f

from .documents_data import payment, shipment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages in English whatever an earlier request activated, so tests can read them."""
    with translation.override("en"):
        yield


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def ledger(company, today):
    """c1: shipped 10 000 sixty days ago, paid 4 000 forty days ago, shipped 2 500 ten days ago."""
    shipment(contract=company.c1, date=today - dt.timedelta(days=60), amount="10000.00")
    payment(contract=company.c1, date=today - dt.timedelta(days=40), amount="4000.00", number="77")
    shipment(contract=company.c1, date=today - dt.timedelta(days=10), amount="2500.00")
    return today


def test_act_has_the_opening_balance_and_the_movements_of_the_period(company, ledger):
    act = act_build(contract=company.c1, date_from=ledger - dt.timedelta(days=50), date_to=ledger)

    assert act.opening_balance == Decimal("10000.00")
    assert [(m.debit, m.credit) for m in act.movements] == [
        (Decimal(0), Decimal("4000.00")),
        (Decimal("2500.00"), Decimal(0)),
    ]
    assert act.movements[0].document.startswith("Оплата (п/п № 77")
    assert act.seller.inn == company.c1.seller.inn and act.buyer.inn == company.le1.inn
    assert company.c1.number in act.basis


def test_act_pdf_prints_parties_period_and_the_closing_debt(company, ledger):
    act = act_build(contract=company.c1, date_from=ledger - dt.timedelta(days=60), date_to=ledger)
    text = pdf_text(render_act_pdf(act))
    assert "Акт сверки" in text
    assert company.c1.seller.short_name in text and company.le1.short_name in text
    assert "8 500,00" in text  # 10 000 − 4 000 + 2 500
    assert "Восемь тысяч пятьсот рублей 00 копеек" in text


def test_act_of_a_legal_entity_covers_all_its_contracts_with_the_seller(company, today):
    second = f.ContractFactory(legal_entity=company.le2, seller=company.c2.seller)
    shipment(contract=company.c2, date=today - dt.timedelta(days=5), amount="100.00")
    shipment(contract=second, date=today - dt.timedelta(days=3), amount="200.00")

    act = act_build(legal_entity=company.le2, date_from=today - dt.timedelta(days=5), date_to=today)

    assert sum(m.debit for m in act.movements) == Decimal("300.00")
    assert any(second.number in m.document for m in act.movements)


def test_act_of_a_legal_entity_with_two_sellers_asks_for_a_contract(company, today):
    f.ContractFactory(legal_entity=company.le1)  # another seller organization
    shipment(contract=company.c1, date=today, amount="100.00")
    with pytest.raises(ApplicationError, match="several seller organizations"):
        act_build(legal_entity=company.le1, date_from=today, date_to=today)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-10, -20, "ends before it starts"),
        (-10, 1, "cannot end in the future"),
        (-400, 0, "cannot start earlier"),
    ],
)
def test_bad_period_is_refused_with_a_clear_message(company, ledger, start, end, message):
    with pytest.raises(ApplicationError, match=message):
        act_build(
            contract=company.c1, date_from=ledger + dt.timedelta(days=start), date_to=ledger + dt.timedelta(days=end)
        )


def test_no_act_without_settlements(company, today):
    with pytest.raises(ApplicationError, match="no settlements"):
        act_build(contract=company.c2, date_from=today, date_to=today)


def test_accountant_downloads_the_act_as_pdf_and_xlsx(company, ledger, login):
    client = login(company.accountant)
    query = {"contract": company.c1.pk, "date_from": ledger - dt.timedelta(days=60), "date_to": ledger}
    client.post(reverse("portal:switch"), {"legal_entity": company.le1.pk})

    pdf = client.get(reverse("portal:finance_act_pdf"), query)
    xlsx = client.get(reverse("portal:finance_act_xlsx"), query)

    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Акт сверки" in pdf_text(pdf.content)
    assert xlsx.status_code == 200
    cells = [c for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True) for c in row]
    assert 10000 in cells and 4000 in cells and 2500 in cells


def test_the_finance_page_explains_a_bad_period(company, ledger, login):
    client = login(company.accountant)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.post(reverse("portal:switch"), {"legal_entity": company.le1.pk})
    query = {"contract": company.c1.pk, "date_from": ledger, "date_to": ledger - dt.timedelta(days=3)}

    response = client.get(reverse("portal:finance_act_pdf"), query)

    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()


def test_the_act_form_refuses_another_company_contract(company, other_company, ledger, login):
    client = login(company.accountant)
    query = {"contract": other_company.contract.pk, "date_from": ledger, "date_to": ledger}
    response = client.get(reverse("portal:finance_act_pdf"), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_supplier_issued_act_is_filed_and_announced(company, ledger, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = act_issue(contract=company.c1, date_from=ledger - dt.timedelta(days=60), date_to=ledger)

    assert document.kind == DocumentKind.ACT and document.amount == Decimal("8500.00")
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert Document.objects.filter(kind=DocumentKind.ACT).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["accountant@example.com", "admin@example.com"]
