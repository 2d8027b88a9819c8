"""Printed forms of Russian business documents as PDF: invoice for payment with a payment QR
code, universal transfer document (УПД) and reconciliation act.

Each ``render_*`` function computes every figure here (through ``totals``), formats it and hands
the layout plain strings; the Typst templates only place them on the page.
"""

from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError

from .act import act_context, act_xlsx
from .data import ActDoc, ActMovement, InvoiceDoc, InvoiceLine, Party, UpdDoc, UpdLine
from .engine import compile_pdf
from .parties import party_dict, party_with_address
from .qr import payment_qr_payload, payment_qr_svg
from .totals import Totals, document_totals, vat_rate_label
from .words import amount_in_words, format_date, format_date_long, format_money, format_quantity

__all__ = [
    "ActDoc",
    "ActMovement",
    "InvoiceDoc",
    "InvoiceLine",
    "Party",
    "UpdDoc",
    "UpdLine",
    "act_xlsx",
    "document_totals",
    "invoice_payment_purpose",
    "render_act_pdf",
    "render_invoice_pdf",
    "render_upd_pdf",
]


def vat_summary(totals: Totals) -> str:
    """The VAT part of the payment purpose: «в т.ч. НДС (22%) 2 226,15 руб.» or «без НДС»."""
    parts = [
        f"НДС ({vat_rate_label(group.rate)}) {format_money(group.vat)} руб."
        for group in totals.vat_groups
        if group.rate is not None
    ]
    return f"в т.ч. {', '.join(parts)}" if parts else "без НДС"


def invoice_payment_purpose(doc: InvoiceDoc, totals: Totals) -> str:
    if doc.purpose:
        return doc.purpose
    return f"Оплата по счёту № {doc.number} от {format_date(doc.date)}, {vat_summary(totals)}"


def invoice_totals_rows(doc: InvoiceDoc, totals: Totals) -> list[dict[str, str]]:
    rows = [{"label": "Итого:", "value": format_money(totals.gross if doc.prices_include_vat else totals.net)}]
    for group in totals.vat_groups:
        if group.rate is None:
            rows.append({"label": "Без налога (НДС):", "value": "-"})
        elif doc.prices_include_vat:
            rows.append({"label": f"В том числе НДС ({vat_rate_label(group.rate)}):", "value": format_money(group.vat)})
        else:
            rows.append({"label": f"Сумма НДС ({vat_rate_label(group.rate)}):", "value": format_money(group.vat)})
    rows.append({"label": "Всего к оплате:", "value": format_money(totals.gross)})
    return rows


def render_invoice_pdf(doc: InvoiceDoc) -> bytes:
    """The invoice for payment (счёт на оплату) with the payee's bank details and a payment QR code."""
    if not doc.lines:
        raise ApplicationError(_("An invoice needs at least one line."), field="lines")
    totals = document_totals(doc.lines, prices_include_vat=doc.prices_include_vat)
    purpose = invoice_payment_purpose(doc, totals)
    seller = doc.seller
    qr_payload = payment_qr_payload(
        payee_name=seller.name,
        account=seller.account,
        bank_name=seller.bank_name,
        bik=seller.bik,
        correspondent_account=seller.correspondent_account,
        amount=totals.gross,
        purpose=purpose,
        payee_inn=seller.inn,
        payee_kpp=seller.kpp,
        payer_inn=doc.buyer.inn,
    )
    terms = [line for line in doc.payment_terms.splitlines() if line.strip()]
    if doc.due_date:
        terms.append(f"Оплатить не позднее {format_date(doc.due_date)}.")
    data = {
        "title": f"Счёт на оплату № {doc.number} от {format_date_long(doc.date)}",
        "seller": party_dict(seller),
        "buyer": party_dict(doc.buyer),
        "basis": doc.basis,
        "lines": [
            {
                "n": str(number),
                "code": line.code,
                "name": line.name,
                "quantity": format_quantity(line.quantity),
                "unit": line.unit,
                "price": format_money(line.price),
                "amount": format_money(amounts.gross if doc.prices_include_vat else amounts.net),
            }
            for number, (line, amounts) in enumerate(zip(doc.lines, totals.lines, strict=True), start=1)
        ],
        "has_codes": any(line.code for line in doc.lines),
        "totals": invoice_totals_rows(doc, totals),
        "summary": f"Всего наименований {len(doc.lines)}, на сумму {format_money(totals.gross)} руб.",
        "words": amount_in_words(totals.gross),
        "terms": terms,
        "qr_svg": payment_qr_svg(qr_payload),
        "cancelled": doc.cancelled,
    }
    return compile_pdf("invoice.typ", data)


def render_upd_pdf(doc: UpdDoc) -> bytes:
    """The universal transfer document in the landscape form of the Federal Tax Service; the
    table header repeats on every page."""
    if doc.status not in (1, 2):
        raise ApplicationError(_("The UPD status must be 1 or 2."), field="status")
    if not doc.lines:
        raise ApplicationError(_("A UPD needs at least one line."), field="lines")
    totals = document_totals(doc.lines, prices_include_vat=doc.prices_include_vat)
    lines = []
    for number, (line, amounts) in enumerate(zip(doc.lines, totals.lines, strict=True), start=1):
        unit_price = amounts.net / line.quantity
        lines.append(
            {
                "code": line.code,
                "n": str(number),
                "name": line.name,
                "kind_code": line.kind_code or "--",
                "unit_code": line.unit_code,
                "unit": line.unit,
                "quantity": format_quantity(line.quantity),
                "price": format_money(unit_price),
                "net": format_money(amounts.net),
                "excise": format_money(line.excise) if line.excise else "без акциза",
                "rate": vat_rate_label(amounts.vat_rate),
                "vat": format_money(amounts.vat) if amounts.vat_rate is not None else "без НДС",
                "gross": format_money(amounts.gross),
                "country_code": line.country_code or "--",
                "country_name": line.country_name or "--",
                "declaration": line.declaration_number or "--",
            }
        )
    consignee = doc.consignee or doc.buyer
    data = {
        "status": str(doc.status),
        "number": doc.number,
        "date": format_date_long(doc.date),
        "correction_number": doc.correction_number or "--",
        "correction_date": format_date(doc.correction_date) or "--",
        "seller": party_dict(doc.seller),
        "buyer": party_dict(doc.buyer),
        "consignor": party_with_address(doc.consignor) if doc.consignor else "он же",
        "consignee": party_with_address(consignee),
        "payment_documents": doc.payment_documents or "--",
        "shipping_document": f"№ п/п 1-{len(lines)} № {doc.number} от {format_date(doc.date)}",
        "currency": f"{doc.currency_name}, {doc.currency_code}",
        "contract_id": doc.contract_id,
        "lines": lines,
        "total_net": format_money(totals.net),
        "total_vat": format_money(totals.vat) if totals.has_vat else "без НДС",
        "total_gross": format_money(totals.gross),
        "basis": doc.basis,
        "transport": doc.transport,
        "shipped_on": format_date(doc.shipped_on or doc.date),
        "released_by": [doc.released_by_position, doc.released_by_name],
        "received_by": [doc.received_by_position, doc.received_by_name],
    }
    return compile_pdf("upd.typ", data)


def render_act_pdf(doc: ActDoc) -> bytes:
    """The reconciliation act: the seller's entries on the left, the buyer's half left blank for
    the buyer to fill in, turnovers, balances and the conclusion in words."""
    data, _balances = act_context(doc)
    return compile_pdf("act.typ", data)
