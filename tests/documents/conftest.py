import datetime
import subprocess
from decimal import Decimal

import pytest

from optovik.documents.render import ActDoc, ActMovement, InvoiceDoc, InvoiceLine, Party, UpdDoc, UpdLine

# Typst markup that would change the layout if the name were ever pasted into a template.
TRICKY_NAME = 'ООО "Знак" #set text(red) *bold* $x$ ]'


@pytest.fixture
def seller():
    return Party(
        name='ООО "Оптовик Снаб"',
        inn="7707083893",
        kpp="773601001",
        address="101000, г. Москва, ул. Мясницкая, д. 1",
        bank_name="ПАО Сбербанк, г. Москва",
        bik="044525225",
        account="40702810938000012345",
        correspondent_account="30101810400000000225",
        director="Иванов И. И.",
        chief_accountant="Петрова А. А.",
    )


@pytest.fixture
def buyer():
    return Party(
        name='ООО "СтройМаркет"',
        inn="5001000001",
        kpp="500101001",
        address="141000, г. Мытищи, ул. Мира, д. 5",
        director="Сидоров П. П.",
    )


@pytest.fixture
def invoice(seller, buyer):
    return InvoiceDoc(
        number="1234",
        date=datetime.date(2026, 11, 23),
        seller=seller,
        buyer=buyer,
        lines=(
            InvoiceLine(name="Цемент М500", quantity=Decimal(10), unit="мешок", price=Decimal("450.00"), vat_rate=22),
            InvoiceLine(name="Книга «Кладка»", quantity=Decimal(2), unit="шт", price=Decimal("300.50"), vat_rate=10),
            InvoiceLine(name="Доставка", quantity=Decimal(1), unit="услуга", price=Decimal("1000"), vat_rate=22),
        ),
        due_date=datetime.date(2026, 11, 30),
        payment_terms="Счёт действителен 5 банковских дней.",
        basis="Договор поставки № 15/26 от 01.02.2026",
    )


def upd_lines(count: int) -> tuple[UpdLine, ...]:
    return tuple(
        UpdLine(
            name=f"Товар {number} " + "с длинным наименованием " * (number % 2 * 4),
            quantity=Decimal(number % 5 + 1),
            unit="шт",
            unit_code="796",
            price=Decimal("100.10") + number,
            vat_rate=Decimal(22),
            code=f"A-{number}",
        )
        for number in range(1, count + 1)
    )


@pytest.fixture
def upd(seller, buyer):
    return UpdDoc(
        number="987",
        date=datetime.date(2026, 11, 23),
        status=1,
        seller=seller,
        buyer=buyer,
        lines=upd_lines(3),
        payment_documents="№ 45 от 20.11.2026",
        basis="Договор поставки № 15/26 от 01.02.2026",
        transport="ТН № 987 от 23.11.2026",
        released_by_position="Кладовщик",
        released_by_name="Смирнов К. К.",
    )


def act_movements(count: int) -> tuple[ActMovement, ...]:
    start = datetime.date(2026, 7, 1)
    return tuple(
        ActMovement(
            date=start + datetime.timedelta(days=number % 90),
            document=f"Продажа № {number}" + " по универсальному передаточному документу" * (number % 2),
            debit=Decimal("100.00"),
        )
        for number in range(count)
    )


@pytest.fixture
def act(seller, buyer):
    return ActDoc(
        seller=seller,
        buyer=buyer,
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 9, 30),
        opening_balance=Decimal("1000.00"),
        movements=(
            ActMovement(
                date=datetime.date(2026, 7, 5), document="Продажа (УПД № 1 от 05.07.2026)", debit=Decimal("5000")
            ),
            ActMovement(
                date=datetime.date(2026, 7, 20), document="Оплата (п/п № 7 от 20.07.2026)", credit=Decimal("3000")
            ),
        ),
        basis="договору поставки № 15/26 от 01.02.2026",
    )


def pdf_text(pdf: bytes, *, layout: bool = True) -> str:
    """The text of a PDF as pdftotext reads it, with non-breaking spaces made plain."""
    args = ["pdftotext", "-layout", "-", "-"] if layout else ["pdftotext", "-", "-"]
    result = subprocess.run(args, input=pdf, capture_output=True, check=True)
    return result.stdout.decode().replace("\u00a0", " ")


def flat(text: str) -> str:
    """Text with every run of whitespace collapsed, for phrases that may wrap."""
    return " ".join(text.split())


def pdf_pages(pdf: bytes) -> list[str]:
    return pdf_text(pdf).split("\f")[:-1]


def pdf_page_count(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
