"""Invoices for payment (счёт на оплату) of orders."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError
from optovik.documents.render import InvoiceLine as PrintedLine
from optovik.documents.totals import document_totals

from .models import Document, DocumentKind, Invoice, InvoiceLine
from .notify import document_available_notify
from .numbering import document_sequence_next
from .parties import buyer_snapshot, seller_snapshot

# How long a prepayment invoice stays payable, in days (a contract with deferral uses its own).
DEFAULT_VALID_DAYS = 5

NOT_INVOICEABLE = ("awaiting_approval", "cancelled", "rejected")


def invoice_auto_issue_enabled() -> bool:
    """Whether orders get their invoice as soon as they are placed (setting ``FINANCE_INVOICE_AUTO_ISSUE``)."""
    return bool(getattr(settings, "FINANCE_INVOICE_AUTO_ISSUE", False))


def invoice_terms(*, contract, day: dt.date) -> tuple[dt.date, str]:
    """(due date, payment terms text) of an invoice issued on ``day`` under ``contract``."""
    if contract.payment_terms == contract.PaymentTerms.DEFERRAL and contract.deferral_days:
        due = day + dt.timedelta(days=contract.deferral_days)
        text = f"Отсрочка платежа {contract.deferral_days} дн. по договору № {contract.number}."
    else:
        valid_days = int(getattr(settings, "FINANCE_INVOICE_VALID_DAYS", DEFAULT_VALID_DAYS))
        due = day + dt.timedelta(days=valid_days)
        text = (
            "Оплата данного счёта означает согласие с условиями поставки товара.\n"
            "Товар отпускается по факту поступления денег на расчётный счёт поставщика."
        )
    return due, text


def invoice_for_order(*, order) -> Invoice | None:
    """The order's issued invoice, if there is one."""
    return Invoice.objects.filter(order_id=order.pk, status=Invoice.Status.ISSUED).order_by("-pk").first()


@transaction.atomic
def invoice_issue(*, order, actor=None, day: dt.date | None = None, notify: bool = True) -> Invoice:
    """Issues the invoice for ``order`` by the contract's seller organization, or returns the one
    already issued.

    The number is the next of the seller in the year; both parties' requisites and the order's
    lines are copied, so the invoice never changes afterwards. Admins and accountants of the
    client (but not ``actor``) are told by e-mail after commit."""
    from optovik.ordering.models import Order

    order = Order.objects.select_for_update().select_related("contract__seller", "legal_entity").get(pk=order.pk)
    existing = invoice_for_order(order=order)
    if existing is not None:
        return existing
    if order.status in NOT_INVOICEABLE:
        raise ApplicationError(
            _("An invoice cannot be issued for an order that is %(status)s.") % {"status": order.get_status_display()},
            field="order",
        )
    lines = list(order.lines.order_by("pk"))
    if not lines:
        raise ApplicationError(_("An invoice needs at least one line."), field="order")
    contract, seller = order.contract, order.contract.seller
    day = day or timezone.localdate()
    totals = document_totals(
        [
            PrintedLine(name=x.name, quantity=x.quantity, unit=x.unit, price=x.price_gross, vat_rate=x.vat_rate)
            for x in lines
        ],
        prices_include_vat=True,
    )
    due, terms = invoice_terms(contract=contract, day=day)
    sequence = document_sequence_next(seller=seller, kind=DocumentKind.INVOICE, year=day.year)
    invoice = Invoice.objects.create(
        client_id=order.client_id,
        legal_entity=order.legal_entity,
        contract=contract,
        seller=seller,
        order=order,
        year=day.year,
        sequence=sequence,
        number=str(sequence),
        date=day,
        due_date=due,
        seller_data=seller_snapshot(seller),
        buyer_data=buyer_snapshot(order.legal_entity),
        payment_terms=terms,
        basis=f"Договор № {contract.number} от {contract.date:%d.%m.%Y}, заказ № {order.number}",
        total_net=totals.net,
        total_vat=totals.vat,
        total_gross=totals.gross,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                client_id=order.client_id,
                invoice=invoice,
                position=position,
                code=line.article,
                name=line.name,
                unit=line.unit,
                quantity=line.quantity,
                price=line.price_gross,
                vat_rate=line.vat_rate,
                amount=amounts.gross,
            )
            for position, (line, amounts) in enumerate(zip(lines, totals.lines, strict=True), start=1)
        ]
    )
    document = Document.objects.create(
        legal_entity=order.legal_entity,
        contract=contract,
        kind=DocumentKind.INVOICE,
        number=invoice.number,
        date=day,
        amount=invoice.total_gross,
        title=f"Счёт на оплату заказа № {order.number}",
        source=Document.Source.ISSUED,
        invoice=invoice,
    )
    if notify:
        document_available_notify(document=document, exclude_user=actor)
    return invoice


def invoice_issue_if_automatic(*, order, actor=None) -> Invoice | None:
    """Issues the order's invoice when the site issues invoices automatically; for the code that
    places orders. Returns None otherwise."""
    if not invoice_auto_issue_enabled():
        return None
    return invoice_issue(order=order, actor=actor)


@transaction.atomic
def invoice_cancel(*, invoice: Invoice, actor=None) -> Invoice:
    """Cancels an issued invoice (it stays in the archive, marked cancelled); a new one can then be
    issued for the order."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status == Invoice.Status.CANCELLED:
        return invoice
    Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.CANCELLED, version=F("version") + 1)
    invoice.refresh_from_db()
    return invoice
