"""Printed forms of issued documents, rendered on demand and kept per document version.

A document's PDF is rendered the first time someone asks for it and stored in private storage
with the version it was rendered for; it is rendered again only when the document's ``version``
(or the layout version below) changes."""

import logging
from collections.abc import Callable

from django.core.files.base import ContentFile

from optovik.documents.render import (
    InvoiceDoc,
    InvoiceLine,
    UpdDoc,
    UpdLine,
    render_invoice_pdf,
    render_upd_pdf,
)

from .models import Invoice, Shipment
from .parties import party

logger = logging.getLogger(__name__)

# Raise when a layout changes so that every kept PDF is rendered afresh.
LAYOUT_VERSION = "2"


def cached_pdf(obj, render: Callable[[], bytes]) -> bytes:
    """The PDF of ``obj`` (an Invoice or a Shipment) for its current version."""
    key = f"{obj.version}.{LAYOUT_VERSION}"
    if obj.pdf and obj.pdf_version == key:
        try:
            with obj.pdf.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            logger.warning("Rendered PDF of %s %s is missing; rendering it again", obj._meta.model_name, obj.pk)
    data = render()
    old_name = obj.pdf.name if obj.pdf else ""
    obj.pdf.save("document.pdf", ContentFile(data), save=False)
    obj.pdf_version = key
    type(obj).objects.filter(pk=obj.pk).update(pdf=obj.pdf.name, pdf_version=key)
    if old_name and old_name != obj.pdf.name:
        obj.pdf.storage.delete(old_name)
    return data


def contract_basis(invoice_or_shipment) -> str:
    contract = invoice_or_shipment.contract
    return f"Договор № {contract.number} от {contract.date:%d.%m.%Y}"


def invoice_document(invoice: Invoice) -> InvoiceDoc:
    """The printed invoice from the invoice as it was issued (requisites copied at issue)."""
    return InvoiceDoc(
        number=invoice.number,
        date=invoice.date,
        seller=party(invoice.seller_data),
        buyer=party(invoice.buyer_data),
        lines=tuple(
            InvoiceLine(
                name=line.name,
                quantity=line.quantity,
                unit=line.unit,
                price=line.price,
                vat_rate=line.vat_rate,
                code=line.code,
            )
            for line in invoice.lines.all()
        ),
        prices_include_vat=True,
        due_date=invoice.due_date,
        payment_terms=invoice.payment_terms,
        basis=invoice.basis,
        cancelled=invoice.status == Invoice.Status.CANCELLED,
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    return cached_pdf(invoice, lambda: render_invoice_pdf(invoice_document(invoice)))


def upd_document(shipment: Shipment) -> UpdDoc:
    """The printed UPD of a posted shipment."""
    seller = shipment.seller_data
    return UpdDoc(
        number=shipment.number,
        date=shipment.date,
        status=shipment.upd_status,
        seller=party(seller, full_name=True),
        buyer=party(shipment.buyer_data, full_name=True),
        lines=tuple(
            UpdLine(
                name=line.name,
                quantity=line.quantity,
                unit=line.unit,
                unit_code=line.unit_code,
                price=line.price,
                vat_rate=line.vat_rate,
                code=line.code,
                country_code=line.country_code,
                country_name=line.country_name,
                declaration_number=line.declaration_number,
            )
            for line in shipment.lines.all()
        ),
        prices_include_vat=True,
        basis=contract_basis(shipment),
        shipped_on=shipment.date,
        released_by_position=seller.get("director_position", ""),
        released_by_name=seller.get("director", ""),
    )


def upd_pdf(shipment: Shipment) -> bytes:
    return cached_pdf(shipment, lambda: render_upd_pdf(upd_document(shipment)))
