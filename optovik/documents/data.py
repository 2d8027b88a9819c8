"""The plain data the document layouts take: frozen dataclasses, amounts as ``Decimal``.

The finance code builds them from issued documents (which copy the parties' requisites at issue
time); nothing here touches the database.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Party:
    """A seller or buyer with the requisites a document prints."""

    name: str
    inn: str
    kpp: str = ""
    address: str = ""
    bank_name: str = ""
    bik: str = ""
    account: str = ""
    correspondent_account: str = ""
    director: str = ""
    chief_accountant: str = ""


@dataclass(frozen=True)
class InvoiceLine:
    name: str
    quantity: Decimal
    unit: str
    price: Decimal
    vat_rate: Decimal | None  # 22, 10, 0; None for "без НДС"
    code: str = ""


@dataclass(frozen=True)
class InvoiceDoc:
    """An invoice for payment (счёт на оплату). ``purpose`` defaults to "Оплата по счёту № …"."""

    number: str
    date: datetime.date
    seller: Party
    buyer: Party
    lines: tuple[InvoiceLine, ...]
    prices_include_vat: bool = True
    due_date: datetime.date | None = None
    payment_terms: str = ""
    basis: str = ""
    purpose: str = ""
    cancelled: bool = False  # printed with an "АННУЛИРОВАН" stamp across the page


@dataclass(frozen=True)
class UpdLine:
    name: str
    quantity: Decimal
    unit: str
    unit_code: str  # OKEI code: 796 штука, 166 килограмм
    price: Decimal
    vat_rate: Decimal | None
    code: str = ""
    kind_code: str = ""  # код вида товара (TN VED, for exports to the EAEU)
    excise: Decimal | None = None
    country_code: str = ""
    country_name: str = ""
    declaration_number: str = ""


@dataclass(frozen=True)
class UpdDoc:
    """A universal transfer document (УПД): status 1 is an invoice-factura and a transfer act,
    status 2 only a transfer act. ``consignor`` None prints "он же"; ``consignee`` None is the buyer."""

    number: str
    date: datetime.date
    status: int
    seller: Party
    buyer: Party
    lines: tuple[UpdLine, ...]
    prices_include_vat: bool = True
    consignor: Party | None = None
    consignee: Party | None = None
    payment_documents: str = ""
    basis: str = ""
    transport: str = ""
    shipped_on: datetime.date | None = None
    released_by_position: str = ""
    released_by_name: str = ""
    received_by_position: str = ""
    received_by_name: str = ""
    currency_name: str = "Российский рубль"
    currency_code: str = "643"
    contract_id: str = ""
    correction_number: str = ""
    correction_date: datetime.date | None = None


@dataclass(frozen=True)
class ActMovement:
    """One entry of the seller's ledger: debit grows the buyer's debt (a shipment), credit
    reduces it (a payment)."""

    date: datetime.date
    document: str
    debit: Decimal = Decimal("0.00")
    credit: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class ActDoc:
    """A reconciliation act from the seller's books. ``opening_balance`` above zero is the
    buyer's debt to the seller, below zero the seller's debt to the buyer."""

    seller: Party
    buyer: Party
    period_start: datetime.date
    period_end: datetime.date
    opening_balance: Decimal
    movements: tuple[ActMovement, ...]
    basis: str = ""
    number: str = ""
